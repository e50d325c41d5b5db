"""Matched candidates → contract rows, totals and the matcher's own flags.

The figures of a row come from its answer cell (``a = 45; b = 50``,
``5/6 cuộc họp, đạt 83,33%``, ``Có``), its rate cell, and, in Hùng Sơn-style
rows, from the points cell itself (``85% x 10``: the rate and the row's
maximum; the self-score then sits in the last column).  Confidence combines
the OCR confidence of the row's cells with how certain the parse was; the
match score stays separate, as the contract asks.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from matchers.answers import extract_facts, normalise_answer
from matchers.candidates import Candidate
from matchers.figures import extract_figures, parse_number, parse_points, parse_rate, parse_rate_times_max
from matchers.indicators import Match
from matchers.normalize import clean
from matchers.report import Flag, Row, Source
from rulesets.model import Ruleset


def _env_threshold(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class ReviewConfig:
    """Rows below these go to the review queue (``low-confidence``); a district
    that wants more or fewer rows checked by hand sets DTI_REVIEW_CONFIDENCE /
    DTI_REVIEW_MATCH."""
    low_confidence: float = field(default_factory=lambda: _env_threshold("DTI_REVIEW_CONFIDENCE", 0.6))
    low_match: float = field(default_factory=lambda: _env_threshold("DTI_REVIEW_MATCH", 0.6))


def _points(text: str) -> float | None:
    v = parse_points(text)
    if v is None:
        v = parse_number(text.strip()) if text.strip() else None
    return v


def build_row(m: Match) -> Row:
    c = m.candidate
    answer_text = clean(c.text("answer"))
    claimed_text, max_text = c.text("claimed"), c.text("max")
    row = Row(label=clean(c.label), indicator=m.indicator.code if m.indicator else None,
              match_score=round(max(0.0, min(1.0, m.score)), 3), printed_code=c.printed_code,
              source=Source(page=c.page, bbox=[round(x, 1) for x in c.bbox] if c.bbox else None),
              evidence=c.source_text or None)
    certainty = c.parse_certainty
    # Hùng Sơn: "85% x 10" in the points column, the result in the max column
    rtm = parse_rate_times_max(claimed_text) if claimed_text else None
    if rtm is not None:
        row.ratio, row.max_points = rtm
        row.claimed_points = _points(max_text) if max_text else None
    else:
        row.claimed_points = _points(claimed_text) if claimed_text else None
        row.max_points = _points(max_text) if max_text else None
    # the row's maximum tells "1/1 điểm" (service points counted) from a "15/15 điểm" score pair
    hint = row.max_points if row.max_points is not None else (m.indicator.max_points if m.indicator else None)
    fig = extract_figures(answer_text, max_hint=hint) if answer_text else None
    if fig is not None:
        certainty = min(certainty, fig.certainty)
        if row.ratio is None and fig.ratio is not None and not fig.rate_op:
            row.ratio = fig.ratio
        row.numerator, row.denominator = fig.numerator, fig.denominator
        row.count, row.amount = fig.count, fig.amount
        if row.max_points is None and fig.max_points is not None and rtm is None and not claimed_text:
            row.max_points = fig.max_points
    ratio_text = c.text("ratio")
    if ratio_text:
        r = parse_rate(ratio_text, rate_context=True)
        if r is not None:
            row.ratio = r
    if answer_text:
        has_figures = row.ratio is not None or row.numerator is not None
        ans = normalise_answer(answer_text)
        if ans in ("yes", "no") or not has_figures:
            row.answer = ans
            if ans not in ("yes", "no"):
                row.option = answer_text
        row.facts = extract_facts(answer_text)
    conf = c.ocr_confidence
    if c.disputed:
        conf = min(conf, 0.5)
    if conf < 1.0 and m.indicator is not None:
        conf = min(conf, _plausible_max(row, m.indicator.max_points, max_text))
    row.confidence = round(max(0.0, min(1.0, conf * certainty)), 3)
    return row


def _plausible_max(row: Row, ruleset_max: float | None, max_text: str) -> float:
    """OCR glues speckle and rule remnants onto numbers ("20" read as "2058").

    A read maximum above the ruleset's whose digits begin with the ruleset's
    maximum is taken as that maximum, and the row goes to review; any other
    disagreement is left as read (it may be a real one, and gets its flag).
    Returns the confidence the row may keep.
    """
    if row.max_points is None or ruleset_max is None or row.max_points <= ruleset_max:
        return 1.0
    digits = "".join(ch for ch in max_text if ch.isdigit())
    want = f"{ruleset_max:g}"
    if digits.startswith(want) and len(digits) > len(want):
        row.max_points = ruleset_max
        return 0.55
    return 1.0


def match_flags(matches: list[Match], ruleset: Ruleset, rows: list[Row], config: ReviewConfig) -> list[Flag]:
    flags: list[Flag] = []
    taken = {m.indicator.code for m in matches if m.indicator}
    for m, row in zip(matches, rows):
        if m.indicator is None and len(m.candidate.label) >= 8:
            best = m.candidate.code and ruleset.indicator(m.candidate.code)
            if best and best.code in taken and m.name_score >= 0.8:
                flags.append(Flag("duplicate-indicator", "warning",
                                  f"Chỉ số {best.code} xuất hiện hai lần trong báo cáo (dòng “{row.label[:60]}”): "
                                  f"kiểm tra dòng nào đúng.", best.code))
            else:
                flags.append(Flag("unmatched-row", "warning",
                                  f"Dòng “{row.label[:80]}” không khớp chỉ số nào của bộ {ruleset.id}: "
                                  f"chọn chỉ số đúng hoặc bỏ qua.", None))
    for ind in ruleset.scorable():
        if ind.code not in taken:
            flags.append(Flag("missing-indicator", "warning",
                              f"Báo cáo không có chỉ số {ind.code} ({ind.name[:70]}): đề nghị đơn vị bổ sung.",
                              ind.code))
    for row in rows:
        if row.indicator and (row.confidence < config.low_confidence or row.match_score < config.low_match):
            why = "đọc chưa chắc chắn" if row.confidence < config.low_confidence else "khớp chỉ số chưa chắc chắn"
            flags.append(Flag("low-confidence", "info",
                              f"Chỉ số {row.indicator}: {why} (độ tin cậy {row.confidence:.2f}, "
                              f"khớp {row.match_score:.2f}); cần người kiểm tra.", row.indicator))
    return flags


def stated_total(cands: list[Candidate]) -> float | None:
    for c in reversed(cands):
        if c.kind != "total":
            continue
        for role in ("claimed", "max", "answer"):
            v = _points(c.text(role)) if c.text(role) else None
            if v is not None:
                return v
        nums = [parse_number(x) for x in c.source_text.replace("|", " ").split()]
        nums = [x for x in nums if x is not None]
        if nums:
            return nums[-1]
    return None


def stated_subtotals(cands: list[Candidate], pillar_of: dict[str, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for c in cands:
        if c.kind != "pillar":
            continue
        code = pillar_of.get(c.label)
        v = _points(c.text("claimed")) if c.text("claimed") else None
        if code and v is not None:
            out[code] = v
    return out
