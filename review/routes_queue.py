"""The queue: what is left to review, errors first, with filters by year, ruleset and unit."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from matchers import kinds
from store import submissions
from store.store import Store
from review import queries
from review.config import ReviewConfig
from review.security import current_user
from review.web import get_config, get_store, int_or_none, render

router = APIRouter(dependencies=[Depends(current_user)])


@router.get("/", response_class=HTMLResponse)
def queue_page(request: Request, year: str = "", ruleset: str = "", unit: str = "", show: str = "todo",
               store: Store = Depends(get_store), cfg: ReviewConfig = Depends(get_config)):
    y = int_or_none(year)
    # built over whole years (the Min-Max batch), filtered after
    subs = submissions.build(store, year=y)
    want = unit.strip().casefold()
    subs = [sb for sb in subs if (not ruleset or sb.ruleset == ruleset)
            and (not want or any(want in (v.summary.unit.name or "").casefold() for v in sb.versions))]
    items = queries.queue(subs, queries.attention_counts(store.engine, cfg.low_confidence))
    todo = [i for i in items if not i["reviewed"]]
    shown = todo if show == "todo" else items
    totals = {k: sum(i["counts"][k] for i in todo) for k in ("errors", "warnings", "low", "open")}
    others = store.reports(year=y, status=kinds.STATUS)       # listed apart, never in the queue
    return render(request, "queue.html", items=shown, totals=totals, n_all=len(items), n_todo=len(todo),
                  n_held=sum(1 for i in items if i["sub"].held_vi),
                  others=others, OTHER_VI=kinds.LABEL_VI,
                  choices=queries.filter_choices(store.engine),
                  filters={"year": y, "ruleset": ruleset, "unit": unit, "show": show})
