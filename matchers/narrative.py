"""Narrative reports (prose and bullets) → candidate rows.

A narrative report says per indicator something like
``- 2.5. Tỷ lệ dân số trưởng thành có điện thoại thông minh: 82,76% (6.083/7.350
người), tự chấm 8,28 điểm (tối đa 10 điểm).`` — possibly wrapped over several
lines, without the code, or as ``Tiêu chí 15: …``.  Lines are joined into items
(one per bullet), each item is split into its label and its statement, and the
statement into the figures part and the self-score part.  Pillar headings
(``3. Hạ tầng số (tự chấm 64,75/100 điểm)``) give sections and printed
subtotals; ``Tổng điểm tự đánh giá …`` gives the stated total.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.document import Line
from matchers.candidates import Candidate, union_bbox
from matchers.nlp import find_figures
from matchers.normalize import fold, parse_code
from matchers.table_rows import pillar_score
from rulesets.vocab import answer_polarity

# a code's dot read as a comma by OCR ("5,26. Hệ thống …") only with the code's own closing dot:
# "- 15, 20 hộ" is no code
_BULLET = re.compile(r"^\s*(?:[-–•+*]\s*)?(?P<code>(?:\d{1,2}\s*\.\s*){1,3}\d{0,2}|\d{1,2},\d{1,2}(?=\.\s))"
                     r"\s*[.):]?\s+(?P<rest>\S.*)$")
_TIEU_CHI = re.compile(r"^\s*(?:[-–•+*]\s*)?(?:tiêu chí|chỉ số|chỉ tiêu)\s+(?P<code>\d{1,2}(?:\.\d{1,2})*)\s*[:.]\s*(?P<rest>.*)$", re.I)
_DASH = re.compile(r"^\s*[-–•+*]\s+(?P<rest>\S.*)$")
_MID_FIGURE = re.compile(r"(?:[=/×+(]|\bx|\bvà|\btrên)\s*$", re.I)
_ROMAN_HEAD = re.compile(r"^\s*[IVX]{1,4}\.\s+\S")
_TOTAL = re.compile(r"^\s*(?:[-–•+*]\s*)?(tong (so )?diem|tong cong|tong diem tu (cham|danh gia))", re.I)



@dataclass
class Item:
    text: str
    page: int | None
    bbox: object
    confidence: float
    kind: str        # bullet | coded | heading | total | prose


def _semicolon(text: str) -> int:
    """Where the first semicolon outside brackets stands (a name's own asides hold some), or -1."""
    depth = 0
    for k, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth <= 0:
            return k
    return -1


def _code(text: str) -> str | None:
    return parse_code(text.replace(",", "."))


def _start_kind(text: str, pillar_names: list[str]) -> str | None:
    if _TOTAL.match(fold(text)):
        return "total"
    m = _BULLET.match(text)
    if m:
        code = _code(m.group("code"))
        if code and "." not in code and pillar_score(_label_part(m.group("rest")), pillar_names) >= 70:
            return "heading"
        return "coded"
    if _TIEU_CHI.match(text):
        return "coded"
    if _ROMAN_HEAD.match(text):
        return "section"
    if _DASH.match(text):
        return "bullet"
    return None


def join_items(lines: list[Line], pillar_names: list[str]) -> list[Item]:
    """Wrapped lines joined into one item per bullet / heading / sentence start."""
    items: list[Item] = []
    for ln in lines:
        t = ln.text.strip()
        if not t:
            continue
        kind = _start_kind(t, pillar_names)
        open_item = bool(items) and items[-1].kind in ("coded", "bullet", "heading", "total") \
            and not items[-1].text.rstrip().endswith((".", ";"))
        # "… a = 14; b =" / "25. Tự chấm …": a line cut inside a figure continues it even
        # when its first number looks like a code
        if kind is not None and open_item and _MID_FIGURE.search(items[-1].text):
            kind = None
        if kind is None and items and (open_item or t[:1].islower()):
            it = items[-1]
            it.text = f"{it.text} {t}"
            if ln.page == it.page:
                it.bbox = union_bbox(it.bbox, ln.bbox)
            it.confidence = min(it.confidence, ln.confidence)
            continue
        items.append(Item(t, ln.page, ln.bbox, ln.confidence, kind or "prose"))
    return items


def _label_part(rest: str) -> str:
    return rest.split(":", 1)[0] if ":" in rest else re.split(r"\(|,", rest, 1)[0]


def parse_claim(statement: str) -> tuple[float | None, float | None, str]:
    """(claimed, max, the statement without its self-score part).

    The figures come from the spaCy pipeline's POINTS / MAX patterns (``nlp``),
    the same parsers the tables use; what precedes the self-score is the
    figures-and-answer part of the statement.
    """
    claimed = mx = None
    cut = len(statement)
    for label, text, value in find_figures(statement):
        if label == "POINTS" and claimed is None:
            claimed, pmax = value
            mx = pmax if pmax is not None else mx
            cut = min(cut, statement.find(text) if text in statement else cut)
        elif label == "MAX" and mx is None:
            mx = value
            if claimed is None and text in statement:
                cut = min(cut, statement.find(text))
    head = statement[:cut]
    head = re.sub(r"[\s,;.(]+$", "", head).strip()
    head = re.sub(r"[,;]?\s*(?:điểm\s*)?$", "", head).strip()
    return claimed, mx, head


def _states_result(code: str | None, label: str, statement: str) -> bool:
    """Whether an item without a self-score still reports on an indicator:
    a coded item with a figure or an answer, or an uncoded one that names a
    rate or count and gives a figure or a verdict (pass/fail criteria)."""
    st = fold(statement)
    if code is not None:
        return bool(re.search(r"\d|co|khong|chua|dat|da", st))
    names_measure = re.match(r"\s*(ty le|so luong|tieu chi|chi so)\b", fold(label)) is not None
    # a verdict or yes/no answer, read by the one vocabulary
    return answer_polarity(statement) is not None or (names_measure and bool(re.search(r"\d", st)))


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def read_narrative(lines: list[Line], pillar_names: list[str]) -> list[Candidate]:
    out: list[Candidate] = []
    section: str | None = None
    for it in join_items(lines, pillar_names):
        text = it.text.strip()
        if it.kind == "total":
            claimed, _, _ = parse_claim(text)
            num = str(claimed) if claimed is not None else (re.findall(r"\d{1,4}(?:[.,]\d{1,3})?", text) or [""])[-1]
            out.append(Candidate(label=text, kind="total", cells={"claimed": num}, page=it.page,
                                 bbox=it.bbox, ocr_confidence=it.confidence, source_text=text))
            continue
        m = _BULLET.match(text) or _TIEU_CHI.match(text)
        code_text, rest = (m.group("code"), m.group("rest")) if m else (None, _DASH.sub(r"\g<rest>", text))
        if it.kind == "heading":
            label = _label_part(rest).strip()
            claimed, mx, _ = parse_claim(rest)
            section = label
            out.append(Candidate(label=label, printed_code=code_text, code=_code(code_text or ""),
                                 kind="pillar", cells={"claimed": _num(claimed), "max": _num(mx)},
                                 page=it.page, bbox=it.bbox, ocr_confidence=it.confidence,
                                 pillar_hint=label, source_text=text))
            continue
        if it.kind not in ("coded", "bullet") and not (it.kind == "prose" and ":" in rest):
            continue
        at = rest.find(":") if ":" in rest else _semicolon(rest)    # "…về CĐS; Đạt, tự chấm 20/20"
        if at >= 0:
            label, statement = rest[:at], rest[at + 1:]
        else:
            label, statement = _label_part(rest), rest[len(_label_part(rest)):]
        claimed, mx, figures = parse_claim(statement)
        if claimed is None and not _states_result(code_text, label, statement):
            continue    # background ("- Dân số: 4.150 người"), not an indicator
        out.append(Candidate(
            label=label.strip(" -–"), printed_code=code_text, code=_code(code_text) if code_text else None,
            kind="row", cells={"answer": figures.strip(" ,;"), "claimed": _num(claimed), "max": _num(mx)},
            page=it.page, bbox=it.bbox, ocr_confidence=it.confidence, pillar_hint=section,
            source_text=text))
    return out
