"""Confidence of each figure of a row, from evidence, with the reasons in Vietnamese.

Three kinds of evidence, multiplied into one number per field (see ``trust.Trust``):

- how it was read: the OCR confidence of the figure's own cell and whether the
  second, digits-only read agreed (a Word or text-PDF cell is read exactly);
- how it was assigned: a cell that holds one number gives it with certainty; a
  cell with several numbers, a rate in the points column, digits that no
  figure explains, or text that did not parse leave the field in doubt;
- how it fits: the value is in its domain (a rate 0–150 %, whole counts, a
  maximum that is a plain number of points, a self-score not far above its
  maximum), and redundant figures agree (a rate and its counts, ``85% x 10``
  and the self-score beside it, the stated maximum and the ruleset's).
  Agreement of independently read figures lifts OCR doubt: misreads rarely
  agree by accident.

The matcher never scores: whether a self-score follows its rule is scoring's
question (``scoring.flags``), which asks this module's confidences before it
accuses anyone.
"""
from __future__ import annotations

import re

from matchers.answers import without_options
from matchers.candidates import Candidate
from matchers.figures import Figures, numbers
from matchers.normalize import fold
from matchers.report import Row
from matchers.trust import FIELD_WORDS, ReviewConfig, Trust, words
from rulesets.numbers import vn_number
from rulesets.vocab import fold_keep

# digits that are not figures: dates, document numbers, years, codes of legal texts
_NOT_FIGURES = re.compile(
    r"\d{1,2}/\d{1,2}/\d{2,4}|\d+/\d{4}/[A-ZĐa-zđ-]+|\d+/[A-ZĐ][A-ZĐa-zđ-]*|"
    r"(?:số|ngày|năm|tháng|quý)\s*:?\s*\d[\d/.-]*|\b(?:19|20)\d{2}\b", re.I)
_SELF_SCORE = re.compile(r"\btu (?:cham|danh gia)\b")
RATE_MAX = 1.5           # above 150 % a rate is more likely a misread or a count than a rate
ROUNDING = 0.01          # a printed rate and its counts agree within a rounding of the percent
OCR_CONFIRMED = 0.9      # what agreement of independent figures lifts an OCR figure to
GUESSED = 0.7            # a figure with signs of a misread: below a flag's ``sure``, above the review queue
_COUNTS = ("ratio", "numerator", "denominator", "count")
# a letter OCR confuses with a digit, inside a number ("44I1", "1O0", "2l5")
_GUESSED = re.compile(r"\d+[.,]?[lIO|]+[.,]?\d[\d.,]*|\d[\d.,]*[lIO|]+(?=[\s;,)%]|$)")


# a yes/no cell holding the scoring method's options too: "Có" and "Không" each as a clause's
# first word, and points spoken of
_YES = re.compile(r"(?:^|[-;:,.•~+*]\s*)co\b")
_NO = re.compile(r"(?:^|[-;:,.•~+*]\s*)khong\b")
_POINTS = re.compile(r"\bdiem\b|toi da")


def _pct(v: float) -> str:
    return vn_number(v * 100) + "%"


def _num(v: float) -> str:
    return vn_number(v)     # the one Vietnamese format (rulesets.numbers): reviewers read these reasons


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _whole(v: float | None) -> bool:
    return v is None or abs(v - round(v)) < 1e-9


def assess(row: Row, c: Candidate, sources: dict[str, str], texts: dict[str, str], fig: Figures | None,
           rtm: bool, ruleset_max: float | None, ocr: bool, config: ReviewConfig) -> Trust:
    """The per-field confidence of ``row`` (already filled by ``assemble.build_row``).

    ``sources`` maps each field that got a value to the role of the cell it came
    from; ``texts`` holds each role's text; ``fig`` is what the figures cell gave.
    """
    t = Trust()
    for f in sources:
        t.conf[f] = 1.0
    _reading(t, row, c, sources, ocr, config)
    _assignment(t, row, sources, texts, fig, rtm)
    _fit(t, row, rtm, ruleset_max, ocr)
    if ocr:
        _misread(t, row, sources, texts, ruleset_max)
        _mixed_answer(t, row, sources, texts)
    if ocr and c.role_confidence:      # table rows: a narrative without a self-score has none to miss
        _unread(t, row, c, texts, rtm, config)
    if row.claimed_points is None and _SELF_SCORE.search(fold(c.source_text)):
        # the sentence says it gives a self-score, but none was read from it ("36,//40")
        t.doubt(["claimed_points"], 0.4, f"câu có ghi điểm tự chấm nhưng không đọc được số "
                                         f"(“{_short(c.source_text, 60)}”)")
    return t


def _reading(t: Trust, row: Row, c: Candidate, sources: dict[str, str], ocr: bool, config: ReviewConfig) -> None:
    if not ocr and c.ocr_confidence >= 1.0 and not c.disputed:
        return
    for f, role in sources.items():
        rc = c.role_confidence.get(role, c.ocr_confidence)
        if rc < 1.0:
            t.doubt([f], rc, f"{FIELD_WORDS[f]} đọc từ ảnh chưa rõ (độ tin cậy {vn_number(rc, fixed=True)})"
                    if rc < config.sure else None)
        if role in c.disputed_roles or (c.disputed and not c.role_confidence):
            t.doubt([f], 0.5, f"hai lần đọc {FIELD_WORDS[f]} cho kết quả khác nhau")


def _assignment(t: Trust, row: Row, sources: dict[str, str], texts: dict[str, str], fig: Figures | None,
                rtm: bool) -> None:
    for f in ("claimed_points", "max_points"):
        role = sources.get(f) or ("max" if (f == "claimed_points") == rtm else "claimed")
        text = texts.get(role, "")
        if not text or (rtm and f == "max_points"):
            continue          # the "85% x 10" form is one pattern, checked in _fit
        vals = {v for v, _, _ in numbers(text)}
        if getattr(row, f) is None and vals:
            t.doubt([f], 0.4, f"ô {FIELD_WORDS[f]} “{_short(text)}” không đọc được thành một số")
        elif len(vals) > 1:
            t.doubt([f], 0.6, f"ô {FIELD_WORDS[f]} có nhiều số (“{_short(text)}”)")
        elif "%" in text and not rtm:
            t.doubt([f], 0.5, f"ô {FIELD_WORDS[f]} ghi một tỷ lệ (“{_short(text)}”)")
    if fig is None:
        return
    from_answer = [f for f, role in sources.items() if role == "answer"]
    elsewhere = any(sources.get(f) not in (None, "answer") for f in ("ratio", "numerator", "count"))
    if elsewhere:
        return    # the row's figures are in their own cells: this one holds the method or a note
    if fig.certainty < 1.0:
        t.doubt(from_answer + ["figures"], fig.certainty,
                f"ô số liệu có nhiều cách hiểu (“{_short(fig.raw)}”)")
    leftover = _NOT_FIGURES.sub(" ", fig.raw)
    explained = any(v is not None for v in (row.ratio, row.numerator, row.count, row.amount)) \
        or any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (row.facts or {}).values())
    if re.search(r"\d", leftover) and not explained:
        t.doubt(["figures"], 0.5,
                f"ô số liệu có số (“{_short(fig.raw)}”) nhưng không đọc được thành tỷ lệ hay số lượng")


def _mixed_answer(t: Trust, row: Row, sources: dict[str, str], texts: dict[str, str]) -> None:
    """The method's options ("- Có: 20 điểm; - Không: 0 điểm") read into the answer's cell (a
    column boundary lost on a photo): which word is the commune's answer, the reading cannot say."""
    answer_text = fold_keep(without_options(texts.get("answer")) or "")
    if row.answer in ("yes", "no") and sources.get("answer") == "answer" and _POINTS.search(answer_text) \
            and _YES.search(answer_text) and _NO.search(answer_text):
        t.doubt(["answer"], 0.4, f"ô câu trả lời lẫn cách tính điểm (“{_short(texts.get('answer', ''), 60)}”): "
                                 f"không rõ câu trả lời là Có hay Không")


def _fit(t: Trust, row: Row, rtm: bool, ruleset_max: float | None, ocr: bool) -> None:
    r, a, b = row.ratio, row.numerator, row.denominator
    counts_agree = False
    if a is not None and b:
        if r is not None:
            if abs(a / b - r) > ROUNDING:
                # one of them is wrong, whoever wrote or read it: the row must be looked at
                t.doubt(["ratio", "numerator", "denominator"], 0.5,
                        f"tỷ lệ ghi {_pct(r)} khác tỷ lệ theo số liệu {_num(a)}/{_num(b)} = {_pct(a / b)}")
            else:
                counts_agree = True
                if ocr:
                    t.confirm(["ratio", "numerator", "denominator"], OCR_CONFIRMED)
        if not (_whole(a) and _whole(b)):
            t.doubt(["numerator", "denominator"], 0.6,
                    f"số đếm {_num(a)}/{_num(b)} không phải số nguyên")
    if r is not None and (r < 0 or r > RATE_MAX) and not counts_agree:
        t.doubt(["ratio"], 0.5, f"tỷ lệ {_pct(r)} nằm ngoài khoảng hợp lý")
    mx, claimed = row.max_points, row.claimed_points
    if mx is not None and (mx < 0 or mx > 1000 or abs(mx * 2 - round(mx * 2)) > 1e-6):
        t.doubt(["max_points"], 0.5, f"điểm tối đa {_num(mx)} bất thường (không phải số điểm chẵn)")
    limit = mx if mx is not None else ruleset_max
    if claimed is not None and (claimed < 0 or (limit and claimed > 2 * limit)):
        t.doubt(["claimed_points"], 0.5,
                f"điểm tự chấm {_num(claimed)} bất thường so với điểm tối đa {_num(limit or 0)}")
    if not ocr:
        return
    # independent figures that agree confirm each other's reading
    if mx is not None and ruleset_max is not None and abs(mx - ruleset_max) < 1e-6:
        t.confirm(["max_points"], 0.95)
        if claimed is not None and abs(claimed - mx) < 1e-6:
            t.confirm(["claimed_points"], OCR_CONFIRMED)
    if rtm and r is not None and mx is not None and claimed is not None and abs(r * mx - claimed) <= 0.06:
        t.confirm(["ratio", "max_points", "claimed_points"], OCR_CONFIRMED)


def _misread(t: Trust, row: Row, sources: dict[str, str], texts: dict[str, str],
             ruleset_max: float | None) -> None:
    """Figures an OCR reading shows signs of having misread, each below ``sure`` but above the
    review threshold: no flag rests on them, and the row is queued only if a flag would have.

    A letter the reader took for a digit ("44I1" made 4411) is a guess, however confident the
    word; a stated maximum that differs from the ruleset's while the self-score beside it is
    exactly the ruleset's ("90" printed, 50 claimed, 50 in the ruleset) is likelier a misread
    maximum than a commune using another one.
    """
    for role in sorted({r for f, r in sources.items() if f in _COUNTS}):
        guessed = _GUESSED.search(texts.get(role) or "")
        if guessed:
            fields = [f for f, r in sources.items() if r == role and f in _COUNTS]
            t.doubt(fields, GUESSED, f"số “{guessed.group(0)}” có chữ lẫn trong số: {words(fields)} "
                                     f"chữ đọc chưa chắc")
    a, b = row.numerator, row.denominator
    if a is not None and b and a / b > RATE_MAX and row.ratio is None:
        # a count far above its whole on a photo is a digit gained (441 read 4411) more often than a fact
        t.doubt(["numerator", "denominator"], GUESSED,
                f"tử số đọc {_num(a)} lớn hơn mẫu số {_num(b)}; chữ đọc chưa chắc")
    mx, claimed = row.max_points, row.claimed_points
    if (mx is not None and ruleset_max is not None and claimed is not None and abs(mx - ruleset_max) > 1e-6
            and abs(claimed - ruleset_max) < 1e-6 and claimed < mx):
        t.doubt(["max_points"], GUESSED, f"điểm tối đa đọc {_num(mx)} khác bộ chỉ số ({_num(ruleset_max)}) "
                                         f"nhưng điểm tự chấm {_num(claimed)} bằng điểm tối đa của bộ chỉ số; "
                                         f"chữ đọc chưa chắc")


def _unread(t: Trust, row: Row, c: Candidate, texts: dict[str, str], rtm: bool, config: ReviewConfig) -> None:
    """On a scan a blank may be a cell the reader missed: an unread self-score is not a known 0."""
    if row.claimed_points is None and not texts.get("max" if rtm else "claimed"):
        t.doubt(["claimed_points"], 0.5, "không đọc được điểm tự chấm (ô trống hoặc mờ)")
    if not texts.get("answer") and not texts.get("ratio") and row.ratio is None:
        # the reader finds a cell's region and no words in it: blank on paper, unless the whole
        # row was read too poorly to trust (then words may have been lost with it)
        inked = min(c.role_confidence.get("answer", 1.0), c.role_confidence.get("ratio", 1.0))
        if inked < config.low_confidence:
            # not blank: the cell has ink the reader could not read (a faint rate)
            t.doubt(["figures"], inked, "ô số liệu có chữ nhưng không đọc được")
        else:
            t.doubt(["figures"], 0.9 if c.ocr_confidence >= config.low_confidence else 0.5, None)
