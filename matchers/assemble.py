"""Matched candidates → contract rows, totals and the matcher's own flags.

The figures of a row come from its answer cell (``a = 45; b = 50``,
``5/6 cuộc họp, đạt 83,33%``, ``Có``), its rate cell, and, in Hùng Sơn-style
rows, from the points cell itself (``85% x 10``: the rate and the row's
maximum; the self-score then sits in the last column).  Each figure's
confidence comes from ``matchers.confidence`` (how it was read, how it was
assigned, how it fits); the match score stays separate, as the contract asks.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from extractors.document import Document

from matchers.answers import extract_facts, normalise_answer, without_options
from matchers.candidates import Candidate
from matchers.confidence import assess
from matchers.figures import extract_figures, parse_number, parse_points, parse_rate, parse_rate_times_max
from matchers.indicators import Match
from matchers.normalize import clean, fold
from matchers.region import read_surely
from matchers.report import Flag, Row, Source
from matchers.trust import ReviewConfig, Trust
from rulesets.model import Ruleset
from rulesets.numbers import vn_number


def _points(text: str) -> float | None:
    v = parse_points(text)
    if v is None:
        v = parse_number(text.strip()) if text.strip() else None
    return v


def build_row(m: Match, ocr: bool = False, config: ReviewConfig | None = None) -> Row:
    """One contract row from a matched candidate; ``ocr`` says its characters came from OCR."""
    config = config or ReviewConfig()
    c = m.candidate
    answer_text = clean(c.text("answer"))
    claimed_text, max_text = c.text("claimed"), c.text("max")
    row = Row(label=clean(c.label), indicator=m.indicator.code if m.indicator else None,
              match_score=round(max(0.0, min(1.0, m.score)), 3), printed_code=c.printed_code,
              source=Source(page=c.page, bbox=[round(x, 1) for x in c.bbox] if c.bbox else None),
              evidence=c.source_text or None)
    src: dict[str, str] = {}      # field -> role of the cell it was read from
    # Hùng Sơn: "85% x 10" in the points column, the result in the max column
    rtm = parse_rate_times_max(_unspecked(claimed_text) if ocr else claimed_text) if claimed_text else None
    if rtm is not None:
        row.ratio, row.max_points = rtm
        row.claimed_points = _points(max_text) if max_text else None
        src.update(ratio="claimed", max_points="claimed", claimed_points="max")
    else:
        row.claimed_points = _points(claimed_text) if claimed_text else None
        row.max_points = _points(max_text) if max_text else None
        src.update(claimed_points="claimed", max_points="max")
    # the row's maximum tells "1/1 điểm" (service points counted) from a "15/15 điểm" score pair
    hint = row.max_points if row.max_points is not None else (m.indicator.max_points if m.indicator else None)
    fig = extract_figures(answer_text, max_hint=hint) if answer_text else None
    if fig is not None:
        if row.ratio is None and fig.ratio is not None and not fig.rate_op:
            row.ratio = fig.ratio
            src["ratio"] = "answer"
        row.numerator, row.denominator = fig.numerator, fig.denominator
        row.count, row.amount = fig.count, fig.amount
        src.update(numerator="answer", denominator="answer", count="answer")
        if row.max_points is None and fig.max_points is not None and rtm is None and not claimed_text:
            row.max_points = fig.max_points
            src["max_points"] = "answer"
    ratio_text = c.text("ratio")
    if ratio_text:
        r = parse_rate(ratio_text, rate_context=True)
        if r is not None:
            row.ratio = r
            src["ratio"] = "ratio"
    if answer_text:
        has_figures = row.ratio is not None or row.numerator is not None
        ans = normalise_answer(without_options(answer_text))
        if ans in ("yes", "no") or not has_figures:
            row.answer = ans
            src["answer"] = "answer"
            if ans not in ("yes", "no"):
                row.option = answer_text
        row.facts = extract_facts(answer_text)
    src = {f: role for f, role in src.items() if getattr(row, f) is not None}
    ruleset_max = m.indicator.max_points if m.indicator is not None else None
    trust = assess(row, c, src, {"claimed": claimed_text, "max": max_text, "answer": answer_text,
                                 "ratio": ratio_text}, fig, rtm is not None, ruleset_max, ocr, config)
    if c.parse_certainty < 1.0:
        trust.doubt(list(src) + ["figures"], c.parse_certainty, "dòng đọc được theo nhiều cách")
    if ocr and m.indicator is not None:
        _plausible_max(row, ruleset_max, max_text, trust)
    if m.disputed is not None:
        # one-to-one traded this row's best-fitting indicator to a row whose name fits it worse
        # (or this row holds such an indicator): one of the two is misplaced, the names cannot say which
        d = m.disputed.code
        why = (f"một dòng khác có tên giống chỉ số {d} hơn dòng này" if d == m.indicator.code else
               f"tên dòng giống chỉ số {d} hơn, nhưng {d} đã ghép cho một dòng khác; đã ghép {m.indicator.code}")
        trust.doubt(["match"], 0.5, why + ", cần xem lại chỉ số của dòng")
    row.field_confidence = {f: round(v, 3) for f, v in trust.conf.items()}
    row.reasons = list(trust.reasons)
    # a yes/no answer is a figure of its own: digits beside it ("Có, 3 hệ thống") only matter
    # to a flag that would rest on them (scoring asks ``field_confidence``), not to the row
    counted = {f: v for f, v in trust.conf.items() if not (f == "figures" and row.answer in ("yes", "no"))}
    row.confidence = round(max(0.0, min([1.0, *counted.values()])), 3)
    return row


def _unspecked(text: str) -> str:
    """An OCR'd points cell without a lone symbol between its words: a speck read as ``*`` in
    ``100% x * 30`` lost the row its rate (and raised ``missing-figures``)."""
    return re.sub(r"\s+", " ", re.sub(r"(?<=\s)[*~'`^°|]+(?=\s)", " ", text)).strip()


def _plausible_max(row: Row, ruleset_max: float | None, max_text: str, trust: Trust) -> None:
    """OCR glues speckle and rule remnants onto numbers ("20" read as "2058").

    A read maximum above the ruleset's whose digits begin with the ruleset's
    maximum is taken as that maximum, and the row goes to review; any other
    disagreement is left as read (it may be a real one; scoring flags it only
    if the reading is sure).
    """
    if row.max_points is None or ruleset_max is None or row.max_points <= ruleset_max:
        return
    digits = "".join(ch for ch in max_text if ch.isdigit())
    want = f"{ruleset_max:g}"
    if digits.startswith(want) and len(digits) > len(want):
        trust.doubt(["max_points"], 0.55, f"điểm tối đa đọc thành “{max_text}”, lấy theo bộ chỉ số là {want}")
        row.max_points = ruleset_max


def match_flags(matches: list[Match], ruleset: Ruleset, rows: list[Row], config: ReviewConfig,
                bad_pages: list[int] = (), texts: list[str] = (), doc: Document | None = None) -> list[Flag]:
    """The matcher's flags; ``texts`` are the document's lines and table rows as read, where
    an indicator with no row may still be named (then it was lost, not left out); ``doc``: the
    reading, whose pages say whether the place of a missing row was read surely (OCR)."""
    flags: list[Flag] = []
    unmatched = [(m.candidate.page, m.candidate.bbox) for m in matches
                 if m.indicator is None and m.candidate.kind == "row"]
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
    partial = partially_read(ruleset, taken, config, bad_pages,
                             {r.source.page for r in rows if r.indicator and r.source.page})
    if partial is not None:
        flags.append(partial)
    else:
        unread = _unread_texts(texts, [m.candidate.label for m in matches if m.indicator])
        for ind in ruleset.scorable():
            if ind.code in taken:
                continue
            if _named_in(ind.name, unread):
                # its name is printed, but no row was made of it: a reading failure, not an absence
                flags.append(Flag("low-confidence", "info",
                                  f"Chỉ số {ind.code} ({ind.name[:70]}): tên chỉ số có trong báo cáo nhưng không "
                                  f"đọc được thành dòng; cần người kiểm tra bản gốc trước khi kết luận thiếu.",
                                  ind.code))
                continue
            if doc is not None:
                surely, why = read_surely(doc, ruleset, ind.code, rows, unmatched, config.sure)
                if not surely:
                    # the row may be printed where the scan was read poorly: review, not a letter
                    flags.append(Flag("low-confidence", "info",
                                      f"Chỉ số {ind.code} ({ind.name[:70]}): không tìm thấy dòng {ind.code}; "
                                      f"{why}; cần người kiểm tra bản gốc trước khi kết luận thiếu.", ind.code))
                    continue
            flags.append(Flag("missing-indicator", "warning",
                              f"Báo cáo không có chỉ số {ind.code} ({ind.name[:70]}): đề nghị đơn vị bổ sung.",
                              ind.code))
    for row in rows:
        if row.indicator and (row.confidence < config.low_confidence or row.match_score < config.low_match):
            flags.append(low_confidence_flag(row, config))
    return flags


SEEN_NAME = 90       # partial-ratio of an indicator's name within a text that counts as naming it


def _unread_texts(texts: list[str], matched_labels: list[str]) -> list[str]:
    labels = [f for f in (fold(x) for x in matched_labels) if len(f) >= 8]
    return [ft for ft in (fold(t) for t in texts) if len(ft) >= 12 and not any(lb in ft for lb in labels)]


def _named_in(name: str, texts: list[str]) -> bool:
    n = fold(name)
    return len(n) >= 12 and any(fuzz.partial_ratio(n, t) >= SEEN_NAME for t in texts)


def partially_read(ruleset: Ruleset, found: set[str], config: ReviewConfig,
                   bad_pages: list[int] = (), row_pages: set[int] = frozenset()) -> Flag | None:
    """One document-level finding instead of a missing-indicator per row a poor reading lost.

    A report of which most indicators were found, on pages read well, is read
    well: an indicator it lacks is truly absent.  Otherwise what is absent may
    only be unread, and every row it has goes to review.
    """
    wanted = [i.code for i in ruleset.scorable()]
    n = sum(code in found for code in wanted)
    if n == len(wanted):
        # every indicator was found: a bad page that holds none of their rows (a signature,
        # a stamp) lost nothing
        bad_pages = [p for p in bad_pages if p in row_pages]
    if wanted and n >= config.partial_share * len(wanted) and not bad_pages:
        return None
    pages = f"; trang đọc kém: {', '.join(map(str, bad_pages))}" if bad_pages else ""
    return Flag("partially-read", "warning",
                f"đọc được một phần: {n}/{len(wanted)} chỉ số{pages}. Mọi dòng cần người kiểm tra; "
                f"không kết luận thiếu chỉ số khi chưa xem bản gốc.", None)


def low_confidence_flag(row: Row, config: ReviewConfig) -> Flag:
    if row.match_score < config.low_match and row.confidence >= config.low_confidence:
        why = "khớp chỉ số chưa chắc chắn"
    else:
        why = "; ".join(row.reasons) or "đọc chưa chắc chắn"
    return Flag("low-confidence", "info",
                f"Chỉ số {row.indicator}: {why} (độ tin cậy {vn_number(row.confidence, fixed=True)}, "
                f"khớp {vn_number(row.match_score, fixed=True)}); cần người kiểm tra.", row.indicator)


def _printed_sum(c: Candidate, role: str) -> tuple[float | None, float]:
    """A printed subtotal/total and how sure its reading is."""
    v = _points(c.text(role)) if c.text(role) else None
    conf = c.role_confidence.get(role, c.ocr_confidence)
    if role in c.disputed_roles:
        conf = min(conf, 0.5)
    return v, conf


def stated_total(cands: list[Candidate], confidence: dict[str, float] | None = None) -> float | None:
    """The total the report prints; ``confidence["total"]`` gets how sure its reading is."""
    for c in reversed(cands):
        if c.kind != "total":
            continue
        for role in ("claimed", "max", "answer"):
            v, conf = _printed_sum(c, role) if c.text(role) else (None, 1.0)
            if v is not None:
                if confidence is not None:
                    confidence["total"] = round(conf, 3)
                return v
        nums = [parse_number(x) for x in c.source_text.replace("|", " ").split()]
        nums = [x for x in nums if x is not None]
        if nums:
            if confidence is not None:
                confidence["total"] = round(c.ocr_confidence, 3)
            return nums[-1]
    return None


def stated_subtotals(cands: list[Candidate], pillar_of: dict[str, str],
                     confidence: dict[str, float] | None = None) -> dict[str, float]:
    out: dict[str, float] = {}
    for c in cands:
        if c.kind != "pillar":
            continue
        code = pillar_of.get(c.label)
        v, conf = _printed_sum(c, "claimed") if c.text("claimed") else (None, 1.0)
        if code and v is not None:
            out[code] = v
            if confidence is not None:
                confidence[code] = round(conf, 3)
    return out
