"""Score one report against its ruleset: computed points per row, totals, score flags.

``score_report`` never touches the input: it returns a scored copy, so the same
extraction can be re-scored after a reviewer's correction or under another ruleset.
"""
from __future__ import annotations

import copy

from matchers.report import Flag, Report, Row
from matchers.trust import OCR_FORMATS, ReviewConfig
from rulesets.kinds import with_formula
from rulesets.model import Indicator, Ruleset
from rulesets.vocab import norm_text, strip_accents, truth_of
from scoring.flags import SCORE_CODES, ranking_flags, row_flags, subtotal_flags, total_flags
from scoring.rules import compute_points

# how a report says a unit offers no online public services (Hòa Bình V.4.2)
_NO_DVCTT = ("khong co dvctt", "khong co dich vu cong truc tuyen", "khong cung cap dvctt",
             "khong cung cap dich vu cong truc tuyen", "khong trien khai dvctt",
             "khong trien khai dich vu cong truc tuyen")


def _sum(values) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals), 4) if vals else None


def no_dvctt(row: Row) -> bool:
    """Whether this row says the unit has no DVCTT, so the substitution rule applies."""
    facts = row.facts or {}
    if truth_of(facts.get("no_dvctt")) is True or truth_of(facts.get("dvctt")) is False:
        return True
    text = strip_accents(norm_text(" ".join(str(t) for t in (row.answer, row.option, row.evidence) if t)))
    return any(p in text for p in _NO_DVCTT)


def _apply_dvctt_substitution(rows: list[Row], ruleset: Ruleset) -> None:
    """Indicators tied to DVCTT, for a unit without DVCTT, score as the rest of their pillar does:
    (points got on the pillar's other indicators / their maxima) × this indicator's maximum."""
    subst = [(r, ruleset.indicator(r.indicator)) for r in rows if r.indicator]
    subst = [(r, i) for r, i in subst if i is not None and i.wraps and no_dvctt(r)]
    for row, ind in subst:
        got = mx = 0.0
        for other in rows:
            oi = ruleset.indicator(other.indicator) if other.indicator else None
            if (oi is None or oi.pillar != ind.pillar or oi.wraps
                    or other.computed_points is None or not oi.max_points):
                continue
            got += other.computed_points
            mx += oi.max_points
        row.computed_points = round(got / mx * ind.max_points, 3) if mx and ind.max_points else None


def _formula_counts(row: Row, ind: Indicator) -> None:
    """The counts behind the rate are the declared formula's ((c+d) and (a+b)), not the
    first two letters the report printed: the contract's numerator/denominator and the
    numerator-exceeds-denominator check read these."""
    rule = ind.own_rule
    f = with_formula(rule, row.figures())
    if f.get("denominator") is not None and (f["numerator"], f["denominator"]) != (row.numerator, row.denominator):
        row.numerator, row.denominator = f["numerator"], f["denominator"]


def _indicator(ruleset: Ruleset, row: Row) -> Indicator | None:
    ind = ruleset.indicator(row.indicator) if row.indicator else None
    return None if ind is None or ind.heading else ind


def _held_back(flag: Flag, report: Report) -> Flag:
    """A scan read only in part accuses no one: a reading that lost most rows may have garbled
    the rest, however confident its characters; those go to review with the reason.  (A Word or
    text-PDF report read in part has its read figures exactly; its sums count the rows not
    found as possibly lost, in ``scoring.flags``.)"""
    if flag.code not in SCORE_CODES:
        return flag
    row = next((r for r in report.rows if r.indicator and r.indicator == flag.indicator), None)
    reason = "báo cáo chỉ đọc được một phần nên chưa kết luận: " + flag.message
    if row is not None and reason not in row.reasons:
        row.reasons.append(reason)
    return Flag("low-confidence", "info", reason, flag.indicator if row is not None else None)


def score_report(report: Report, ruleset: Ruleset, *, replace_score_flags: bool = False,
                 config: ReviewConfig | None = None) -> Report:
    """A scored copy of ``report``: computed points, totals and the score flags.

    Flags already on the report (from the matcher, or from an earlier scoring) are kept
    and not duplicated (same code and indicator).  ``replace_score_flags=True`` drops
    earlier score flags first, for re-scoring after a reviewer changed figures.
    A score flag is raised only on figures ``config.sure`` of; otherwise its row
    gets a ``low-confidence`` review item with the reason (``scoring.flags``).
    """
    config = config or ReviewConfig()
    out = copy.deepcopy(report)
    out.ruleset = ruleset.id      # the contract: the ruleset the report was scored against
    if replace_score_flags:
        out.flags = [f for f in out.flags if f.code not in SCORE_CODES]

    for row in out.rows:
        ind = _indicator(ruleset, row)
        if ind is not None:
            _formula_counts(row, ind)
        row.computed_points = compute_points(ind, row.figures()) if ind is not None else None
    _apply_dvctt_substitution(out.rows, ruleset)

    out.totals.claimed_points = _sum(r.claimed_points for r in out.rows)
    out.totals.computed_points = _sum(r.computed_points for r in out.rows)

    new: list[Flag] = []
    for row in out.rows:
        ind = _indicator(ruleset, row)
        if ind is not None:
            new += row_flags(row, ind, config)
    new += subtotal_flags(out, ruleset, config)
    new += total_flags(out, ruleset, config)
    if out.format in OCR_FORMATS and any(f.code == "partially-read" for f in out.flags):
        new = [_held_back(f, out) for f in new]
    # document-level review items differ by what they say, the rest by code and indicator
    key = lambda f: (f.code, f.indicator, f.message if f.indicator is None and f.code == "low-confidence" else "")
    seen = {key(f) for f in out.flags}
    for f in new:
        if key(f) not in seen:
            out.flags.append(f)
            seen.add(key(f))
    if out.units:
        messages = {(f.code, f.message) for f in out.flags}
        out.flags += [f for f in ranking_flags(out.units) if (f.code, f.message) not in messages]
    return out
