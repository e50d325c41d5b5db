"""Sentences and figure mentions in narrative reports (spaCy, no trained model).

``spacy.blank("xx")`` is used, not ``blank("vi")``: without pyvi the Vietnamese
tokenizer splits on spaces only ("78,5%" and "(1.570/2.000" stay glued), while
the multi-language tokenizer gives "78,5" "%" and keeps "1.570/2.000" and
"16/7/2022" as single tokens, which is what the patterns below need.

The Matcher finds candidate spans; their values and the negative cases (dates,
document numbers, score pairs that are not counts) come from ``figures``, so
the table parsers and the prose parsers agree.

API: ``sentences(text) -> list[str]``; ``find_figures(sentence) -> list[(label, text, value)]``
with labels RATE (fraction), FRACTION ((numerator, denominator)), POINTS ((points, max|None)),
MAX (stated maximum), MONEY (triệu đồng), COUNT (number; the unit is in the text).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .figures import (find_fractions, parse_count, parse_money, parse_number,
                      parse_rate_ex, parse_score)
from .normalize import clean

NUM = {"TEXT": {"REGEX": r"^\d[\d.,]*$"}}
FRAC = {"TEXT": {"REGEX": r"^\d[\d.,]*/\d[\d.,]*$"}}
NUM_OR_FRAC = {"TEXT": {"REGEX": r"^\d[\d.,]*(?:/\d[\d.,]*)?$"}}
OP = {"ORTH": {"IN": ["≥", "≤", ">", "<", ">=", "<="]}, "OP": "?"}
COLON = {"ORTH": {"IN": [":", "="]}, "OP": "?"}
DIEM = {"LOWER": "điểm"}
COUNT_UNITS = ["camera", "tin", "bài", "lần", "máy", "thôn", "hộ", "người", "cuộc", "trường", "dn",
               "doanh", "văn", "hồ", "dịch", "tthc", "màn", "đầu", "lớp", "ứng", "phần", "bưu"]

PATTERNS: dict[str, list[list[dict]]] = {
    "RATE": [[OP, NUM, {"ORTH": "%"}]],
    "FRACTION": [
        [FRAC],
        [NUM, {"ORTH": "/"}, NUM],
        [{"LOWER": "a"}, COLON, NUM, {"ORTH": {"IN": [";", ","]}, "OP": "?"}, {"LOWER": "b"}, COLON, NUM],
    ],
    "POINTS": [
        [{"LOWER": "tự"}, {"LOWER": {"IN": ["chấm", "đánh"]}}, {"LOWER": "giá", "OP": "?"}, COLON,
         NUM_OR_FRAC, {"LOWER": "điểm", "OP": "?"}],
        [DIEM, {"LOWER": "tự"}, {"LOWER": {"IN": ["chấm", "đánh"]}}, {"LOWER": "giá", "OP": "?"}, COLON,
         NUM_OR_FRAC, {"LOWER": "điểm", "OP": "?"}],
        [{"LOWER": "đạt"}, FRAC, DIEM],
        [FRAC, DIEM],
        [NUM, {"ORTH": "/"}, NUM, DIEM],
    ],
    "MAX": [[{"LOWER": "tối"}, {"LOWER": "đa"}, COLON, NUM, DIEM]],
    "MONEY": [[OP, NUM, {"LOWER": {"IN": ["triệu", "tỷ", "tỉ", "nghìn", "ngàn"]}},
               {"LOWER": {"IN": ["đồng", "vnđ"]}, "OP": "?"}]],
    "COUNT": [
        [NUM, {"LOWER": {"IN": COUNT_UNITS}}],
        [NUM, {"LOWER": "tin"}, {"ORTH": {"IN": [",", "/"]}}, {"LOWER": "bài"}],
        [NUM, {"LOWER": {"IN": COUNT_UNITS}}, {"ORTH": "/"}, {"ORTH": "1", "OP": "?"},
         {"LOWER": {"IN": ["tháng", "tuần", "năm", "ngày", "quý"]}}],
        [NUM, DIEM, {"LOWER": {"IN": ["wifi", "phục", "bưu"]}}],
    ],
}


@lru_cache(maxsize=1)
def pipeline():
    """(nlp, matcher), built once: spacy.blank is slow-ish and this is called per sentence."""
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    matcher = Matcher(nlp.vocab)
    for label, pats in PATTERNS.items():
        matcher.add(label, pats)
    return nlp, matcher


# a line that starts a new item: bullets, codes ("1.2.", "5.16.1."), roman headings, "Tiêu chí 15:"
_ITEM_START = re.compile(r"^\s*(?:[-–•+*▪·]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s|[IVX]{1,4}[.)]\s|tiêu chí\s*\d)", re.I)


def _items(text: str) -> list[str]:
    """Join wrapped lines back into items (bullets, numbered lines, paragraphs)."""
    items: list[str] = []
    cur: list[str] = []
    for line in clean(text).split("\n"):
        if not line.strip():
            if cur:
                items.append(" ".join(cur))
                cur = []
            continue
        if _ITEM_START.match(line) and cur:
            items.append(" ".join(cur))
            cur = []
        cur.append(line.strip())
    if cur:
        items.append(" ".join(cur))
    return items


def sentences(text: str | None) -> list[str]:
    """Bullet and numbered items are kept whole (one indicator each, verdicts like
    "... (kèm theo …). Đạt" stay with their subject); other paragraphs are split
    by spaCy's sentencizer."""
    if not text or not text.strip():
        return []
    nlp, _ = pipeline()
    out: list[str] = []
    for item in _items(text):
        if _ITEM_START.match(item):
            out.append(item)
            continue
        out.extend(s.text.strip() for s in nlp(item).sents if s.text.strip())
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_figures(sentence: str | None) -> list[tuple[str, str, object]]:
    """Figure mentions in document order as (label, text, value); see the module doc."""
    t = clean(sentence)
    if not t:
        return []
    from spacy.tokens import Span
    from spacy.util import filter_spans

    nlp, matcher = pipeline()
    doc = nlp.make_doc(t)
    spans = filter_spans([Span(doc, start, end, label=match_id) for match_id, start, end in matcher(doc)])
    fractions = find_fractions(t)
    out: list[tuple[int, str, str, object]] = []
    for sp in spans:
        label, text, rng = sp.label_, sp.text, (sp.start_char, sp.end_char)
        value: object = None
        if label == "RATE":
            r = parse_rate_ex(text)
            value = r.value if r else None
        elif label == "FRACTION":
            f = next((f for f in fractions if _overlaps((f.start, f.end), rng)), None)
            value = (f.numerator, f.denominator) if f else None
        elif label == "POINTS":
            # "4/4 điểm" beside "tự chấm 15 điểm" counts service points: find_fractions
            # (through figures.pair_is_count) already kept it as counts
            f = next((f for f in fractions if _overlaps((f.start, f.end), rng)), None)
            if f is not None and not re.match(r"tự", text, re.I):
                label, value = "FRACTION", (f.numerator, f.denominator)
            else:
                p, m = parse_score(text)
                value = (p, m) if p is not None else None
        elif label == "MAX":
            value = parse_number(re.search(r"\d[\d.,]*", text).group())
        elif label == "MONEY":
            if re.search(r"/\s*$", t[:sp.start_char]):
                continue  # "132/33.000 triệu đồng": the fraction holds it
            value = parse_money(text)
        elif label == "COUNT":
            if re.match(r"\s*/\s*\d", t[sp.end_char:]) or re.search(r"/\s*$", t[:sp.start_char]):
                continue
            c = parse_count(t[sp.start_char:sp.end_char + 12])  # "04 màn hình": the unit may be 2 words
            value = c.value if c else None
        if value is not None:
            out.append((sp.start_char, label, text, value))
    out.sort(key=lambda x: x[0])
    return [(label, text, value) for _, label, text, value in out]
