"""The reviewers' web page: FastAPI routes over the store, server-rendered with Jinja2.

Every page but /login needs a session; every POST carries the session's CSRF
token; images are looked up by report id and row position only.
"""
from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from pipeline import corrections as corr
from pipeline import kinds, submissions
from pipeline.store import Store
from review import crops, exports, queries, view
from review.config import ReviewConfig, load_secret
from review.letter import LetterInfo, build_letter, flagged_items
from review.security import (LoginRequired, check_csrf, csrf_token, current_user, login_url, safe_next,
                             start_session)
from review.users import authenticate

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)


def _flash(request: Request, text: str, kind: str = "ok") -> None:
    request.session["flash"] = [*request.session.get("flash", []), [kind, text]][-5:]


def _int_or_none(v: str | None) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except ValueError:
        return None


def create_app(config: ReviewConfig | None = None, store: Store | None = None) -> FastAPI:
    cfg = config or ReviewConfig()
    store = store or Store(cfg.database_url)
    users_session = sessionmaker(store.engine, expire_on_commit=False)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(num=view.num, STATUS_VI=view.STATUS_VI, SEVERITY_VI=view.SEVERITY_VI,
                                 EDITABLE=view.EDITABLE)

    app = FastAPI(title="DTI — rà soát báo cáo", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SessionMiddleware, secret_key=cfg.secret_key or load_secret(),
                       session_cookie="dti_session", max_age=cfg.session_hours * 3600,
                       same_site="strict", https_only=cfg.https_only)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.store, app.state.config = store, cfg

    def render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        ctx.update(user=request.session.get("user"), csrf=csrf_token(request),
                   flashes=request.session.pop("flash", []))
        resp = templates.TemplateResponse(request, name, ctx, status_code=status)
        resp.headers["Cache-Control"] = "no-store"
        return resp

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

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        resp = await call_next(request)
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "frame-ancestors 'none'; form-action 'self'")
        return resp

    # ---- sign in -----------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/"):
        return render(request, "login.html", next=safe_next(next), error=None)

    @app.post("/login", dependencies=[Depends(check_csrf)])
    def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
        with users_session.begin() as s:
            user = authenticate(s, username, password)
            name = user.name if user else None
        if not name:
            return render(request, "login.html", status=401, next=safe_next(next),
                          error="Sai tên đăng nhập hoặc mật khẩu.")
        start_session(request, name)
        return RedirectResponse(safe_next(next), status_code=303)

    @app.post("/logout", dependencies=[Depends(check_csrf)])
    def logout(request: Request):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    pages = APIRouter(dependencies=[Depends(current_user)])

    def get_report(rid: int) -> dict:
        report = store.get_report(rid)
        if report is None:
            raise HTTPException(404)
        return report

    def with_accepted(report: dict) -> tuple[dict, object, object]:
        """The report with its accepted score (the one number) on the document and rows, and
        its submission and version (None for a file that is not a version)."""
        placed = submissions.of_report(store, report["id"])
        if placed is None:
            return report, None, None
        sub, v = placed
        acc_rows = v.document.get("rows") or []
        rows = [{**r, "accepted_points": acc_rows[r["position"]].get("accepted_points"),
                 "accepted_basis": acc_rows[r["position"]].get("accepted_basis")}
                if r["position"] < len(acc_rows) else r for r in report["rows"]]
        return {**report, "document": v.document, "rows": rows}, sub, v

    # ---- queue ------------------------------------------------------------------------
    @pages.get("/", response_class=HTMLResponse)
    def queue_page(request: Request, year: str = "", ruleset: str = "", unit: str = "", show: str = "todo"):
        y = _int_or_none(year)
        # built over whole years (the Min-Max batch), filtered after
        subs = submissions.build(store, year=y)
        want = unit.strip().casefold()
        subs = [sb for sb in subs if (not ruleset or sb.ruleset == ruleset)
                and (not want or any(want in (v.summary["unit"]["name"] or "").casefold() for v in sb.versions))]
        items = queries.queue(subs, queries.attention_counts(store.engine, cfg.low_confidence))
        todo = [i for i in items if not i["reviewed"]]
        shown = todo if show == "todo" else items
        totals = {k: sum(i["counts"][k] for i in todo) for k in ("errors", "warnings", "low", "open")}
        others = store.reports(year=y, status=kinds.STATUS)       # listed apart, never in the queue
        return render(request, "queue.html", items=shown, totals=totals, n_all=len(items), n_todo=len(todo),
                      others=others, OTHER_VI=kinds.LABEL_VI,
                      choices=queries.filter_choices(store.engine),
                      filters={"year": y, "ruleset": ruleset, "unit": unit, "show": show})

    # ---- one report ---------------------------------------------------------------------
    @pages.get("/reports/{rid}", response_class=HTMLResponse)
    def report_page(request: Request, rid: int, row: int | None = None):
        report, sub, version = with_accepted(get_report(rid))
        rows = view.build_rows(report, cfg.low_confidence)
        choices = [c for c in store.version_choices(history=True) if sub is not None and c["unit_key"] == sub.key]
        return render(request, "report.html", r=report, doc=report["document"], rows=rows, sub=sub,
                      version=version, BASIS_VI=view.BASIS_VI, choices=choices,
                      flags=view.sorted_flags(report), history=view.history(report), open_row=row,
                      low=cfg.low_confidence, can_letter=bool(flagged_items(report)),
                      district=exports.district_name())

    @pages.get("/reports/{rid}/rows/{pos}/crop.png")
    def crop(rid: int, pos: int):
        report = get_report(rid)
        rows = report["rows"]
        if not 0 <= pos < len(rows):
            raise HTTPException(404)
        src = rows[pos].get("source") or {}
        if not src.get("bbox") or not src.get("page"):
            raise HTTPException(404, "Dòng này không có vị trí trên trang (tệp Word).")
        path = crops.original_path(report, queries.run_inbox(store.engine, rid), cfg.archive_dirs)
        if path is None:
            raise HTTPException(404, "Không tìm thấy tệp gốc đã lưu của báo cáo này.")
        try:
            png = crops.crop_png(path, report.get("format"), int(src["page"]), src["bbox"],
                                 dpi=cfg.crop_dpi, margin_pt=cfg.crop_margin_pt)
        except Exception as e:          # a damaged original must not take the page down
            log.warning("crop %s/%s failed: %s", rid, pos, e)
            raise HTTPException(404, "Không vẽ được trang gốc.") from None
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})

    @pages.post("/reports/{rid}/rows/{pos}", dependencies=[Depends(check_csrf)])
    async def correct_row(request: Request, rid: int, pos: int, user: str = Depends(current_user)):
        report = get_report(rid)
        rows = report["rows"]
        if not 0 <= pos < len(rows):
            raise HTTPException(404)
        form = await request.form()
        why = str(form.get("why") or "").strip()[:1000]
        changes = {}
        for field, _label in view.EDITABLE:
            if field not in form:
                continue
            typed = str(form.get(field) or "").strip()[:200]
            # only what the reviewer changed: the form shows every value, most stay as they were
            if typed == view.value_for_input(field, rows[pos].get(field)):
                continue
            changes[field] = typed
        changed = [view.FIELD_VI.get(f, f) for f in changes]
        try:
            if changes:     # all fields or none: one refused value stores nothing
                store.add_corrections(rid, changes, user, why=why, row_id=rows[pos]["id"])
        except corr.CorrectionError as e:
            _flash(request, f"Không lưu được, chưa có giá trị nào thay đổi: {e}", "error")
        else:
            _flash(request, f"Đã lưu sửa đổi dòng {pos + 1}: {', '.join(changed)}; điểm đã được tính lại."
                   if changed else "Không có giá trị nào thay đổi.", "ok" if changed else "info")
        return RedirectResponse(f"/reports/{rid}?row={pos}#row-{pos}", status_code=303)

    @pages.post("/reports/{rid}/flags/{fid}", dependencies=[Depends(check_csrf)])
    def flag_status(request: Request, rid: int, fid: int, status: str = Form(...), reason: str = Form(""),
                    back: str = Form(""), user: str = Depends(current_user)):
        report = get_report(rid)
        if fid not in {f["id"] for f in report["flags"]}:
            raise HTTPException(404)
        if status not in ("confirmed", "dismissed", "open"):
            raise HTTPException(400, "Trạng thái không hợp lệ.")
        store.set_flag_status(fid, status, user, reason.strip()[:1000])
        _flash(request, f"Cảnh báo đã chuyển sang: {view.STATUS_VI[status]}.")
        anchor = f"#{back}" if back.replace("-", "").isalnum() else "#flags"
        return RedirectResponse(f"/reports/{rid}{anchor}", status_code=303)

    @pages.post("/reports/{rid}/reviewed", dependencies=[Depends(check_csrf)])
    def reviewed(request: Request, rid: int, value: str = Form("1"), user: str = Depends(current_user)):
        get_report(rid)
        store.mark_reviewed(rid, user, reviewed=value == "1")
        _flash(request, "Đã đánh dấu báo cáo là đã rà soát." if value == "1" else "Đã mở lại báo cáo để rà soát.")
        return RedirectResponse(f"/reports/{rid}", status_code=303)

    @pages.post("/reports/{rid}/count", dependencies=[Depends(check_csrf)])
    def count_version(request: Request, rid: int, why: str = Form(""), user: str = Depends(current_user)):
        _report, sub, version = with_accepted(get_report(rid))
        if sub is None:
            raise HTTPException(409, "Tệp này không phải là một bản báo cáo tự đánh giá nên không thể được tính.")
        store.choose_version(rid, user, why.strip()[:1000])
        _flash(request, f"Bản #{rid} được tính cho {sub.name or 'đơn vị'} năm {sub.year or ''}.")
        return RedirectResponse(f"/reports/{rid}", status_code=303)

    @pages.get("/reports/{rid}/letter.docx")
    def letter(rid: int, district: str = "", deadline: str = ""):
        report, _sub, _v = with_accepted(get_report(rid))
        if not flagged_items(report):
            raise HTTPException(409, "Báo cáo chưa có cảnh báo nào được xác nhận.")
        info = LetterInfo(district=district.strip()[:80] or exports.district_name(),
                          deadline=deadline.strip()[:20] or (date.today() + timedelta(days=10)).strftime("%d/%m/%Y"))
        data = build_letter(report, info)
        unit = ((report["document"].get("unit") or {}).get("name") or f"bao-cao-{rid}")
        name = f"giai-trinh-{unit}.docx"
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers={"Content-Disposition": f"attachment; filename=\"giai-trinh-{rid}.docx\"; "
                                                        f"filename*=UTF-8''{quote(name)}"})

    # ---- exports ------------------------------------------------------------------------
    @pages.get("/export", response_class=HTMLResponse)
    def export_page(request: Request):
        return render(request, "export.html", choices=queries.filter_choices(store.engine))

    @pages.get("/export/reports.json")
    def export_json(year: str = "", ruleset: str = ""):
        docs = exports.documents(store, _int_or_none(year), ruleset or None)
        return Response(json.dumps(docs, ensure_ascii=False, indent=1), media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="dti-reports.json"'})

    @pages.get("/export/ranking.xlsx")
    def export_ranking(ruleset: str, year: str = ""):
        try:
            data = exports.ranking_xlsx(store, ruleset, _int_or_none(year))
        except exports.ExportError as e:
            raise HTTPException(409, str(e)) from None
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="xep-hang-{ruleset}.xlsx"'})

    app.include_router(pages)
    return app
