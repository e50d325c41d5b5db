"""Sign in and sign out."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import sessionmaker

from pipeline.store import Store
from review.security import check_csrf, safe_next, start_session
from review.users import authenticate
from review.web import get_store, render

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", next=safe_next(next), error=None)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
          store: Store = Depends(get_store)):
    with sessionmaker(store.engine, expire_on_commit=False).begin() as s:
        user = authenticate(s, username, password)
        name = user.name if user else None
    if not name:
        return render(request, "login.html", status=401, next=safe_next(next),
                      error="Sai tên đăng nhập hoặc mật khẩu.")
    start_session(request, name)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
