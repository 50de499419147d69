"""The web app's API (`idi serve`) with FastAPI's TestClient: access token on every route, upload
limits, file names, job isolation and clean-up, real checks of sample contracts, and generation
with the same messages as `idi generate`."""
from __future__ import annotations

import io
import re
import sys
import time
from pathlib import Path

import pytest
from docx import Document

import docgen
from conftest import HAS_SOFFICE
from idi.web import Settings
from web_support import client, compliant_and_defective, expected_status, samples, wait_for_job

TOKEN = "s3cret-token-Zq9"
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


def settings(tmp_path: Path, **kw) -> Settings:
    return Settings(**{"cache": False, "jobs": 2, "work_dir": tmp_path, **kw})


def new_job(c, **body) -> str:
    response = c.post("/api/jobs", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def put(c, job_id: str, name: str, content: bytes, **kw):
    return c.put(f"/api/jobs/{job_id}/files", params={"name": name}, content=content, **kw)


def check(c, files: list[Path], **body) -> dict:
    job_id = new_job(c, **body)
    for path in files:
        assert put(c, job_id, path.name, path.read_bytes()).status_code == 201
    assert c.post(f"/api/jobs/{job_id}/start").status_code == 200
    return wait_for_job(c, job_id)


# --- access -----------------------------------------------------------------------------------------


def _route_urls(app) -> list[tuple[str, str]]:
    """(method, url) of every route the app has, path parameters filled in."""
    urls = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if path == "/static":  # the mount
            urls.append(("GET", "/static/app.css"))
            urls.append(("GET", "/static/check.js"))
            continue
        for method in sorted(getattr(route, "methods", None) or {"GET"}):
            if method == "HEAD":
                continue
            url = re.sub(r"\{type_id\}", "owner-notice", path)
            url = re.sub(r"\{fmt\}", "html", url)
            url = re.sub(r"\{index\}", "0", url)
            url = re.sub(r"\{job_id\}", "x" * 32, url)
            urls.append((method, url))
    return urls


def test_token_is_required_on_every_route(tmp_path):
    with client(settings(tmp_path, token=TOKEN)) as c:
        urls = _route_urls(c.app)
        assert ("GET", "/static/app.css") in urls and ("POST", "/api/generate") in urls and len(urls) >= 15
        for method, url in urls:
            if url == "/login":
                continue
            response = c.request(method, url, follow_redirects=False)
            assert response.status_code in (401, 303), (method, url, response.status_code)
            if response.status_code == 303:
                assert response.headers["location"].startswith("/login"), url
            wrong = c.request(method, url, headers={"Authorization": "Bearer wrong"}, follow_redirects=False)
            assert wrong.status_code in (401, 303), (method, url)
        # with the token: through
        ok = {"Authorization": f"Bearer {TOKEN}"}
        assert c.get("/static/app.css", headers=ok).status_code == 200
        assert c.get("/api/options", headers=ok).json()["token"] is True
        assert c.get("/", headers=ok).status_code == 200


def test_login_page_sets_a_cookie_and_a_token_link_works_once(tmp_path):
    with client(settings(tmp_path, token=TOKEN)) as c:
        page = c.get("/login?next=/generate")
        assert page.status_code == 200 and "访问令牌" in page.text
        bad = c.post("/login", data={"token": "nope", "next": "/generate"}, follow_redirects=False)
        assert bad.status_code == 303 and "error=1" in bad.headers["location"]
        assert c.get("/api/options").status_code == 401
        good = c.post("/login", data={"token": TOKEN, "next": "//evil.example/"}, follow_redirects=False)
        assert good.status_code == 303 and good.headers["location"] == "/"  # no open redirect
        cookie = good.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
        assert c.get("/api/options").status_code == 200  # the cookie jar has it now
        c.cookies.clear()
        link = c.get(f"/generate?token={TOKEN}", follow_redirects=False)
        assert link.status_code == 303 and link.headers["location"] == "/generate"
        assert c.get("/generate").status_code == 200


def test_without_a_token_only_this_machine_and_this_app(tmp_path):
    with client(settings(tmp_path)) as c:
        assert c.get("/api/options").status_code == 200
        rebinding = c.get("/api/options", headers={"Host": "attacker.example:8765"})
        assert rebinding.status_code == 403 and "本机" in rebinding.json()["detail"]
        cross = c.post("/api/jobs", json={}, headers={"Origin": "http://attacker.example"})
        assert cross.status_code == 403
        same = c.post("/api/jobs", json={}, headers={"Origin": "http://127.0.0.1"})
        assert same.status_code == 201
        page = c.get("/")
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"


def test_pages_and_static_files_fetch_nothing_from_elsewhere(tmp_path):
    static = Path(__file__).parents[1] / "idi" / "web" / "static"
    for path in static.iterdir():
        text = path.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")  # a name
        assert not re.search(r"(?:src|href)=[\"']?(?:https?:)?//", text), path.name
        assert "http://" not in text and "https://" not in text, path.name
        assert 'style="' not in text, path.name  # the policy allows no inline styles
    with client(settings(tmp_path)) as c:
        for page in ("/", "/generate"):
            html = c.get(page).text
            assert '<html lang="zh-CN">' in html
            for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
                assert c.get(asset).status_code == 200, asset


# --- uploads ----------------------------------------------------------------------------------------


def test_upload_limits_size_count_and_type(tmp_path):
    with client(settings(tmp_path, max_files=2, max_upload_mb=1)) as c:
        job_id = new_job(c)
        assert put(c, job_id, "a.pdf", b"%PDF-1.4 small").status_code == 201
        refused = put(c, job_id, "b.exe", b"MZ")
        assert refused.status_code == 415 and "不支持的文件类型" in refused.json()["detail"]
        assert put(c, job_id, "~$lock.docx", b"x").status_code == 415
        too_big = put(c, job_id, "big.pdf", b"x" * (1024 * 1024 + 10))
        assert too_big.status_code == 413 and "1 MB" in too_big.json()["detail"]
        job = c.app_state.jobs.get(job_id)
        assert sorted(p.name for p in job.upload_dir.iterdir()) == ["00000.pdf"]  # the partial file is gone
        assert job.bytes == len(b"%PDF-1.4 small")

        def chunks():  # no Content-Length: the running count stops it
            for _ in range(20):
                yield b"y" * 100_000
        streamed = c.put(f"/api/jobs/{job_id}/files", params={"name": "stream.pdf"}, content=chunks())
        assert streamed.status_code == 413
        assert sorted(p.name for p in job.upload_dir.iterdir()) == ["00000.pdf"]
        assert put(c, job_id, "b.txt", "合同".encode()).status_code == 201
        third = put(c, job_id, "c.txt", b"x")
        assert third.status_code == 413 and "最多检查 2 个文件" in third.json()["detail"]


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\x.pdf", "/etc/passwd.pdf", "C:\\x.pdf",
                                  "a/../../b.pdf", "bad\x00name.pdf", ""])
def test_path_traversal_names_are_refused(tmp_path, name):
    with client(settings(tmp_path)) as c:
        job_id = new_job(c)
        response = put(c, job_id, name, b"%PDF-1.4")
        assert response.status_code == 400, response.text
        assert "拒绝" in response.json()["detail"]
        assert not list(c.app_state.jobs.get(job_id).upload_dir.iterdir())
    assert not (tmp_path.parent / "x.pdf").exists() and not (tmp_path / "b.pdf").exists()


def test_names_are_shown_but_never_used_as_paths(tmp_path):
    with client(settings(tmp_path)) as c:
        job_id = new_job(c)
        for name in ("送审/合同 一.txt", "./a.txt", "folder\\b.TXT"):
            assert put(c, job_id, name, "上海市商品房预售合同".encode()).status_code == 201
        job = c.app_state.jobs.get(job_id)
        assert [u.name for u in job.uploads] == ["送审/合同 一.txt", "a.txt", "folder/b.TXT"]
        assert sorted(p.name for p in job.upload_dir.iterdir()) == ["00000.txt", "00001.txt", "00002.txt"]
        assert job.folder.parent == tmp_path and oct(job.folder.stat().st_mode & 0o777) == "0o700"


def test_job_options_are_validated(tmp_path):
    with client(settings(tmp_path)) as c:
        assert c.post("/api/jobs", json={"jurisdiction": "火星"}).status_code == 400
        assert c.post("/api/jobs", json={"kind": "poem"}).status_code == 400
        assert c.post("/api/jobs", content=b"[1]", headers={"Content-Type": "application/json"}).status_code == 400
        job_id = new_job(c, jurisdiction="上海", kind="sales-contract")
        job = c.app_state.jobs.get(job_id)
        assert (job.jurisdiction, job.kind) == ("shanghai-2025", "sales-contract")
        assert c.post(f"/api/jobs/{job_id}/start").status_code == 400  # nothing uploaded


# --- checking ---------------------------------------------------------------------------------------


def test_sample_contracts_get_their_verdicts_and_the_uploads_are_deleted(tmp_path, sample_set):
    names = ["sh-presale-compliant", "sh-presale-no-repair-unit", "sh-warranty-compliant",
             "sh-sale-broker-insurer", "sh-announcement-compliant", "sh-construction-no-subrogation"]
    with client(settings(tmp_path)) as c:
        files = samples(sample_set, names)
        started = time.monotonic()
        summary = check(c, files)
        seconds = time.monotonic() - started
        assert summary["state"] == "done", summary
        got = {row["name"]: row["status"] for row in summary["rows"]}
        assert got == {path.name: expected_status(sample_set, name) for path, name in zip(files, names)}
        failing = next(r for r in summary["rows"] if r["name"].startswith("sh-presale-no-repair-unit"))
        assert failing["failed"] == ["shanghai-2025/repair-unit"]
        assert failing["kind_title"] and failing["city"] == "上海（shanghai-2025）"
        detail = c.get(f"/api/jobs/{summary['id']}/files/{failing['index']}").json()
        finding = detail["findings"][0]  # failing findings first
        assert finding["status"] == "fail" and finding["citation"] and finding["message"]
        assert finding["evidence"] and finding["evidence"][0]["where"].startswith("第")
        assert str(tmp_path) not in str(detail)  # the person sees their file name, not the server's path
        job = c.app_state.jobs.get(summary["id"])
        assert not job.upload_dir.exists()
        assert sorted(p.name for p in job.report_dir.iterdir()) == ["report.html", "report.json", "report.xlsx"]
        report = c.get(f"/api/jobs/{summary['id']}/reports/json").json()
        assert [d["path"] for d in report["documents"]] == [p.name for p in files]
        html = c.get(f"/api/jobs/{summary['id']}/reports/html")
        assert html.headers["content-disposition"].startswith("attachment")
        assert "合规检查报告" in html.text and "sh-presale-no-repair-unit" in html.text
        assert str(tmp_path) not in html.text
        xlsx = c.get(f"/api/jobs/{summary['id']}/reports/xlsx")
        assert xlsx.content[:2] == b"PK"
    print(f"\n{len(files)} sample files checked through the web app in {seconds:.1f} s")


def test_an_unreadable_file_is_reported_with_its_own_name(tmp_path):
    with client(settings(tmp_path)) as c:
        job_id = new_job(c)
        put(c, job_id, "坏文件.pdf", b"<html>not a pdf</html>")
        c.post(f"/api/jobs/{job_id}/start")
        summary = wait_for_job(c, job_id)
        row = summary["rows"][0]
        assert row["status"] == "error" and row["error"].startswith("坏文件.pdf：")
        assert "00000" not in row["error"] and str(tmp_path) not in row["error"]


def test_jobs_cannot_see_each_other(tmp_path, sample_set):
    compliant, defective = compliant_and_defective(sample_set)
    with client(settings(tmp_path)) as c:
        a = check(c, samples(sample_set, [compliant]))
        b_id = new_job(c)
        assert a["id"] != b_id and len(a["id"]) >= 32
        job_a, job_b = c.app_state.jobs.get(a["id"]), c.app_state.jobs.get(b_id)
        assert job_a.folder != job_b.folder and not job_b.folder.is_relative_to(job_a.folder)
        # B knows only its own id: nothing of A is reachable from it
        assert c.get(f"/api/jobs/{b_id}/reports/html").status_code == 404
        assert c.get(f"/api/jobs/{b_id}/files/0").status_code == 404
        for guess in (a["id"][:-1], a["id"] + "x", a["id"].upper(), "..", "%2e%2e"):
            assert c.get(f"/api/jobs/{guess}/reports/html").status_code in (404, 405), guess
        assert c.get(f"/api/jobs/{b_id}").json()["rows"] == []
        assert c.get(f"/api/jobs/{a['id']}/reports/html").status_code == 200


def test_finished_jobs_expire_and_deleted_jobs_are_gone(tmp_path, sample_set):
    compliant, _ = compliant_and_defective(sample_set)
    with client(settings(tmp_path, keep_minutes=1)) as c:
        done = check(c, samples(sample_set, [compliant]))
        folder = c.app_state.jobs.get(done["id"]).folder
        manager = c.app_state.jobs
        assert manager.expire(time.time() + 30) == []
        assert manager.expire(time.time() + 61) == [done["id"]]
        assert not folder.exists()
        assert c.get(f"/api/jobs/{done['id']}/reports/html").status_code == 404
        other = new_job(c)
        other_folder = manager.get(other).folder
        assert c.delete(f"/api/jobs/{other}").status_code == 200
        assert not other_folder.exists() and c.get(f"/api/jobs/{other}").status_code == 404
    assert list(tmp_path.iterdir()) == []  # nothing left behind on shutdown


def test_active_jobs_are_limited(tmp_path):
    with client(settings(tmp_path, max_active_jobs=2)) as c:
        new_job(c)
        new_job(c)
        busy = c.post("/api/jobs", json={})
        assert busy.status_code == 503 and "上限" in busy.json()["detail"]


# --- generating -------------------------------------------------------------------------------------


def _cli_stderr(args, capsys, monkeypatch) -> tuple[int, str]:
    from idi.cli import main
    monkeypatch.setattr(sys, "argv", ["idi", *map(str, args)])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    return code, capsys.readouterr().err


def test_generate_reports_the_same_messages_as_the_cli(tmp_path, capsys, monkeypatch):
    text = docgen.example_text("owner-notice")
    broken = (text.replace("name: 李文静", "name: ''", 1) if "name: 李文静" in text else text)
    broken = re.sub(r"(?m)^date: .*\n", "", broken)
    broken = re.sub(r"(?m)^(  phone: ).*$", r"\g<1>'12'", broken, count=1)
    data_file = tmp_path / "bad.yaml"
    data_file.write_text(broken, encoding="utf-8")
    code, stderr = _cli_stderr(["generate", "owner-notice", "--data", data_file, "-o", tmp_path / "x.docx"],
                               capsys, monkeypatch)
    assert code == 2
    cli_lines = [line for line in stderr.splitlines() if line.startswith("  ")]
    assert len(cli_lines) >= 2, stderr

    import yaml
    data = yaml.safe_load(broken)
    with client(settings(tmp_path)) as c:
        response = c.post("/api/generate", json={"type": "owner-notice", "data": _json_ready(data)})
    assert response.status_code == 422
    body = response.json()
    web_lines = [line for line in body["detail"].splitlines() if line.startswith("  ")]
    assert web_lines == cli_lines
    assert body["detail"].splitlines()[0] == f"表单：{len(cli_lines)} 处问题"
    paths = {e["path"] for e in body["errors"]}
    assert "date" in paths and all(e["problem"] for e in body["errors"])


def _json_ready(value):
    import json
    return json.loads(json.dumps(value, default=str))


def test_generate_docx_contains_the_data(tmp_path):
    with client(settings(tmp_path)) as c:
        form = c.get("/api/doctypes/owner-notice?pack=shanghai-2025").json()
        assert form["pack"] == "shanghai-2025" and "properties" in form["schema"]
        assert {p["id"] for p in form["packs"]} >= {"shanghai-2025", "beijing-2019"}
        data = form["example"]
        data["owner"] = {"name": "赵网页", "unit": "9号楼1101室", "phone": "13900001111"}
        response = c.post("/api/generate", json={"type": "owner-notice", "data": data})
        assert response.status_code == 200, response.text
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert "尊敬的赵网页（9号楼1101室）" in text and data["project"]["name"] in text
        groups = c.get("/api/doctypes").json()["groups"]
        ids = [t["id"] for g in groups for t in g["types"]]
        assert "owner-notice" in ids and len(ids) == len(docgen.list_types())


def test_generate_refuses_photo_paths_and_bad_requests(tmp_path):
    with client(settings(tmp_path)) as c:
        data = c.get("/api/doctypes/final-risk-report").json()["example"]
        for defect in data.get("defects", []):
            defect["photo"] = "/etc/passwd"
        response = c.post("/api/generate", json={"type": "final-risk-report", "data": data})
        assert response.status_code == 422 and "照片" in response.json()["detail"]
        assert c.post("/api/generate", json={"type": "no-such", "data": {}}).status_code == 422
        assert c.post("/api/generate", json={"type": "owner-notice", "data": []}).status_code == 422
        assert c.get("/api/doctypes/no-such").status_code == 404


def test_generate_pdf_or_a_clear_message_without_libreoffice(tmp_path, monkeypatch):
    with client(settings(tmp_path)) as c:
        data = c.get("/api/doctypes/owner-notice").json()["example"]
        if HAS_SOFFICE:
            response = c.post("/api/generate", json={"type": "owner-notice", "data": data, "format": "pdf"})
            assert response.status_code == 200 and response.content.startswith(b"%PDF")
        monkeypatch.setenv("IDI_SOFFICE", str(tmp_path / "no-soffice"))
        missing = c.post("/api/generate", json={"type": "owner-notice", "data": data, "format": "pdf"})
        assert missing.status_code == 422 and "LibreOffice" in missing.json()["detail"]


# --- the command ------------------------------------------------------------------------------------


def test_serve_warns_when_listening_beyond_this_machine_without_a_token(monkeypatch):
    from click.testing import CliRunner

    import uvicorn
    from idi.cli import cli
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.delenv("IDI_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9999"])
    assert result.exit_code == 0, result.output
    assert "警告" in result.output and "令牌" in result.output
    assert calls[0][1]["host"] == "0.0.0.0" and calls[0][1]["port"] == 9999
    monkeypatch.setenv("IDI_TOKEN", "abc")
    calm = CliRunner().invoke(cli, ["serve"])
    assert "警告" not in calm.output and calls[1][0].state.settings.token == "abc"
    assert calls[1][1]["host"] == "127.0.0.1"
    for app, _ in calls:
        app.state.jobs.shutdown()


def test_refused_uploads_leave_no_gap_in_the_results(tmp_path):
    with client(settings(tmp_path, max_upload_mb=1)) as c:
        job_id = new_job(c)
        assert put(c, job_id, "甲.txt", "上海市商品房预售合同".encode()).status_code == 201
        assert put(c, job_id, "大.pdf", b"x" * (1024 * 1024 + 1)).status_code == 413
        assert put(c, job_id, "乙.txt", "上海市商品房预售合同".encode()).status_code == 201
        c.post(f"/api/jobs/{job_id}/start")
        summary = wait_for_job(c, job_id)
        assert [(r["index"], r["name"]) for r in summary["rows"]] == [(0, "甲.txt"), (1, "乙.txt")]
        assert c.get(f"/api/jobs/{job_id}/files/1").json()["name"] == "乙.txt"
        assert c.put(f"/api/jobs/{job_id}/files", params={"name": "丙.txt"}, content=b"x").status_code == 409


def test_a_missing_browser_skips_the_browser_tests_locally_and_fails_them_in_ci(monkeypatch):
    import web_support
    monkeypatch.setattr(web_support, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(web_support.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        web_support.browser_or_skip()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        web_support.browser_or_skip()


def test_deleting_a_running_job_stops_it_and_removes_its_files(tmp_path, sample_set):
    names = ["sh-presale-compliant", "sh-presale-no-repair-unit", "sh-warranty-compliant", "sh-sale-broker-insurer"]
    with client(settings(tmp_path, jobs=1)) as c:
        job_id = new_job(c)
        for path in samples(sample_set, names):
            put(c, job_id, path.name, path.read_bytes())
        c.post(f"/api/jobs/{job_id}/start")
        job = c.app_state.jobs.get(job_id)
        assert c.delete(f"/api/jobs/{job_id}").status_code == 200
        assert c.get(f"/api/jobs/{job_id}").status_code == 404
        deadline = time.monotonic() + 60
        while not job.ended and time.monotonic() < deadline:
            time.sleep(0.1)
        assert job.state in ("cancelled", "done") and not job.folder.exists()  # done: it beat the delete
