"""The district's accepted score: the one number the queue, the report page, the export,
the ranking and the letter show for a commune and year.  Defined here and nowhere else.

A row's accepted points, first that applies:

1. ``reviewer``: the points a reviewer set for the row (a correction of its ``computed_points``);
2. ``computed``: the points recomputed under the ruleset's rule from the row's figures, as read
   or as a reviewer corrected them (the commune's claimed points never count by themselves);
3. ``minmax``: for a Min-Max indicator, the row's place in the range of the year's counted
   reports of the same ruleset (only a batch can give it);
4. ``claim``: a ``manual`` rule (no rule a machine can apply) nobody has scored yet: the
   commune's claimed points, capped at the ruleset's maximum.  The commune gave its answer;
   only a person can score it, so until one does it counts at the claim, marked provisional;
5. ``criterion``: a ``pass_fail`` criterion counts 1 when met (Đạt), 0 when not; a criterion
   with no reading counts 0 and is provisional (pass/fail sets rank by criteria met);
6. ``no-figures``: nothing: 0 points.  The row is listed (``no_figures``) so a reviewer can
   enter the figures, or the points, from the commune's evidence.  The self-score is not
   added back: a claim nobody can check does not rank.

Each row's points carry a status (``STATUS_VI``): ``verified`` (read surely and recomputed, or
set by a reviewer), ``provisional`` (an unsure reading: the row has an open ``low-confidence``
flag or the report is ``partially-read``, and no reviewer corrected it; or a ``claim``; or a
criterion not read) and ``zero-by-rule`` (``no-figures``).  ``Accepted.provisional`` is the
part of the total that is provisional: every page, export and ranking prints it beside the total.

Only the first row matched to an indicator counts (a duplicate never twice); headings,
unmatched rows and rows of indicators outside the ruleset count nothing.  Pillar scores
are the sums of their indicators' accepted points and the total their sum, rounded to 2
decimals as the district prints them.

Works on contract dicts (``Store.get_report().document``, corrections applied), never
re-scores them: re-scoring would undo a reviewer's points.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

from rulesets.model import Indicator, Ruleset

BASIS_VI = {"reviewer": "người rà soát nhập", "computed": "tính lại theo quy tắc",
            "minmax": "Min-Max trong huyện", "claim": "điểm tự chấm, chờ người rà soát chấm (tạm tính)",
            "criterion": "tiêu chí đạt/không đạt", "no-figures": "thiếu số liệu: 0 điểm"}
STATUS_VI = {"verified": "đã xác minh", "provisional": "tạm tính", "zero-by-rule": "0 điểm theo quy tắc"}
# a row's reading is unsure while one of these flags on it (or on the document) is open
_UNSURE_ROW, _UNSURE_DOC = "low-confidence", "partially-read"


@dataclass
class Accepted:
    total: float
    pillars: dict[str, float]                       # pillar code -> points
    rows: dict[int, tuple[float, str]] = field(default_factory=dict)   # row position -> (points, basis)
    no_figures: list[str] = field(default_factory=list)               # indicator codes, ruleset order
    status: dict[int, str] = field(default_factory=dict)              # row position -> STATUS_VI key
    provisional: float = 0.0                                          # the provisional part of ``total``
    provisional_pillars: dict[str, float] = field(default_factory=dict)   # pillar code -> provisional part
    provisional_codes: list[str] = field(default_factory=list)        # indicator codes, ruleset order
    scored: bool = True             # False: a pass/fail set, the points are criteria met

    @property
    def verified(self) -> float:
        return round(self.total - self.provisional, 2)

    def to_dict(self) -> dict:
        return {"total": self.total, "pillars": dict(self.pillars), "no_figures": list(self.no_figures),
                "provisional": self.provisional, "verified": self.verified,
                "provisional_pillars": dict(self.provisional_pillars),
                "provisional_codes": list(self.provisional_codes), "scored": self.scored,
                "definition": "reviewer > computed > minmax > claim (manual, provisional) > 0 (no figures)"}


def _finite(v) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def counted_rows(doc: dict, ruleset: Ruleset) -> dict[str, int]:
    """Indicator code -> position of the row that counts for it (the first one read)."""
    out: dict[str, int] = {}
    for pos, row in enumerate(doc.get("rows") or []):
        code = row.get("indicator")
        ind = ruleset.indicator(code) if code else None
        if ind is not None and not ind.heading and ind.code not in out:
            out[ind.code] = pos
    return out


FIGURE_KEYS = ("ratio", "numerator", "denominator", "answer", "option", "count", "amount")


def row_figures(row: dict) -> dict:
    """A stored row's figures as the rules read them: numbers finite or None, words as written, facts."""
    out = {k: _finite(row.get(k)) if k not in ("answer", "option") else row.get(k) for k in FIGURE_KEYS}
    out.update(row.get("facts") or {})
    return out


def minmax_quantity(row: dict, ind: Indicator) -> float | None:
    """The quantity a Min-Max indicator compares across units: the printed rate, else the counts'
    (``rulesets.kinds.figures.raw_rate``, not capped), or the named figure."""
    from rulesets.kinds import with_formula     # a declared formula's lettered inputs give the rate
    from rulesets.kinds.figures import raw_rate
    figures = row_figures(row)
    value = ind.rule.get("value", "ratio")
    return raw_rate(with_formula(ind.rule, figures)) if value == "ratio" else _finite(figures.get(value))


def minmax_points(values: dict[int, float | None], max_points: float, higher_is_better: bool = True
                  ) -> dict[int, float | None]:
    """Min-Max over the units that have a value; units without one get None."""
    have = {k: v for k, v in values.items() if v is not None}
    out: dict[int, float | None] = {k: None for k in values}
    if not have:
        return out
    lo, hi = min(have.values()), max(have.values())
    for k, v in have.items():
        if hi - lo < 1e-12:
            out[k] = float(max_points)
        else:
            frac = (v - lo) / (hi - lo) if higher_is_better else (hi - v) / (hi - lo)
            out[k] = round(frac * max_points, 3)
    return out


def batch_minmax(docs: list[dict], ruleset: Ruleset) -> list[dict[str, float]]:
    """Per document, Min-Max indicator code -> points across the batch (units without a value get none)."""
    out: list[dict[str, float]] = [{} for _ in docs]
    for ind in ruleset.scorable():
        if not ind.batch or ind.max_points is None:
            continue
        values = {}
        for n, doc in enumerate(docs):
            pos = counted_rows(doc, ruleset).get(ind.code)
            values[n] = minmax_quantity(doc["rows"][pos], ind) if pos is not None else None
        for n, p in minmax_points(values, ind.max_points, ind.rule.get("higher_is_better", True)).items():
            if p is not None:
                out[n][ind.code] = p
    return out


def row_points(row: dict, ind: Indicator, minmax: dict[str, float] | None = None) -> tuple[float, str]:
    """(accepted points, basis) of one counting row; see the module's definition."""
    pts = _finite(row.get("computed_points"))
    if pts is not None and row.get("points_by") == "reviewer":
        return pts, "reviewer"
    if not ind.scored:
        met = criterion_met(row, ind)
        return (0.0 if not met else 1.0), "criterion"
    if pts is None and ind.is_manual:
        claim = _finite(row.get("claimed_points"))
        if claim is not None:
            cap = ind.max_points if ind.max_points is not None else claim
            return max(0.0, min(claim, float(cap))), "claim"
    if pts is not None and not ind.batch:
        return pts, "computed"
    if minmax and ind.code in minmax:
        return float(minmax[ind.code]), "minmax"
    if pts is not None:       # a Min-Max row scored outside a batch (e.g. a one-unit batch)
        return pts, "computed"
    return 0.0, "no-figures"


def criterion_met(row: dict, ind: Indicator) -> bool | None:
    """Đạt (True) / Không đạt (False) of a ``pass_fail`` row as read; None when not read."""
    from scoring.rules import passes
    return passes(ind, row_figures(row))


def unsure_codes(doc: dict) -> tuple[set[str], bool]:
    """(indicator codes with an open or unconfirmed ``low-confidence`` flag, whether the whole
    document is read only in part).  Dismissed flags are not in ``flags`` any more."""
    rows, whole = set(), False
    for f in doc.get("flags") or []:
        if f.get("status") == "confirmed":       # a reviewer looked at it and let the reading stand
            continue
        if f.get("code") == _UNSURE_ROW and f.get("indicator"):
            rows.add(f["indicator"])
        elif f.get("code") == _UNSURE_DOC:
            whole = True
    return rows, whole


def row_status(row: dict, ind: Indicator, basis: str, unsure: tuple[set[str], bool]) -> str:
    """The status (``STATUS_VI``) of one counting row's accepted points."""
    if basis == "reviewer":
        return "verified"
    if basis == "no-figures":
        return "zero-by-rule"
    if basis == "claim" or (basis == "criterion" and criterion_met(row, ind) is None):
        return "provisional"
    if row.get("figures_by") == "reviewer":     # a reviewer corrected the figures it was computed from
        return "verified"
    codes, whole = unsure
    return "provisional" if whole or ind.code in codes else "verified"


def accept(doc: dict, ruleset: Ruleset, minmax: dict[str, float] | None = None) -> Accepted:
    """The accepted score of one (corrected) contract document under ``ruleset``."""
    pillars = {p.code: 0.0 for p in ruleset.pillars}
    prov_pillars = {p.code: 0.0 for p in ruleset.pillars}
    rows: dict[int, tuple[float, str]] = {}
    status: dict[int, str] = {}
    no_figures, provisional = [], []
    counted = counted_rows(doc, ruleset)
    unsure = unsure_codes(doc)
    for ind in ruleset.scorable():       # ruleset order, so lists read as the ruleset does
        pos = counted.get(ind.code)
        if pos is None:
            continue
        row = doc["rows"][pos]
        pts, basis = row_points(row, ind, minmax)
        rows[pos] = (round(pts, 4), basis)
        status[pos] = row_status(row, ind, basis, unsure)
        if basis == "no-figures":
            no_figures.append(ind.code)
        if status[pos] == "provisional":
            provisional.append(ind.code)
            prov_pillars[ind.pillar] = prov_pillars.get(ind.pillar, 0.0) + pts
        pillars[ind.pillar] = pillars.get(ind.pillar, 0.0) + pts
    pillars = {k: round(v, 2) for k, v in pillars.items()}
    prov_pillars = {k: round(v, 2) for k, v in prov_pillars.items()}
    return Accepted(round(sum(pillars.values()), 2), pillars, rows, no_figures, status,
                    round(sum(prov_pillars.values()), 2), prov_pillars, provisional, ruleset.scored)


def accept_batch(docs: Iterable[dict], ruleset: Ruleset) -> list[Accepted]:
    """The accepted scores of a district's year (Min-Max needs all of them at once)."""
    docs = list(docs)
    return [accept(d, ruleset, mm) for d, mm in zip(docs, batch_minmax(docs, ruleset))]


def annotate(doc: dict, acc: Accepted) -> dict:
    """``doc`` with ``accepted`` (total, pillars, rows without figures) and each counting row's
    ``accepted_points`` / ``accepted_basis``: what pages, exports and letters print."""
    out = dict(doc)
    rows = []
    for pos, row in enumerate(doc.get("rows") or []):
        row = dict(row)
        if pos in acc.rows:
            row["accepted_points"], row["accepted_basis"] = acc.rows[pos]
            row["accepted_status"] = acc.status.get(pos)
        else:
            row["accepted_points"], row["accepted_basis"], row["accepted_status"] = None, None, None
        rows.append(row)
    out["rows"] = rows
    out["accepted"] = acc.to_dict()
    return out
