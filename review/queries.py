"""Read-only queries the store's API does not offer, written against store/schema.py.

The queue needs per-report counts (open errors, unsure rows) to order by what
needs attention; the store's ``reports()`` gives summaries with open flags only.
"""
from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Engine

from store.schema import FlagRec, ReportRec, RowRec, Run


def attention_counts(engine: Engine, low: float) -> dict[int, dict[str, int]]:
    """report id -> open errors, open warnings, open flags, rows below ``low`` confidence or match."""
    flags = (select(FlagRec.report_id,
                    func.sum(case((FlagRec.severity == "error", 1), else_=0)).label("errors"),
                    func.sum(case((FlagRec.severity == "warning", 1), else_=0)).label("warnings"),
                    func.count().label("open"))
             .where(FlagRec.status == "open").group_by(FlagRec.report_id))
    confirmed = (select(FlagRec.report_id, func.count().label("n"))
                 .where(FlagRec.status == "confirmed").group_by(FlagRec.report_id))
    rows = (select(RowRec.report_id, func.count().label("n"))
            .where(or_(RowRec.confidence < low, RowRec.match_score < low)).group_by(RowRec.report_id))
    out: dict[int, dict[str, int]] = {}

    def slot(rid: int) -> dict[str, int]:
        return out.setdefault(rid, {"errors": 0, "warnings": 0, "open": 0, "low": 0, "confirmed": 0})

    with engine.connect() as c:
        for rid, e, w, n in c.execute(flags):
            slot(rid).update(errors=int(e or 0), warnings=int(w or 0), open=int(n or 0))
        for rid, n in c.execute(confirmed):
            slot(rid)["confirmed"] = int(n)
        for rid, n in c.execute(rows):
            slot(rid)["low"] = int(n)
    return out


def queue(subs: list, counts: dict[int, dict[str, int]]) -> list[dict]:
    """One line per submission (``store.submissions``), its counted version's summary and counts.
    Submissions with a version not yet reviewed first; among them open errors first, then unsure
    rows, then warnings."""
    empty = {"errors": 0, "warnings": 0, "open": 0, "low": 0, "confirmed": 0}
    items = []
    for sub in subs:
        s = sub.counted.summary
        items.append({**s.to_dict(), "counts": counts.get(s.id) or empty, "sub": sub, "accepted": sub.total,
                      "provisional": sub.counted.accepted.provisional if sub.counted.accepted is not None else None,
                      # held out of the ranking (unit unread / not in the list): still to do
                      "reviewed": not sub.unreviewed and not sub.held_vi,
                      "versions": [{**v.summary.to_dict(), "accepted": v.total, "counted": v.id == sub.counted.id}
                                   for v in sub.versions]})
    items.sort(key=lambda r: (bool(r["reviewed"]), -r["counts"]["errors"], -r["counts"]["low"],
                              -r["counts"]["warnings"], -r["counts"]["open"], -r["id"]))
    return items


def filter_choices(engine: Engine) -> dict[str, list]:
    with engine.connect() as c:
        years = [y for (y,) in c.execute(select(ReportRec.unit_year).distinct()) if y is not None]
        rulesets = [r for (r,) in c.execute(select(ReportRec.ruleset).distinct()) if r]
    return {"years": sorted(years, reverse=True), "rulesets": sorted(rulesets)}


def run_inbox(engine: Engine, report_id: int) -> str | None:
    """The inbox of the run that stored a report: its archive holds the original."""
    with engine.connect() as c:
        return c.scalar(select(Run.inbox).join(ReportRec, and_(ReportRec.run_id == Run.id,
                                                                ReportRec.id == report_id)))

