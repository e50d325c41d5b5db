"""One report: its rows beside the page they came from, corrections, flags, the reviewed mark,
the version that counts, and the letter asking the commune to explain."""
from __future__ import annotations

import logging
from datetime import date, timedelta
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scoring import correction_checks as checks
from scoring import corrections as corr
from store.store import Store
from review import crops, crossview, exports, queries, view
from review.config import ReviewConfig
from review.letter import LetterInfo, build_letter, flagged_items, for_letter
from review.security import check_csrf, current_user
from review.web import flash, get_config, get_report, get_store, render, with_accepted

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(current_user)])


@router.get("/reports/{rid}", response_class=HTMLResponse)
def report_page(request: Request, rid: int, row: int | None = None, store: Store = Depends(get_store),
                cfg: ReviewConfig = Depends(get_config)):
    return _page(request, store, cfg, rid, row)


def _page(request: Request, store: Store, cfg: ReviewConfig, rid: int, open_row: int | None,
          form: dict | None = None, status: int = 200) -> HTMLResponse:
    """The report page; ``form``: a refused row form (what was typed, the refusals beside the
    fields) shown open on its row."""
    report, sub, version = with_accepted(store, get_report(store, rid))
    rows = view.build_rows(report, cfg.low_confidence)
    if form is not None and open_row is not None and 0 <= open_row < len(rows):
        rows[open_row].inputs.update(form["typed"])
    choices = [c for c in store.version_choices(history=True) if sub is not None and c["unit_key"] == sub.key]
    from store.communes import load
    return render(request, "report.html", status=status, r=report, doc=report.document, rows=rows, sub=sub,
                  communes=load(store), version=version, BASIS_VI=view.BASIS_VI,
                  POINTS_STATUS_VI=view.POINTS_STATUS_VI, choices=choices,
                  flags=view.sorted_flags(report), history=view.history(report), open_row=open_row,
                  low=cfg.low_confidence, can_letter=bool(flagged_items(report)), for_letter=for_letter(report),
                  district=exports.district_name(), cross=crossview.build(store, report), form=form)


@router.get("/reports/{rid}/rows/{pos}/crop.png")
def crop(rid: int, pos: int, store: Store = Depends(get_store), cfg: ReviewConfig = Depends(get_config)):
    report = get_report(store, rid)
    rows = report.rows
    if not 0 <= pos < len(rows):
        raise HTTPException(404)
    src = rows[pos].get("source") or {}
    if not src.get("bbox") or not src.get("page"):
        raise HTTPException(404, "Dòng này không có vị trí trên trang (tệp Word).")
    path = crops.original_path(report, queries.run_inbox(store.engine, rid), cfg.archive_dirs)
    if path is None:
        raise HTTPException(404, "Không tìm thấy tệp gốc đã lưu của báo cáo này.")
    try:
        png = crops.crop_png(path, report.format, int(src["page"]), src["bbox"],
                             dpi=cfg.crop_dpi, margin_pt=cfg.crop_margin_pt)
    except Exception as e:          # a damaged original must not take the page down
        log.warning("crop %s/%s failed: %s", rid, pos, e)
        raise HTTPException(404, "Không vẽ được trang gốc.") from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.post("/reports/{rid}/rows/{pos}", dependencies=[Depends(check_csrf)])
async def correct_row(request: Request, rid: int, pos: int, user: str = Depends(current_user),
                      store: Store = Depends(get_store), cfg: ReviewConfig = Depends(get_config)):
    report = get_report(store, rid)
    rows = report.rows
    if not 0 <= pos < len(rows):
        raise HTTPException(404)
    form = await request.form()
    typed = {field: str(form.get(field) or "") for field, _label in view.EDITABLE if field in form}
    if form.get("ratio_pick"):      # the reviewer's answer to "0,9 % hay 90 %?"
        typed["ratio"] = str(form.get("ratio_pick"))
    why = str(form.get("why") or "")
    # only what the reviewer changed: the form shows every value, most stay as they were
    changes = {f: t for f, t in typed.items() if t.strip() != view.value_for_input(f, rows[pos].get(f))}
    try:        # all fields or none: one refused value stores nothing (scoring.correction_checks)
        ids = store.add_corrections(rid, changes, user, why=why, row_id=rows[pos]["id"]) if changes else []
    except corr.CorrectionError as e:
        # the page again, the row open with what was typed and each refusal beside its field
        return _page(request, store, cfg, rid, pos, status=422, form={
            "typed": typed, "why": why, "errors": e.errors, "choices": e.choices,
            "message": "Không lưu được, chưa có giá trị nào thay đổi. Hãy sửa các ô được đánh dấu."})
    stored = {c.field for c in store.get_report(rid).corrections if c.id in set(ids)}
    changed = [view.FIELD_VI.get(f, f) for f in changes if f in stored]
    flash(request, f"Đã lưu sửa đổi dòng {pos + 1}: {', '.join(changed)}; điểm đã được tính lại."
          if changed else "Không có giá trị nào thay đổi.", "ok" if changed else "info")
    return RedirectResponse(f"/reports/{rid}?row={pos}#row-{pos}", status_code=303)


@router.post("/reports/{rid}/flags/{fid}", dependencies=[Depends(check_csrf)])
def flag_status(request: Request, rid: int, fid: int, status: str = Form(...), reason: str = Form(""),
                back: str = Form(""), for_letter: str = Form(""), user: str = Depends(current_user),
                store: Store = Depends(get_store)):
    report = get_report(store, rid)
    if fid not in {f.id for f in report.flags}:
        raise HTTPException(404)
    if status not in ("confirmed", "dismissed", "open"):
        raise HTTPException(400, "Trạng thái không hợp lệ.")
    anchor = f"#{back}" if back.replace("-", "").isascii() and back.replace("-", "").isalnum() else "#flags"
    problem = checks.text_problem(reason.strip(), checks.WHY_LIMIT)
    if problem:         # never cut or stored as typed: said, and nothing changes
        flash(request, f"Không lưu được: lý do {problem[0]}.", "error")
    else:
        # the reason is internal unless the reviewer ticks "đưa vào thư" (review.letter)
        store.set_flag_status(fid, status, user, reason.strip(), for_letter=bool(for_letter))
        flash(request, f"Cảnh báo đã chuyển sang: {view.STATUS_VI[status]}.")
    return RedirectResponse(f"/reports/{rid}{anchor}", status_code=303)


@router.post("/reports/{rid}/reviewed", dependencies=[Depends(check_csrf)])
def reviewed(request: Request, rid: int, value: str = Form("1"), user: str = Depends(current_user),
                store: Store = Depends(get_store)):
    get_report(store, rid)
    store.mark_reviewed(rid, user, reviewed=value == "1")
    flash(request, "Đã đánh dấu báo cáo là đã rà soát." if value == "1" else "Đã mở lại báo cáo để rà soát.")
    return RedirectResponse(f"/reports/{rid}", status_code=303)


@router.post("/reports/{rid}/count", dependencies=[Depends(check_csrf)])
def count_version(request: Request, rid: int, why: str = Form(""), user: str = Depends(current_user),
                store: Store = Depends(get_store)):
    _report, sub, version = with_accepted(store, get_report(store, rid))
    if sub is None:
        raise HTTPException(409, "Tệp này không phải là một bản báo cáo tự đánh giá nên không thể được tính.")
    problem = checks.text_problem(why.strip(), checks.WHY_LIMIT)
    if problem:
        flash(request, f"Không lưu được: lý do {problem[0]}.", "error")
        return RedirectResponse(f"/reports/{rid}", status_code=303)
    store.choose_version(rid, user, why.strip())
    flash(request, f"Bản #{rid} được tính cho {sub.name or 'đơn vị'} năm {sub.year or ''}.")
    return RedirectResponse(f"/reports/{rid}", status_code=303)


@router.post("/reports/{rid}/unit", dependencies=[Depends(check_csrf)])
def set_unit(request: Request, rid: int, name: str = Form(""), why: str = Form(""), year: str = Form(""),
             user: str = Depends(current_user), store: Store = Depends(get_store)):
    """A reviewer sets the report's unit (a name the header lost, or one not in the list):
    audited as a correction of unit.name (who, when, old, new, why)."""
    from store.communes import CommunesError
    from store.communes import set_unit as set_unit_
    get_report(store, rid)
    problem = (checks.text_problem(name.strip()) or checks.text_problem(year.strip(), 8)
               or checks.text_problem(why.strip(), checks.WHY_LIMIT))
    if problem:         # refused, never cut (#18)
        flash(request, f"Không lưu được đơn vị: {problem[0]}.", "error")
        return RedirectResponse(f"/reports/{rid}", status_code=303)
    try:
        old, new = set_unit_(store, rid, name.strip(), user, why.strip(), year.strip())
    except CommunesError as e:
        flash(request, f"Không lưu được đơn vị: {e}", "error")
    else:
        flash(request, f"Đã đặt đơn vị: {old or '(chưa rõ)'} → {new}.")
    return RedirectResponse(f"/reports/{rid}", status_code=303)


@router.get("/reports/{rid}/letter.docx")
def letter(rid: int, district: str = "", deadline: str = "", store: Store = Depends(get_store)):
    report, _sub, _v = with_accepted(store, get_report(store, rid))
    if not flagged_items(report):
        raise HTTPException(409, "Báo cáo chưa có cảnh báo nào được xác nhận.")
    info = LetterInfo(district=district.strip()[:80] or exports.district_name(),
                      deadline=deadline.strip()[:20] or (date.today() + timedelta(days=10)).strftime("%d/%m/%Y"))
    data = build_letter(report, info)
    unit = ((report.document.get("unit") or {}).get("name") or f"bao-cao-{rid}")
    name = f"giai-trinh-{unit}.docx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename=\"giai-trinh-{rid}.docx\"; "
                                                    f"filename*=UTF-8''{quote(name)}"})
