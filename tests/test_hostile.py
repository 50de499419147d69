"""`idi check` over a folder mixing good, defective and hostile files (scripts/make_hostile.py):
every file gets its verdict or a clear Chinese error, nothing stops the batch, nothing is modified,
the reports hold every file, and a second run comes from the cache."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import HAS_SOFFICE, ROOT, _load_script

pytestmark = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed: no PDF samples")
make_hostile = _load_script("make_hostile")


@pytest.fixture(scope="module")
def corpus(sample_set, tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile") / "送审 文件夹"
    manifest = make_hostile.build(out, samples=sample_set[0])
    return out, yaml.safe_load(manifest.read_text(encoding="utf-8"))


def idi(*args, timeout=120):
    result = subprocess.run([sys.executable, "-m", "idi", "check", *map(str, args)], capture_output=True,
                            text=True, cwd=ROOT, timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def snapshot(folder: Path) -> dict[str, tuple]:
    """Mode and content hash of every entry (links and pipes by their kind only)."""
    state = {}
    for path in sorted(folder.rglob("*")):
        info = os.lstat(path)
        digest = None
        if stat.S_ISREG(info.st_mode) and os.access(path, os.R_OK):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        state[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return state


@pytest.fixture(scope="module")
def first_run(corpus, tmp_path_factory):
    folder, manifest = corpus
    reports = tmp_path_factory.mktemp("reports")
    before = snapshot(folder)
    outputs = [reports / f"结果.{suffix}" for suffix in ("html", "xlsx", "csv", "jsonl")]
    result = idi(folder, "--password", manifest["password"], "--format", "json", "--timeout", "60",
                 "--cache-dir", reports / "cache", *[arg for o in outputs for arg in ("-o", o)])
    return result, json.loads(result.stdout), before, {o.suffix: o for o in outputs}


def test_every_file_gets_its_verdict_or_a_clear_chinese_reason(corpus, first_run):
    folder, manifest = corpus
    result, data, _, _ = first_run
    assert result.returncode == 1
    documents = {Path(d["path"]).relative_to(folder).as_posix(): d for d in data["documents"]}
    assert sorted(documents) == sorted(e["path"] for e in manifest["files"])
    wrong = []
    for entry in manifest["files"]:
        doc = documents[entry["path"]]
        if doc["status"] != entry["status"] or entry.get("reason", "") not in (doc["error"] or ""):
            wrong.append(f"{entry['path']}: 预期 {entry['status']} {entry.get('reason', '')}，"
                         f"实为 {doc['status']} {doc['error']}")
        if doc["error"]:
            assert doc["error"].startswith(doc["path"] + "："), doc["error"]
    assert wrong == []
    counts = {s: sum(e["status"] == s for e in manifest["files"]) for s in ("pass", "fail", "error")}
    assert f"共 {len(documents)} 个文件：通过 {counts['pass']}，不合格 {counts['fail']}，无法读取 {counts['error']}。" \
        in result.stderr


def test_input_files_are_never_modified(corpus, first_run):
    assert snapshot(corpus[0]) == first_run[2]


def test_every_file_is_in_every_report(corpus, first_run):
    folder, manifest = corpus
    _, data, _, reports = first_run
    paths = {d["path"] for d in data["documents"]}
    html = reports[".html"].read_text(encoding="utf-8")
    parser = HTMLParser()
    parser.feed(html)
    parser.close()
    assert all(path.replace("&", "&amp;") in html for path in paths)
    book = load_workbook(reports[".xlsx"], read_only=True)
    assert book.sheetnames[:2] == ["汇总", "规则统计"] and len(book.sheetnames) > 2
    assert {row[0] for row in book["汇总"].iter_rows(min_row=2, values_only=True)} == paths
    rows = list(csv.DictReader(reports[".csv"].read_text(encoding="utf-8-sig").splitlines()))
    assert {r["文件"] for r in rows} == paths
    lines = [json.loads(line) for line in reports[".jsonl"].read_text(encoding="utf-8").splitlines()]
    assert lines == data["documents"]


def test_second_run_comes_from_the_cache_and_no_cache_bypasses_it(corpus, first_run):
    folder, manifest = corpus
    _, data, _, reports = first_run
    common = [folder, "--password", manifest["password"], "--format", "json", "--quiet"]
    again = json.loads(idi(*common, "--cache-dir", reports[".html"].parent / "cache").stdout)
    hashable = [d for d in data["documents"] if os.path.isfile(d["path"]) and os.access(d["path"], os.R_OK)
                and not os.path.islink(d["path"])]
    assert again["summary"]["cached"] == len(hashable) > 20
    assert again["documents"] == data["documents"]
    fresh = json.loads(idi(*common, "--no-cache", "--cache-dir", reports[".html"].parent / "cache").stdout)
    assert fresh["summary"]["cached"] == 0 and fresh["documents"] == data["documents"]


def test_without_the_password_encrypted_files_ask_for_one(corpus, tmp_path):
    folder, manifest = corpus
    encrypted = [e for e in manifest["files"] if e.get("without_password")]
    result = idi(*(folder / e["path"] for e in encrypted), "--format", "json", "--no-cache")
    for entry, doc in zip(encrypted, json.loads(result.stdout)["documents"]):
        assert doc["status"] == "error" and entry["without_password"]["reason"] in doc["error"]


def test_page_limit_and_globs(corpus):
    folder, manifest = corpus
    result = idi(f"{folder}/**/*.pdf", "--max-pages", "500", "--format", "json", "--no-cache",
                 "--password", manifest["password"], "--timeout", "30")
    documents = {Path(d["path"]).name: d for d in json.loads(result.stdout)["documents"]}
    assert len(documents) == sum(e["path"].endswith(".pdf") for e in manifest["files"])
    assert "超过页数上限 500 页" in documents["1000页.pdf"]["error"]
    assert "不是文件" in documents["命名管道.pdf"]["error"]
    assert documents["加密 有密码.pdf"]["status"] == "pass"
