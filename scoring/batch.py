"""A district's batch of reports -> the ranking table (like Tủa Chùa's Phụ lục 2) and its .xlsx.

Points are the accepted points of ``scoring.accepted`` (Min-Max indicators spread over the
batch there: the best unit gets the maximum, the others ``(v - min) / (max - min) × max``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from matchers.report import Report
from rulesets.model import Ruleset
from scoring.accepted import minmax_points  # noqa: F401  (part of the batch's API)
from scoring.engine import score_report

TITLE = "Kết quả đánh giá, xếp hạng mức độ chuyển đổi số của UBND các xã, phường, thị trấn"
COL_TT, COL_NAME, COL_TOTAL, COL_RANK = "TT", "Tên đơn vị", "Tổng điểm", "Xếp hạng"
# only when some unit has provisional points (scoring.accepted): the part of its total that is
COL_PROV = "Trong đó tạm tính"
NOT_PILLARS = (COL_TT, COL_NAME, COL_TOTAL, COL_PROV, COL_RANK)


def competition_ranks(totals: list[float]) -> list[int]:
    """1, 2, 2, 4: equal totals (to 2 decimals, as printed) share a rank."""
    keys = [round(t, 2) for t in totals]
    return [1 + sum(1 for o in keys if o > k) for k in keys]


def rank(reports: Iterable[Report], ruleset: Ruleset) -> pd.DataFrame:
    """The ranking of freshly read reports: each is scored, then ranked by ``rank_documents``."""
    return rank_documents([score_report(r, ruleset).to_dict() for r in reports], ruleset)


def rank_documents(docs: list[dict], ruleset: Ruleset, accepted: list | None = None) -> pd.DataFrame:
    """The ranking table: TT, Tên đơn vị, one column per pillar (by name), Tổng điểm, Xếp hạng.

    Points are the accepted points of ``scoring.accepted`` (``accepted`` when the caller already
    computed them for the same documents).  Rows without figures get 0 there;
    ``df.attrs['no_figures']`` lists them (unit -> indicator codes) for the notes sheet.
    Provisional points (a ``manual`` row counted at its claim, an unsure reading) are in the
    totals and marked: ``df.attrs['provisional']`` (unit -> total, pillar names, indicator codes),
    and a ``Trong đó tạm tính`` column after ``Tổng điểm`` when any unit has some.  A pass/fail set
    (``df.attrs['scored']`` False) counts criteria met instead of points.
    """
    from scoring.accepted import accept_batch
    accepted = accepted if accepted is not None else accept_batch(docs, ruleset)
    records, no_figures, minmax, provisional = [], {}, {}, {}
    names = {p.code: p.name for p in ruleset.pillars}
    for n, (doc, acc) in enumerate(zip(docs, accepted), 1):
        # never a file name as a unit (#22): an unread name says so, numbered to keep units apart
        name = (doc.get("unit") or {}).get("name") or f"(chưa đọc được tên đơn vị, báo cáo thứ {n})"
        if acc.no_figures:
            no_figures[name] = list(acc.no_figures)
        if acc.provisional_codes:
            marked = {ruleset.indicator(k).pillar for k in acc.provisional_codes}
            provisional[name] = {"total": acc.provisional, "codes": list(acc.provisional_codes),
                                 "pillars": {names[c]: acc.provisional_pillars.get(c, 0.0) for c in names if c in marked}}
        for pos, (pts, basis) in acc.rows.items():
            ind = ruleset.indicator(doc["rows"][pos].get("indicator"))
            if ind is not None and ind.batch:
                minmax.setdefault(ind.code, {})[name] = pts if basis != "no-figures" else None
        rec = {COL_NAME: name}
        rec.update({p.name: acc.pillars.get(p.code, 0.0) for p in ruleset.pillars})
        rec[COL_TOTAL] = acc.total
        # a pass/fail set: how many criteria are not settled (unread or unsure), not their points
        rec[COL_PROV] = acc.provisional if acc.scored else float(len(acc.provisional_codes))
        records.append(rec)

    columns = ([COL_TT, COL_NAME] + [p.name for p in ruleset.pillars] + [COL_TOTAL]
               + ([COL_PROV] if any(acc.provisional or (acc.provisional_codes and not acc.scored)
                                    for acc in accepted) else []) + [COL_RANK])
    df = pd.DataFrame.from_records(records, columns=[c for c in columns if c not in (COL_TT, COL_RANK)])
    if df.empty:
        return pd.DataFrame(columns=columns)
    df[COL_RANK] = competition_ranks(df[COL_TOTAL].tolist())
    df = df.sort_values([COL_RANK, COL_NAME], kind="stable").reset_index(drop=True)
    df.insert(0, COL_TT, range(1, len(df) + 1))
    df.attrs["ruleset"] = ruleset.id
    df.attrs["no_figures"] = no_figures
    df.attrs["minmax"] = minmax
    df.attrs["provisional"] = provisional
    df.attrs["scored"] = ruleset.scored
    return df


def write_ranking_xlsx(df: pd.DataFrame, path: str | Path, title: str | None = None,
                       versions: list[tuple] | None = None) -> Path:
    """The ranking as .xlsx (``scoring.ranking_xlsx``)."""
    from scoring.ranking_xlsx import write
    return write(df, path, title, versions)
