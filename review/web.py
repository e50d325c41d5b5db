"""What every router of the review page shares: the store and settings the app was made
with, page rendering, flash messages, and looking a report up by id.

The routers reach the store through `request.app.state` (set by `create_app`), so one
module-level router serves any number of apps (tests make one per store).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from store import submissions
from store.store import Store
from store.stored import StoredReport
from review import view
from review.config import ReviewConfig
from review.security import csrf_token

HERE = Path(__file__).resolve().parent


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(num=view.num, STATUS_VI=view.STATUS_VI, SEVERITY_VI=view.SEVERITY_VI,
                                 FLAG_VI=view.FLAG_VI, LAYOUT_VI=view.LAYOUT_VI,
                                 EDITABLE=view.EDITABLE)
    from store.filenames import shown
    templates.env.filters["filename"] = shown     # a name that was not UTF-8: escaped, and said so
    return templates


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_config(request: Request) -> ReviewConfig:
    return request.app.state.config


def render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    ctx.update(user=getattr(request.state, "user", None), csrf=csrf_token(request),
               flashes=request.session.pop("flash", []))
    resp = request.app.state.templates.TemplateResponse(request, name, ctx, status_code=status)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def flash(request: Request, text: str, kind: str = "ok") -> None:
    request.session["flash"] = [*request.session.get("flash", []), [kind, text]][-5:]


# the largest id a database column holds (BIGINT): a bigger number names nothing, and
# SQLite raises OverflowError on it rather than finding no row
MAX_ID = 2**63 - 1


def int_or_none(v: str | None) -> int | None:
    """A filter's number, or None for none; a number no column can hold is none too."""
    try:
        n = int(v) if v not in (None, "") else None
    except ValueError:
        return None
    return n if n is None or abs(n) <= MAX_ID else None


def get_report(store: Store, rid: int) -> StoredReport:
    """The report, or the 404 page: for an id that is not one (negative, 0, beyond any column) too."""
    if not 0 < rid <= MAX_ID:
        raise HTTPException(404)
    report = store.get_report(rid)
    if report is None:
        raise HTTPException(404)
    return report


def with_accepted(store: Store, report: StoredReport) -> tuple[StoredReport, object, object]:
    """The report with its accepted score (the one number) on the document and rows, and
    its submission and version (None for a file that is not a version)."""
    placed = submissions.of_report(store, report.id)
    if placed is None:
        return report, None, None
    sub, v = placed
    acc_rows = v.document.get("rows") or []
    rows = [{**r, "accepted_points": acc_rows[r["position"]].get("accepted_points"),
             "accepted_basis": acc_rows[r["position"]].get("accepted_basis"),
             "accepted_status": acc_rows[r["position"]].get("accepted_status")}
            if r["position"] < len(acc_rows) else r for r in report.rows]
    return dataclasses.replace(report, document=v.document, rows=rows), sub, v
