"""The reviewers' web page: FastAPI routers over the store, server-rendered with Jinja2.

Every page but /login needs a session; every POST carries the session's CSRF
token; images are looked up by report id and row position only. The routes live
in review/routes_*.py; this module only assembles them with the middleware.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from store.store import Store
from review import routes_auth, routes_export, routes_queue, routes_report
from review.config import ReviewConfig, load_secret
from review.proxy import SessionByScheme, TrustedProxyMiddleware
from review.security import LoginRequired, login_url
from review.web import make_templates, render

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)

_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'")


def create_app(config: ReviewConfig | None = None, store: Store | None = None) -> FastAPI:
    cfg = config or ReviewConfig()
    store = store or Store(cfg.database_url)

    app = FastAPI(title="DTI — rà soát báo cáo", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SessionByScheme, always_secure=cfg.https_only, secret_key=cfg.secret_key or load_secret(),
                       session_cookie="dti_session", max_age=int(cfg.session_hours * 3600), same_site="strict")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.store, app.state.config, app.state.templates = store, cfg, make_templates()
    app.state.db = sessionmaker(store.engine, expire_on_commit=False)      # users, sessions, throttle

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, exc: LoginRequired):
        if request.method != "GET":
            return HTMLResponse("Cần đăng nhập / login required", status_code=401)
        return RedirectResponse(login_url(exc.next_url), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _error(request: Request, exc: StarletteHTTPException):
        msg = exc.detail if isinstance(exc.detail, str) else "Lỗi"
        if exc.status_code == 404:
            msg = "Không tìm thấy trang hoặc dữ liệu yêu cầu."
        return render(request, "error.html", status=exc.status_code, message=msg, code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # FastAPI's raw JSON 422 is no answer for a person: a path that is not an id names no
        # page (404); a query or form value of the wrong kind is a request the page cannot serve
        if any((e.get("loc") or ("",))[0] == "path" for e in exc.errors()):
            return await _error(request, StarletteHTTPException(404))
        return await _error(request, StarletteHTTPException(400, "Yêu cầu không hợp lệ, hãy quay lại trang trước."))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        # logged with its traceback by the server; the person sees a page, not a stack
        log.exception("review page: %s %s", request.method, request.url.path)
        return render(request, "error.html", status=500, code=500,
                      message="Đã có lỗi trong hệ thống, thao tác chưa được thực hiện. Hãy thử lại hoặc báo quản trị viên.")

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        resp = await call_next(request)
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Content-Security-Policy", _CSP)
        if request.url.scheme == "https":       # once on HTTPS, the browser stays there
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return resp

    for module in (routes_auth, routes_queue, routes_report, routes_export):
        app.include_router(module.router)
    if cfg.trusted_proxies:     # added last, so it runs first: sessions and headers see the real scheme
        app.add_middleware(TrustedProxyMiddleware, trusted=list(cfg.trusted_proxies))
    return app
