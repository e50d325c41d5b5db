"""The score flags: pure checks of one scored row, of the pillar subtotals and of the total.

Each check returns ``Flag`` objects with a Vietnamese message that names the
indicator, the figures, the claimed and the computed/maximum values, so a reviewer
can act on it (ask the commune to explain, or correct the extraction).
Thresholds follow the contract: claimed above max by > 0.01, anything else by > 0.1.
"""
from __future__ import annotations

from typing import Iterable

from matchers.report import Flag, RankedUnit, Report, Row
from rulesets.numbers import vn_number
from rulesets.model import Indicator, Ruleset
from matchers.trust import OCR_FORMATS, ReviewConfig, add_reason, field_confidence, unsure_fields, words
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
    """A number as a reviewer reads it: 45, 31,43, 8,5, 1.570 (``rulesets.numbers``: the one format)."""
    return vn_number(x, empty="—")


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


# what each row flag says, for the review item raised instead when its figures are not sure
_WHAT = {
    "claimed-exceeds-max": "điểm tự chấm vượt điểm tối đa",
    "claimed-formula-mismatch": "điểm tự chấm khác điểm tính lại",
    "numerator-exceeds-denominator": "tử số lớn hơn mẫu số",
    "max-differs-from-ruleset": "điểm tối đa khác bộ chỉ số",
    "missing-figures": "có điểm tự chấm nhưng không thấy số liệu",
}
_INPUTS = ("ratio", "numerator", "denominator", "answer", "count")


class _RowFlags:
    """Collects one row's flags; a flag whose figures are not sure becomes a review item."""

    def __init__(self, row: Row, code: str, config: ReviewConfig) -> None:
        self.row, self.code, self.config, self.out = row, code, config, []

    def add(self, flag_code: str, message: str, rests_on: list[str], severity: str | None = None,
            needs_indicator: bool = True) -> None:
        unsure = unsure_fields(self.row, rests_on, self.config)
        # a flag on the wrong indicator is as false as one on a misread figure (rows made by hand
        # or stored before the matcher kept its evidence, ``field_confidence``, have no score to ask);
        # a flag proven by the row's own printed figures alone (20 claimed of a printed 10) stands
        # whichever indicator the row is
        if needs_indicator and self.row.field_confidence and self.row.match_score < self.config.sure:
            unsure.append("match")
        if not unsure:
            self.out.append(Flag(flag_code, severity or SEVERITY[flag_code], message, self.code))
            return
        reason = f"{_WHAT[flag_code]}, nhưng {words(unsure)} đọc được chưa chắc chắn"
        add_reason(self.row, reason)
        self.out.append(Flag("low-confidence", "info",
                             f"Chỉ số {self.code}: {reason}; cần người kiểm tra trước khi kết luận "
                             f"({message})", self.code))


def row_flags(row: Row, ind: Indicator, config: ReviewConfig | None = None) -> list[Flag]:
    """Flags of one row matched to ``ind`` whose ``computed_points`` is already set.

    Each flag names the figures it rests on; where one of them is not sure
    (``matchers.trust``) the row goes to review with the reason instead.
    """
    config = config or ReviewConfig()
    code, fl = ind.code, _RowFlags(row, ind.code, config)
    claimed, computed = row.claimed_points, row.computed_points
    stated, rule_max = row.max_points, ind.max_points
    limit = stated if stated is not None else rule_max
    if claimed is not None and limit is not None and claimed > limit + MAX_EPS:
        whose = "ghi trong báo cáo" if stated is not None else "theo bộ chỉ số"
        fl.add("claimed-exceeds-max",
               f"Chỉ số {code} tự chấm {fmt(claimed)} điểm, vượt điểm tối đa {fmt(limit)} ({whose}).",
               ["claimed_points"] + (["max_points"] if stated is not None else []),
               needs_indicator=stated is None)
    if claimed is not None and computed is not None and abs(claimed - computed) > POINTS_EPS:
        under = claimed < computed
        word = "được" if under else "chỉ được"
        inputs = [f for f in _INPUTS if getattr(row, f) is not None] + ["figures"]
        # an under-claim costs the commune, not the ranking: a warning, not an accusation
        fl.add("claimed-formula-mismatch",
               f"Chỉ số {code} tự chấm {fmt(claimed)} điểm nhưng theo số liệu ({describe_figures(row)}) "
               f"và cách tính của bộ chỉ số {word} {fmt(computed)} điểm.",
               ["claimed_points"] + inputs, "warning" if under else None)
    a, b = row.numerator, row.denominator
    if a is not None and b is not None and a > b + 1e-9:
        fl.add("numerator-exceeds-denominator",
               f"Chỉ số {code}: tử số {fmt(a)} lớn hơn mẫu số {fmt(b)} "
               f"(tỷ lệ {_pct(a / b) if b else '∞'}); đề nghị đơn vị kiểm tra, giải trình số liệu.",
               ["numerator", "denominator"], needs_indicator=False)
    if stated is not None and rule_max is not None and abs(stated - rule_max) > MAX_EPS:
        fl.add("max-differs-from-ruleset",
               f"Chỉ số {code} ghi điểm tối đa {fmt(stated)}, bộ chỉ số quy định {fmt(rule_max)}.", ["max_points"])
    if claimed is not None and claimed > 0 and computed is None and not figures_present(ind.rule, row.figures()):
        fl.add("missing-figures",
               f"Chỉ số {code} tự chấm {fmt(claimed)} điểm nhưng không nêu số liệu để tính điểm "
               f"({_needs_words(ind)}).", ["claimed_points", "figures"])
    return fl.out


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
        if r.claimed_points is not None or field_confidence(r, "claimed_points") >= 1.0:
            lo += r.claimed_points or 0.0
            hi += r.claimed_points or 0.0
            read += r.claimed_points is not None
            continue
        mx = r.max_points if r.max_points is not None else (ind.max_points if ind else None)
        hi += mx if mx is not None else float("inf")
    return (lo, hi) if read else None


def _outside(printed: float, bounds: tuple[float, float]) -> bool:
    return printed < bounds[0] - POINTS_EPS or printed > bounds[1] + POINTS_EPS


def _absence_unsure(report: Report) -> bool:
    """Whether an indicator without a row may only be unread (a scan, or a report read in part)."""
    return report.format in OCR_FORMATS or any(f.code == "partially-read" for f in report.flags)


def _explainers(report: Report, rows: list[Row], diff: float, ruleset: Ruleset, pillar: str | None,
                config: ReviewConfig) -> list[str]:
    """Indicators one unsure or unread cell of which could alone make up ``diff``
    (printed sum minus the rows' sum): a self-score not sure enough to accuse
    on, or, where absence may be a misreading, an indicator with no row."""
    out = []
    for r in rows:
        # a sum rests on dozens of cells: only those too weak to stand on their own (already
        # in review) or unread may explain it away, or no scan would ever get a total checked
        if field_confidence(r, "claimed_points") >= config.low_confidence:
            continue
        ind = ruleset.indicator(r.indicator)
        mx = r.max_points if r.max_points is not None else (ind.max_points if ind else None)
        v = (r.claimed_points or 0.0) + diff
        if v >= -POINTS_EPS and (mx is None or v <= mx + POINTS_EPS):
            out.append(r.indicator)
    if _absence_unsure(report):
        # indicators without a row may be rows the reading lost: together they may hold the difference
        have = {r.indicator for r in report.rows}
        lost = [i for i in ruleset.scorable() if i.code not in have and (pillar is None or i.pillar == pillar)]
        room = sum(i.max_points or 0.0 for i in lost)
        if lost and -POINTS_EPS <= diff <= room + POINTS_EPS:
            out += [i.code for i in lost]
    return out


def _sum_check(report: Report, ruleset: Ruleset | None, rows: list[Row], printed: float, key: str,
               flag: Flag, what: str, config: ReviewConfig) -> list[Flag]:
    """``flag`` if the printed sum is out of the rows' reach and nothing unsure can explain it;
    else review items naming what could."""
    got = sum(r.claimed_points for r in rows if r.claimed_points is not None)
    if report.stated_confidence.get(key, 1.0) < config.sure:
        return [Flag("low-confidence", "info",
                     f"{what} ghi {fmt(printed)} khác tổng các dòng {fmt(got)}, nhưng số tổng in trên báo cáo "
                     f"đọc được chưa chắc chắn; cần người kiểm tra.", None)]
    if ruleset is None:
        return [flag]
    suspects = _explainers(report, rows, printed - got, ruleset, None if key == "total" else key, config)
    if not suspects:
        return [flag]
    out = []
    have = {r.indicator: r for r in rows}
    for code in suspects:
        if code not in have:
            continue
        reason = (f"{what[:1].lower() + what[1:]} ghi {fmt(printed)} khác tổng các dòng {fmt(got)}; "
                  f"điểm tự chấm của chỉ số này đọc chưa chắc chắn có thể là nguyên nhân")
        add_reason(have[code], reason)
        out.append(Flag("low-confidence", "info", f"Chỉ số {code}: {reason}; cần người kiểm tra.", code))
    lost = [c for c in suspects if c not in have]
    if lost:
        out.append(Flag("low-confidence", "info",
                        f"{what} ghi {fmt(printed)} khác tổng các dòng {fmt(got)}; các chỉ số không đọc được "
                        f"dòng nào ({', '.join(lost)}) có thể là nguyên nhân; cần người kiểm tra bản gốc.", None))
    return out


def subtotal_flags(report: Report, ruleset: Ruleset, config: ReviewConfig | None = None) -> list[Flag]:
    config = config or ReviewConfig()
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
            flag = _flag("subtotal-mismatch", f"Tổng điểm chỉ số chính {pc} ({name}) ghi {fmt(printed)} nhưng "
                                              f"cộng các chỉ số thành phần được {fmt(got)}.", pc)
            out += _sum_check(report, ruleset, rows, printed, key if key in report.stated_confidence else pc,
                              flag, f"Tổng điểm chỉ số chính {pc}", config)
    return out


def total_flags(report: Report, ruleset: Ruleset | None = None, config: ReviewConfig | None = None) -> list[Flag]:
    config = config or ReviewConfig()
    stated, got = report.totals.stated_total, report.totals.claimed_points
    if stated is None or got is None:
        return []
    rows = [r for r in report.rows if r.indicator]
    if ruleset is not None:
        rows = [r for r in rows if (ind := ruleset.indicator(r.indicator)) is None or not ind.heading]
    bounds = _sum_bounds(rows, ruleset) or (got, got)
    if not _outside(stated, bounds):
        return []
    flag = _flag("total-mismatch", f"Tổng điểm ghi {fmt(stated)} nhưng cộng các dòng được {fmt(got)}.", None)
    return _sum_check(report, ruleset, rows, stated, "total", flag, "Tổng điểm", config)


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
