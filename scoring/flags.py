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
    """What the row must give, in the words of the rule's kind (``rulesets.kinds``)."""
    from rulesets.kinds import asks
    return asks(ind.own_rule)


class _Term:
    """One indicator's part in a printed sum: its self-score as read, or unknown.

    ``sure`` terms add their value (a blank cell of a Word or text-PDF table is a
    blank the unit left: 0).  ``weak`` ones, a self-score not read (None on a scan, a
    narrative without the number where it should be, an indicator whose row the
    reading lost) or read too poorly to stand alone, lie anywhere between 0 and the
    maximum: a sum with such a term proves a mismatch only when no value of them
    reaches it.  The rest were read fairly well: they add their value, but one whose
    single misread digit would balance the sum is a suspect (``_digit_away``).
    """

    def __init__(self, code: str, row: Row | None, value: float | None, top: float | None,
                 sure: bool, weak: bool = False) -> None:
        self.code, self.row, self.value, self.top, self.sure, self.weak = code, row, value, top, sure, weak

    def high(self) -> float:
        if self.top is None:
            return float("inf")
        return max(self.top, self.value or 0.0)

    def read_as(self) -> str:
        return "chưa đọc được" if self.value is None else f"đọc {fmt(self.value)}"


def _digit_away(read: float, wanted: float) -> bool:
    """Whether ``wanted`` is ``read`` with one digit changed (2.9 for 2.5, 18 for 13): the
    misreading OCR makes; a digit gained or lost is not (0 for 80 is a different number)."""
    a, b = f"{abs(round(read, 2)):.2f}", f"{abs(round(wanted, 2)):.2f}"
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _blank_is_blank(report: Report, row: Row) -> bool:
    """Whether a self-score cell found empty is one the unit left empty (a digital table's
    cell), not one the reading missed (OCR, or a narrative sentence without the number)."""
    return (report.format not in OCR_FORMATS and report.layout != "narrative"
            and field_confidence(row, "claimed_points") >= 1.0)


def _terms(report: Report, rows: list[Row], ruleset: Ruleset | None, pillar: str | None,
           config: ReviewConfig) -> list[_Term]:
    out = []
    for r in rows:
        ind = ruleset.indicator(r.indicator) if (ruleset and r.indicator) else None
        if ind is not None and ind.heading:
            continue
        top = ind.max_points if (ind is not None and ind.max_points is not None) else r.max_points
        if r.claimed_points is None:
            blank = _blank_is_blank(report, r)
            out.append(_Term(r.indicator, r, 0.0 if blank else None, top, blank, weak=not blank))
        else:
            fc = field_confidence(r, "claimed_points")
            out.append(_Term(r.indicator, r, r.claimed_points, top, fc >= config.sure,
                             weak=fc < config.low_confidence))
    if ruleset is not None and _absence_unsure(report):
        # indicators without a row may be rows the reading lost
        have = {r.indicator for r in report.rows}
        out += [_Term(i.code, None, None, i.max_points, False, weak=True) for i in ruleset.scorable()
                if i.code not in have and (pillar is None or i.pillar == pillar)]
    return out


def _absence_unsure(report: Report) -> bool:
    """Whether an indicator without a row may only be unread (a scan, or a report read in part)."""
    return report.format in OCR_FORMATS or any(f.code == "partially-read" for f in report.flags)


def _sum_check(report: Report, terms: list[_Term], printed: float, key: str, flag: Flag, what: str,
               short: str, config: ReviewConfig) -> list[Flag]:
    """``flag`` when the printed sum is proven wrong: no value of the weak terms reaches it and
    no single misread digit of a term read less than surely balances it.  Otherwise review
    items with the arithmetic: which cell, read otherwise, would make the sum agree, or which
    cells keep it from being checked."""
    got = sum(t.value for t in terms if t.value is not None)
    diff = printed - got
    if abs(diff) <= POINTS_EPS:
        return []
    if report.stated_confidence.get(key, 1.0) < config.sure:
        return [Flag("low-confidence", "info",
                     f"{what} ghi {fmt(printed)} khác tổng các dòng {fmt(got)}, nhưng số tổng in trên báo cáo "
                     f"đọc được chưa chắc chắn; cần người kiểm tra.", None)]
    weak = [t for t in terms if t.weak]
    lo = sum(t.value for t in terms if not t.weak and t.value is not None)
    hi = lo + sum(t.high() for t in weak)
    fits = lambda t: -POINTS_EPS <= (t.value or 0.0) + diff <= t.high() + POINTS_EPS  # noqa: E731
    if weak and lo - POINTS_EPS <= printed <= hi + POINTS_EPS:
        single = [t for t in weak if fits(t)]
        suspects, named = (single, True) if single else (weak, False)
    else:
        suspects = [t for t in terms if not t.sure and not t.weak and t.value is not None
                    and fits(t) and _digit_away(t.value, t.value + diff)]
        named = True
        if not suspects:
            return [flag]
    head = f"{short} ghi {fmt(printed)}, cộng các dòng được {fmt(got)}"
    out, lost = [], []
    for t in suspects:
        if t.row is None:
            lost.append(t.code)
            continue
        if named:
            reason = f"dòng {t.code} {t.read_as()}; nếu là {fmt(max(0.0, (t.value or 0.0) + diff))} thì khớp {short}"
        else:
            reason = f"dòng {t.code} {t.read_as()}; {short} không kiểm tra được"
        reason += f" ({head})"
        add_reason(t.row, reason)
        out.append(Flag("low-confidence", "info", f"Chỉ số {t.code}: {reason}; cần người kiểm tra.", t.code))
    if lost:
        out.append(Flag("low-confidence", "info",
                        f"{what} ghi {fmt(printed)} khác tổng các dòng {fmt(got)}; các chỉ số không đọc được "
                        f"dòng nào ({', '.join(lost)}) có thể là nguyên nhân; cần người kiểm tra bản gốc.", None))
    return out


def subtotal_flags(report: Report, ruleset: Ruleset, config: ReviewConfig | None = None) -> list[Flag]:
    config = config or ReviewConfig()
    out = []
    for key, printed in (report.stated_subtotals or {}).items():
        pc = ruleset.pillar_code(key)
        if pc is None or printed is None:
            continue
        rows = [r for r in report.rows if r.indicator and (ind := ruleset.indicator(r.indicator)) is not None
                and ind.pillar == pc and not ind.heading]
        if not any(r.claimed_points is not None for r in rows):
            continue     # no row of that pillar was read: nothing to compare with
        terms = _terms(report, rows, ruleset, pc, config)
        got = sum(t.value for t in terms if t.value is not None)
        name = ruleset.pillar(pc).name
        flag = _flag("subtotal-mismatch", f"Tổng điểm chỉ số chính {pc} ({name}) ghi {fmt(printed)} nhưng "
                                          f"cộng các chỉ số thành phần được {fmt(got)}.", pc)
        out += _sum_check(report, terms, printed, key if key in report.stated_confidence else pc,
                          flag, f"Tổng điểm chỉ số chính {pc}", f"tổng mục {pc}", config)
    return out


def total_flags(report: Report, ruleset: Ruleset | None = None, config: ReviewConfig | None = None) -> list[Flag]:
    config = config or ReviewConfig()
    stated, got = report.totals.stated_total, report.totals.claimed_points
    if stated is None or got is None:
        return []
    rows = [r for r in report.rows if r.indicator]
    terms = _terms(report, rows, ruleset, None, config)
    flag = _flag("total-mismatch", f"Tổng điểm ghi {fmt(stated)} nhưng cộng các dòng được {fmt(got)}.", None)
    return _sum_check(report, terms, stated, "total", flag, "Tổng điểm", "tổng điểm", config)


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
