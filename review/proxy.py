"""HTTPS awareness: who the client is and whether it came over HTTPS, also behind a proxy.

Served by uvicorn with --ssl-*, the request scheme is already "https". Behind nginx or
Caddy the app sees plain HTTP from the proxy; only when the proxy's address is one the
operator named (`dti review --proxy IP`) are its X-Forwarded-Proto and X-Forwarded-For
believed — from anyone else those headers are a client's say-so and ignored.
"""
from __future__ import annotations

from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class TrustedProxyMiddleware:
    def __init__(self, app: ASGIApp, trusted: list[str]):
        self.app, self.trusted = app, set(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and client and client[0] in self.trusted:
            headers = dict(scope["headers"])
            scope = dict(scope)
            proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto if scope["type"] == "http" else ("wss" if proto == "https" else "ws")
            # the proxy appends the address it saw last: that one, not what the client wrote before it
            forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1").split(",")[-1].strip()
            if forwarded:
                scope["client"] = (forwarded, 0)
        await self.app(scope, receive, send)


class SessionByScheme:
    """starlette's SessionMiddleware with the cookie's Secure flag chosen per request: Secure
    when the request came over HTTPS (or always, with ``always_secure``), so the cookie never
    travels in clear once HTTPS is in use, and plain HTTP on the LAN still works."""

    def __init__(self, app: ASGIApp, always_secure: bool = False, **kw):
        self.secure = SessionMiddleware(app, https_only=True, **kw)
        self.plain = self.secure if always_secure else SessionMiddleware(app, https_only=False, **kw)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        https = scope.get("scheme") in ("https", "wss")
        await (self.secure if https else self.plain)(scope, receive, send)
