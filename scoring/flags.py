"""The score flags: pure checks of one scored row, of the pillar subtotals and of the total.

Each check returns ``Flag`` objects with a Vietnamese message that names the
indicator, the figures, the claimed and the computed/maximum values, so a reviewer
can act on it (ask the commune to explain, or correct the extraction).
Thresholds follow the contract: claimed above max by > 0.01, anything else by > 0.1.
"""
from __future__ import annotations

from typing import Iterable

from matchers.report import Flag, RankedUnit, Report, Row
from rulesets.model import Indicator, Ruleset
from scoring.rules import figures_present

# a hair above the contract's tolerances so that 24.1 - 24 (0.1000000000000014 in floats) is not a mismatch
MAX_EPS = 0.01 + 1e-9       # claimed above the maximum
POINTS_EPS = 0.1 + 1e-9     # claimed vs computed, subtotals, totals
SCORE_CODES = ("claimed-exceeds-max", "claimed-formula-mismatch", "subtotal-mismatch", "total-mismatch",
               "numerator-exceeds-denominator", "max-differs-from-ruleset", "missing-figures")
# the severities the evaluation truth uses: what changes a score is an error,
# what a reviewer should look at but may be fine is a warning
SEVERITY = {
    "claimed-exceeds-max": "error", "claimed-formula-mismatch": "error", "subtotal-mismatch": "error",
    "total-mismatch": "error", "numerator-exceeds-denominator": "error",
    "max-differs-from-ruleset": "warning", "missing-figures": "warning",
}


def fmt(x: float | None) -> str:
    """A number as a reviewer reads it: 45, 31.43, 8.5."""
    if x is None:
        return "—"
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def _pct(r: float) -> str:
    return fmt(r * 100) + "%"


def describe_figures(row: Row) -> str:
    """The row's figures in words: 'tỷ lệ 80% (24/30)', 'trả lời "Có"', 'số lượng 9'."""
    parts = []
    if row.ratio is not None:
        parts.append(f"tỷ lệ {_pct(row.ratio)}")
    if row.numerator is not None and row.denominator is not None:
        frac = f"{fmt(row.numerator)}/{fmt(row.denominator)}"
        if row.ratio is None and row.denominator:
            parts.append(f"tỷ lệ {_pct(row.numerator / row.denominator)} ({frac})")
        else:
            parts.append(f"({frac})")
    if row.answer:
        parts.append(f"trả lời \"{'Có' if row.answer == 'yes' else 'Không' if row.answer == 'no' else row.answer}\"")
    if row.count is not None:
        parts.append(f"số lượng {fmt(row.count)}")
    if row.amount is not None:
        parts.append(f"kinh phí {fmt(row.amount)} triệu đồng")
    facts = {k: v for k, v in (row.facts or {}).items() if v is not None}
    if facts and not (row.answer or row.count is not None):
        parts.append(", ".join(f"{k}={v}" for k, v in facts.items()))
    return " ".join(parts) if parts else "không có số liệu"


def _flag(code: str, message: str, indicator: str | None) -> Flag:
    return Flag(code=code, severity=SEVERITY[code], message=message, indicator=indicator)


def row_flags(row: Row, ind: Indicator) -> list[Flag]:
    """Flags of one row matched to ``ind`` whose ``computed_points`` is already set."""
    code, out = ind.code, []
    claimed, computed = row.claimed_points, row.computed_points
    stated, rule_max = row.max_points, ind.max_points
    limit = stated if stated is not None else rule_max
    if claimed is not None and limit is not None and claimed > limit + MAX_EPS:
        whose = "ghi trong báo cáo" if stated is not None else "theo bộ chỉ số"
        out.append(_flag("claimed-exceeds-max",
                         f"Chỉ số {code} tự chấm {fmt(claimed)} điểm, vượt điểm tối đa {fmt(limit)} ({whose}).",
                         code))
    if claimed is not None and computed is not None and abs(claimed - computed) > POINTS_EPS:
        word = "chỉ được" if computed < claimed else "được"
        out.append(_flag("claimed-formula-mismatch",
                         f"Chỉ số {code} tự chấm {fmt(claimed)} điểm nhưng theo số liệu ({describe_figures(row)}) "
                         f"và cách tính của bộ chỉ số {word} {fmt(computed)} điểm.", code))
    a, b = row.numerator, row.denominator
    if a is not None and b is not None and a > b + 1e-9:
        out.append(_flag("numerator-exceeds-denominator",
                         f"Chỉ số {code}: tử số {fmt(a)} lớn hơn mẫu số {fmt(b)} "
                         f"(tỷ lệ {_pct(a / b) if b else '∞'}); đề nghị đơn vị kiểm tra, giải trình số liệu.", code))
    if stated is not None and rule_max is not None and abs(stated - rule_max) > MAX_EPS:
        out.append(_flag("max-differs-from-ruleset",
                         f"Chỉ số {code} ghi điểm tối đa {fmt(stated)}, bộ chỉ số quy định {fmt(rule_max)}.", code))
    if claimed is not None and claimed > 0 and computed is None and not figures_present(ind.rule, row.figures()):
        out.append(_flag("missing-figures",
                         f"Chỉ số {code} tự chấm {fmt(claimed)} điểm nhưng không nêu số liệu để tính điểm "
                         f"({_needs_words(ind)}).", code))
    return out


def _needs_words(ind: Indicator) -> str:
    kind = ind.rule.get("kind")
    if kind == "dvctt_substitution":
        kind = ind.rule["rule"].get("kind")
    if kind in ("rate", "rate_threshold", "bands") or (kind == "minmax" and ind.rule.get("value") == "ratio"):
        return "cần tỷ lệ hoặc tử số/mẫu số"
    if kind == "yes_no":
        return "cần trả lời Có/Không"
    if kind == "tiers":
        return f"cần số lượng ({ind.rule.get('fact')})"
    if kind == "minmax":
        return f"cần {'kinh phí' if ind.rule.get('value') == 'amount' else 'số lượng'}"
    return "cần nội dung trả lời"


def pillar_code(ruleset: Ruleset, key: str) -> str | None:
    """A stated subtotal's key as the canonical pillar code ("III" -> "3")."""
    k = str(key).strip().rstrip(".")
    for p in ruleset.pillars:
        if k == p.code or (p.roman and k.upper() == p.roman.upper()):
            return p.code
    return None


def _sum_bounds(rows: list[Row], ruleset: Ruleset | None) -> tuple[float, float] | None:
    """The least and most the rows' claimed points can add up to.

    A row whose claimed points a scan did not yield is anywhere between 0 and
    its maximum, so a printed sum inside those bounds is not a proven
    mismatch.  A blank in a digital file is a blank the unit left: it adds 0.
    None when no row was read at all.
    """
    lo = hi = 0.0
    read = 0
    for r in rows:
        ind = ruleset.indicator(r.indicator) if (ruleset and r.indicator) else None
        if ind is not None and ind.heading:
            continue
        if r.claimed_points is not None or r.confidence >= 1.0:
            lo += r.claimed_points or 0.0
            hi += r.claimed_points or 0.0
            read += r.claimed_points is not None
            continue
        mx = r.max_points if r.max_points is not None else (ind.max_points if ind else None)
        hi += mx if mx is not None else float("inf")
    return (lo, hi) if read else None


def _outside(printed: float, bounds: tuple[float, float]) -> bool:
    return printed < bounds[0] - POINTS_EPS or printed > bounds[1] + POINTS_EPS


def subtotal_flags(report: Report, ruleset: Ruleset) -> list[Flag]:
    out = []
    for key, printed in (report.stated_subtotals or {}).items():
        pc = pillar_code(ruleset, key)
        if pc is None or printed is None:
            continue
        rows = [r for r in report.rows if r.indicator and (ind := ruleset.indicator(r.indicator)) is not None
                and ind.pillar == pc and not ind.heading]
        bounds = _sum_bounds(rows, ruleset)
        if bounds is None:     # no row of that pillar was read: nothing to compare with
            continue
        if _outside(printed, bounds):
            got = sum(r.claimed_points for r in rows if r.claimed_points is not None)
            name = ruleset.pillar(pc).name
            out.append(_flag("subtotal-mismatch",
                             f"Tổng điểm chỉ số chính {pc} ({name}) ghi {fmt(printed)} nhưng cộng các chỉ số "
                             f"thành phần được {fmt(got)}.", pc))
    return out


def total_flags(report: Report, ruleset: Ruleset | None = None) -> list[Flag]:
    stated, got = report.totals.stated_total, report.totals.claimed_points
    if stated is None or got is None:
        return []
    bounds = _sum_bounds([r for r in report.rows if r.indicator], ruleset) or (got, got)
    if not _outside(stated, bounds):
        return []
    return [_flag("total-mismatch", f"Tổng điểm ghi {fmt(stated)} nhưng cộng các dòng được {fmt(got)}.", None)]


def ranking_flags(units: Iterable[RankedUnit]) -> list[Flag]:
    """A district ranking table: units whose pillars don't add up, or whose rank disagrees with the totals."""
    units = list(units)
    out = []
    for u in units:
        vals = [v for v in (u.pillars or {}).values() if v is not None]
        if u.total is not None and vals and abs(sum(vals) - u.total) > POINTS_EPS:
            out.append(_flag("total-mismatch", f"Đơn vị {u.name}: tổng điểm ghi {fmt(u.total)} nhưng cộng "
                                               f"các chỉ số chính được {fmt(sum(vals))}.", None))
    for u in units:
        if u.total is None or u.rank is None:
            continue
        expected = 1 + sum(1 for o in units if o.total is not None and o.total > u.total + 1e-6)
        if u.rank != expected:
            out.append(_flag("total-mismatch", f"Đơn vị {u.name}: xếp hạng ghi {u.rank} nhưng theo tổng điểm "
                                               f"{fmt(u.total)} phải xếp hạng {expected}.", None))
    return out
