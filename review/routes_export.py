"""Downloads: the stored reports as JSON (corrections applied) and the ranking workbook."""
from __future__ import annotations

import json

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from store.store import Store
from review import exports, queries
from review.security import current_user
from review.web import get_store, int_or_none, render

router = APIRouter(dependencies=[Depends(current_user)])


@router.get("/export", response_class=HTMLResponse)
def export_page(request: Request, store: Store = Depends(get_store)):
    return render(request, "export.html", choices=queries.filter_choices(store.engine))


@router.get("/export/reports.json")
def export_json(year: str = "", ruleset: str = "", store: Store = Depends(get_store)):
    docs = exports.documents(store, int_or_none(year), ruleset or None)
    return Response(json.dumps(docs, ensure_ascii=False, indent=1), media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="dti-reports.json"'})


@router.get("/export/ranking.xlsx")
def export_ranking(ruleset: str, year: str = "", store: Store = Depends(get_store)):
    try:
        data = exports.ranking_xlsx(store, ruleset, int_or_none(year))
    except exports.ExportError as e:
        raise HTTPException(409, str(e)) from None
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="xep-hang-{ruleset}.xlsx"'})
