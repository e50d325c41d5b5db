"""Sign in (throttled per user name and per address) and sign out (the server forgets the session)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from review import throttle
from review.security import check_csrf, end_session, safe_next, start_session
from review.users import authenticate
from review.web import render

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", next=safe_next(next), error=None)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
    db, now = request.app.state.db, request.app.state.config.clock()
    # the address as the app sees it: the proxy's client when the proxy is trusted (review/proxy.py)
    keys = throttle.keys(username, request.client.host if request.client else None)
    with db.begin() as s:
        wait = throttle.wait_seconds(s, keys, now)
    if wait > 0:
        # refused before the password is even checked: guessing on costs nothing but time
        resp = render(request, "login.html", status=429, next=safe_next(next),
                      error=f"Đăng nhập sai quá nhiều lần. Vui lòng chờ {throttle.wait_vi(wait)} rồi thử lại.")
        resp.headers["Retry-After"] = str(int(wait) + 1)
        return resp
    with db.begin() as s:
        user = authenticate(s, username, password)
        name = user.name if user else None
        if name:
            throttle.reset(s, keys)
        else:
            throttle.record_failure(s, keys, now)
    if not name:
        return render(request, "login.html", status=401, next=safe_next(next),
                      error="Sai tên đăng nhập hoặc mật khẩu.")
    start_session(request, name)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request):
    end_session(request)
    return RedirectResponse("/login", status_code=303)
