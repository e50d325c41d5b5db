"""Sign-in and CSRF: the two checks every request passes through.

The signed cookie (starlette's SessionMiddleware) holds a session token, the
per-session CSRF token and flash messages; who is signed in is only what the
server-side record of that token says (review/sessions.py), so logout and expiry
end a session for good. Every POST form carries the CSRF token and is refused
when it does not match.
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote

from fastapi import HTTPException, Request

from review import sessions

CSRF_FIELD = "csrf"
SID_FIELD = "sid"


class LoginRequired(Exception):
    """Raised by `current_user`; the app turns it into a redirect to /login."""

    def __init__(self, next_url: str = "/"):
        self.next_url = next_url


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def check_csrf(request: Request) -> None:
    """FastAPI dependency for every POST: the form's token must equal the session's."""
    form = await request.form()          # starlette caches it, the handler's Form() params still work
    sent = form.get(CSRF_FIELD) or request.headers.get("x-csrf-token") or ""
    want = request.session.get(CSRF_FIELD) or ""
    if not want or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), want.encode()):
        raise HTTPException(status_code=403, detail="Phiên làm việc không hợp lệ, hãy tải lại trang (CSRF).")


def current_user(request: Request) -> str:
    """FastAPI dependency: the signed-in reviewer's name, from the server-side record."""
    user = getattr(request.state, "user", None)
    if user:
        return user
    token = request.session.get(SID_FIELD)
    if token:
        with request.app.state.db.begin() as s:
            user = sessions.session_user(s, token, request.app.state.config.clock())
    if not user:
        request.session.pop(SID_FIELD, None)     # a dead token is dropped from the cookie too
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    request.state.user = user
    return user


def safe_next(url: str | None) -> str:
    """Only same-site paths after login: no open redirect to another host."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url


def login_url(next_url: str) -> str:
    return "/login?next=" + quote(safe_next(next_url), safe="/")


def start_session(request: Request, user: str) -> None:
    """A fresh session at sign-in (new server record, new CSRF token), so a token seen before
    login is worthless after."""
    cfg = request.app.state.config
    with request.app.state.db.begin() as s:
        sessions.close_session(s, request.session.get(SID_FIELD))     # signing in again ends the old one
        token = sessions.open_session(s, user, cfg.clock(), cfg.session_hours)
    request.session.clear()
    request.session[SID_FIELD] = token
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    request.state.user = user


def end_session(request: Request) -> None:
    """Logout: the server forgets the token, whoever still holds a copy of the cookie."""
    with request.app.state.db.begin() as s:
        sessions.close_session(s, request.session.get(SID_FIELD))
    request.session.clear()
    request.state.user = None
