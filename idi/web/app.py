"""The reviewer's web app: check a folder of submissions, generate documents, in a browser.

    create_app(Settings(...))  ->  a FastAPI app; `idi serve` runs it with uvicorn.

Pages (plain HTML, CSS and JavaScript under static/, served by the app; nothing from elsewhere):
/ (check), /generate, /login (only with a token). JSON API under /api/ (see README).
"""
from __future__ import annotations

import html
import json
import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from corpus.errors import IdiError

from . import generate as gen
from .auth import AccessMiddleware, cookie_header, token_matches
from .jobs import REPORTS, JobError, JobManager, allowed_suffixes
from .settings import Settings

STATIC = Path(__file__).with_name("static")
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
LOGIN_CSP = CSP.replace("style-src 'self'", "style-src 'unsafe-inline'")
NO_STORE = {"Cache-Control": "no-store"}


def create_app(settings: Optional[Settings] = None) -> FastAPI:
    settings = settings or Settings()
    manager = JobManager(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        manager.shutdown()

    app = FastAPI(title="idi 审查工作台", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.jobs = manager
    app.add_middleware(AccessMiddleware, settings=settings)
    app.add_middleware(SecurityHeaders)  # outermost: also on the access refusals
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(JobError)
    async def job_error(request: Request, exc: JobError):
        return JSONResponse({"detail": str(exc)}, status_code=exc.status, headers=NO_STORE)

    # -- pages ----------------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    async def check_page():
        return FileResponse(STATIC / "check.html", headers=NO_STORE)

    @app.get("/generate", include_in_schema=False)
    async def generate_page():
        return FileResponse(STATIC / "generate.html", headers=NO_STORE)

    @app.get("/login", include_in_schema=False)
    async def login_page(next: str = "/", error: str = ""):
        return Response(_login_html(_local(next), bool(error)), media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": LOGIN_CSP, **NO_STORE})

    @app.post("/login", include_in_schema=False)
    async def login(request: Request):
        form = await request.form()
        target = _local(str(form.get("next") or "/"))
        if settings.token is None:
            return RedirectResponse(target, status_code=303)
        if not token_matches(str(form.get("token") or ""), settings.token):
            return RedirectResponse(f"/login?error=1&next={quote(target)}", status_code=303)
        response = RedirectResponse(target, status_code=303)
        response.headers["set-cookie"] = cookie_header(settings.token, request.url.scheme == "https")
        return response

    # -- checking -------------------------------------------------------------------------------------

    @app.get("/api/options")
    async def options():
        from checkers.check import KIND_TITLES
        from corpus.packs import all_packs
        return {
            "packs": [{"id": p.id, "city": p.city, "title": p.title} for p in reversed(all_packs())],
            "kinds": [{"id": k, "title": t} for k, t in KIND_TITLES.items()],
            "suffixes": list(allowed_suffixes()),
            "max_files": settings.max_files, "max_upload_mb": settings.max_upload_mb,
            "keep_minutes": settings.keep_minutes, "token": settings.token is not None,
        }

    @app.post("/api/jobs", status_code=201)
    async def create_job(request: Request):
        body = await _json(request)
        jurisdiction, kind = _choice(body, "jurisdiction"), _choice(body, "kind")
        if jurisdiction:
            from corpus.packs import resolve_pack
            try:
                jurisdiction = resolve_pack(jurisdiction).pack.id
            except IdiError as exc:
                raise JobError(400, str(exc)) from None
        if kind:
            from corpus.schema import DOC_KINDS
            if kind not in DOC_KINDS:
                raise JobError(400, f"文书类型“{kind}”无效，应为 {'、'.join(DOC_KINDS)} 之一")
        job = manager.create(jurisdiction, kind)
        return JSONResponse({"id": job.id, "state": job.state}, status_code=201, headers=NO_STORE)

    @app.put("/api/jobs/{job_id}/files")
    async def upload(job_id: str, request: Request, name: str = ""):
        job = manager.get(job_id)
        declared = request.headers.get("content-length")
        upload = manager.reserve(job, name, int(declared) if declared and declared.isdigit() else None)
        try:
            fd = os.open(upload.stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as out:
                async for chunk in request.stream():
                    manager.received(job, upload, len(chunk))
                    out.write(chunk)
        except JobError:
            manager.drop_upload(job, upload)
            raise
        except ClientDisconnect:
            manager.drop_upload(job, upload)
            raise JobError(400, f"“{upload.name}”上传中断") from None
        except OSError:
            manager.drop_upload(job, upload)
            raise JobError(410, "该任务已被删除或过期") from None
        manager.finish_upload(job, upload)
        return JSONResponse({"index": upload.index, "name": upload.name, "size": upload.size},
                            status_code=201, headers=NO_STORE)

    @app.post("/api/jobs/{job_id}/start")
    async def start(job_id: str):
        job = manager.get(job_id)
        manager.start(job)
        return JSONResponse(job.summary(), headers=NO_STORE)

    @app.get("/api/jobs/{job_id}")
    async def job_status(job_id: str):
        return JSONResponse(manager.get(job_id).summary(), headers=NO_STORE)

    @app.delete("/api/jobs/{job_id}")
    async def delete_job(job_id: str):
        manager.delete(manager.get(job_id))
        return JSONResponse({"deleted": job_id}, headers=NO_STORE)

    @app.get("/api/jobs/{job_id}/files/{index}")
    async def file_result(job_id: str, index: int):
        job = manager.get(job_id)
        if not 0 <= index < len(job.uploads) or job.uploads[index].result is None:
            raise JobError(404, "该文件还没有检查结果")
        return JSONResponse(_detail(job.uploads[index]), headers=NO_STORE)

    @app.get("/api/jobs/{job_id}/reports/{fmt}")
    async def report(job_id: str, fmt: str):
        job = manager.get(job_id)
        path = job.report_path(fmt)
        if path is None or not path.is_file():
            raise JobError(404, "报告尚未生成（检查完成后才能下载）")
        _, filename, media = REPORTS[fmt]
        return FileResponse(path, media_type=media, filename=filename,
                            headers={**NO_STORE, "Content-Security-Policy": "sandbox"})

    # -- generating -----------------------------------------------------------------------------------

    @app.get("/api/doctypes")
    def doctypes():
        return {"groups": gen.catalogue()}

    @app.get("/api/doctypes/{type_id}")
    def doctype(type_id: str, pack: str = ""):
        try:
            return JSONResponse(gen.form(type_id, pack or None))
        except IdiError as exc:
            raise JobError(404 if "未知" in str(exc) or "模板待建" in str(exc) else 400, str(exc)) from None

    @app.post("/api/generate")
    async def generate(request: Request):
        body = await _json(request)
        try:
            made = await run_in_threadpool(gen.generate, str(body.get("type") or ""), body.get("data"),
                                           str(body.get("format") or "docx"), bool(body.get("draft")))
        except gen.FormError as exc:
            return JSONResponse({"detail": str(exc), "errors": exc.errors}, status_code=422, headers=NO_STORE)
        except IdiError as exc:  # rule refusals, template gaps, unknown type, LibreOffice missing …
            return JSONResponse({"detail": str(exc), "errors": gen.field_errors(str(exc))}, status_code=422,
                                headers=NO_STORE)
        headers = {**NO_STORE, "Content-Disposition": _attachment(made.filename),
                   "X-Idi-Warnings": quote(json.dumps(made.warnings, ensure_ascii=False))}
        return Response(made.content, media_type=made.media_type, headers=headers)

    return app


class SecurityHeaders:
    """No framing, no sniffing, no referrer, and a policy that allows nothing outside the app."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in ((b"content-security-policy", CSP), (b"x-content-type-options", "nosniff"),
                                    (b"referrer-policy", "no-referrer"), (b"x-frame-options", "DENY")):
                    if name not in present:
                        headers.append((name, value.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


async def _json(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise JobError(400, "请求体应为 JSON 对象")
    return body


def _choice(body: dict, key: str) -> Optional[str]:
    value = body.get(key)
    if value in (None, "", "auto"):
        return None
    if not isinstance(value, str):
        raise JobError(400, f"{key} 应为文字")
    return value.strip()


def _detail(upload) -> dict:
    from checkers.check import KIND_TITLES
    from checkers.reports.common import (LEVEL_TEXT, STATUS_TEXT, highlight_spans, highlight_terms, jurisdiction_text,
                                         reason, where)
    result = dict(upload.result)
    findings = []
    order = {"fail": 0, "warn": 1, "pass": 2, "not-applicable": 3}
    for finding in sorted(result["findings"], key=lambda f: order.get(f["status"], 9)):
        terms = highlight_terms(finding)  # the words the HTML report marks in the evidence
        findings.append({**finding, "status_text": STATUS_TEXT.get(finding["status"], finding["status"]),
                         "level_text": LEVEL_TEXT.get(finding["level"], finding["level"]),
                         "evidence": [{**e, "where": where(e), "marks": highlight_spans(e["text"], terms)}
                                      for e in finding["evidence"]]})
    return {**result, "index": upload.index, "name": upload.name, "findings": findings,
            "status_text": STATUS_TEXT.get(result["status"], result["status"]),
            "kind_title": KIND_TITLES.get(result["kind"] or "", ""),
            "city": jurisdiction_text(result["jurisdiction"]),
            "reason": reason(result["error"], upload.name), "cached": upload.cached}


def _attachment(filename: str) -> str:
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _local(target: str) -> str:
    """Only a path on this server (no //host, no scheme) as a place to return to after login."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_html(next_path: str, failed: bool) -> str:
    error = '<p class="error" role="alert">令牌不正确，请重新输入。</p>' if failed else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · idi 审查工作台</title>
<style>
body{{font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",
"Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;background:#f4f6f9;color:#1f2933;margin:0;
display:flex;min-height:100vh;align-items:center;justify-content:center}}
form{{background:#fff;padding:2rem 2.2rem;border-radius:10px;box-shadow:0 2px 12px rgba(0,0,0,.08);width:22rem}}
h1{{font-size:1.3rem;margin:0 0 .4rem}} p{{color:#52606d;font-size:.92rem}}
label{{display:block;margin:1rem 0 .3rem;font-weight:600}}
input{{width:100%;box-sizing:border-box;padding:.55rem .6rem;font-size:1rem;border:1px solid #9aa5b1;border-radius:6px}}
input:focus,button:focus{{outline:3px solid #7cc4fa;outline-offset:1px}}
button{{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem;background:#1f6feb;color:#fff;border:0;
border-radius:6px;cursor:pointer}} .error{{color:#b42318;font-weight:600}}
</style></head><body>
<form method="post" action="/login">
<h1>idi 审查工作台</h1>
<p>本服务需要访问令牌。请向管理员索取令牌后输入。</p>{error}
<label for="token">访问令牌</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="{html.escape(next_path, quote=True)}">
<button type="submit">进入</button>
</form></body></html>"""
