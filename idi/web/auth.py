"""Access control for every request (pages, static files, API, downloads).

- With a token (`--token` or IDI_TOKEN): `Authorization: Bearer <token>`, or the session cookie the
  login page (or one `?token=` link) sets; compared with hmac.compare_digest. Without it: pages
  redirect to /login, the API answers 401.
- Always: the Host header must name this server when it listens on a loopback address (a web page
  elsewhere cannot reach it by DNS rebinding), and a request that changes something must come from
  the app's own pages when the browser says where it comes from (Origin), so another site open in
  the same browser cannot submit to it.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from typing import Optional
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from .settings import Settings, is_loopback

COOKIE = "idi_session"
PUBLIC_PATHS = {"/login"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def session_value(token: str) -> str:
    """The cookie's value: derived from the token, so the token itself is not stored in the browser."""
    return hmac.new(token.encode("utf-8"), b"idi-web-session-v1", hashlib.sha256).hexdigest()


def token_matches(given: Optional[str], token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def session_matches(given: Optional[str], token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), session_value(token).encode("utf-8"))


def cookie_header(token: str, secure: bool = False) -> str:
    return (f"{COOKIE}={session_value(token)}; Path=/; HttpOnly; SameSite=Strict"
            + ("; Secure" if secure else ""))


def _cookies(raw: str) -> dict[str, str]:
    found = {}
    for part in raw.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            found[name] = value
    return found


class AccessMiddleware:
    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope.get("path", "/")
        method = scope.get("method", "GET")
        problem = self._origin_problem(headers, method)
        if problem:
            return await _send(send, 403, {"detail": problem})
        token = self.settings.token
        if token is None or path in PUBLIC_PATHS:
            return await self.app(scope, receive, send)
        authorization = headers.get("authorization", "")
        if authorization.lower().startswith("bearer ") and token_matches(authorization[7:].strip(), token):
            return await self.app(scope, receive, send)
        if session_matches(_cookies(headers.get("cookie", "")).get(COOKIE), token):
            return await self.app(scope, receive, send)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if method in SAFE_METHODS and token_matches(query.get("token"), token):
            # a link with ?token= once: set the cookie and drop the token from the address bar
            rest = urlencode([(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
                              if k != "token"])
            target = path + (f"?{rest}" if rest else "")
            return await _redirect(send, target, cookie_header(token, scope.get("scheme") == "https"))
        if path.startswith("/api/"):
            return await _send(send, 401, {"detail": "需要访问令牌：请先在登录页输入令牌，"
                                                     "或在请求头中加 Authorization: Bearer <令牌>"},
                               [(b"www-authenticate", b"Bearer")])
        if method in SAFE_METHODS and not path.startswith("/static/"):
            return await _redirect(send, "/login?" + urlencode({"next": path}))
        return await _send(send, 401, {"detail": "需要访问令牌"})

    def _origin_problem(self, headers: dict[str, str], method: str) -> Optional[str]:
        host = headers.get("host", "")
        if is_loopback(self.settings.host) and not _loopback_host(host):
            return f"拒绝访问：本服务只接受本机地址（当前 Host：{host or '无'}）"
        origin = headers.get("origin")
        if method not in SAFE_METHODS and origin and origin != "null":
            if urlsplit(origin).netloc.lower() != host.lower():
                return "拒绝访问：请求来自其他网站"
        return None


def _loopback_host(host: str) -> bool:
    if not host:
        return True  # HTTP/1.0 clients, test clients
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if host.startswith("["):
        name = host[1:host.index("]")] if "]" in host else host
    return is_loopback(name)


async def _send(send, status: int, body: dict, headers: list | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(data)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": data})


async def _redirect(send, location: str, cookie: Optional[str] = None) -> None:
    headers = [(b"location", quote(location, safe="/?=&%:+").encode("latin-1")), (b"content-length", b"0")]
    if cookie:
        headers.append((b"set-cookie", cookie.encode("latin-1")))
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
