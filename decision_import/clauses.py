"""A method text cut into clauses ``condition: outcome``, and the text helpers every reader shares.

Its own module because every reader of the method (``methods``, ``methods_formula``,
``rulesets.kinds``) starts from these clauses and the same spellings of the key words
(``Tỷ lệ``, ``Điểm tối đa`` with the accents OCR loses); kept apart, those readers
import one vocabulary and never each other.  Cutting at outcomes rather than at line
ends keeps the reading the same whether a PDF or OCR wrapped the cell's lines or not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from matchers.figures import NUM, parse_number
from matchers.normalize import clean, strip_accents
from rulesets.kinds.manual import from_text

_TIMES = r"\s*[*x×.]?\s*"
# the key words with the accents OCR loses or swaps ("Tỷ lê", "Điêm tôi đa")
_TYLE = r"T[ỷỳýyỹỵ]\s*l[ệêeéèẹểế]"
_DIEM = r"[ĐD]i[ểêeếềệ]m"
_MAXW = _DIEM + r"\s*t[ốôoồổộ]i\s*[đd]a"
# outcomes, longest forms first (a plain "Điểm tối đa" is inside all the others)
_OUTCOME = re.compile(
    r"(?P<over>(?:" + _DIEM + r"\s*[=:]\s*)?" + _TYLE + r"\s*/\s*(?P<t>" + NUM + r")\s*%" + _TIMES + _MAXW + r")"
    r"|(?P<rate>(?:" + _DIEM + r"\s*[=:]\s*)?(?:" + _TYLE + r"|\(\s*a\s*/\s*b\s*\)|a\s*/\s*b)\s*[*x×]\s*(?:" + _MAXW
    + r"|(?P<rmax>" + NUM + r")\s*(?:điểm|đ)(?!\w)))"
    r"|(?P<frac>(?P<n>\d+)\s*/\s*(?P<d>\d+)" + _TIMES + _MAXW + r")"
    r"|(?P<dec>(?P<v>0[.,]\d+)" + _TIMES + _MAXW + r")"
    r"|(?P<max>" + _MAXW + r")"
    r"|(?P<zero>(?<![\d.,])0\s*(?:" + _DIEM + r"|đ(?!\w))|không\s+có\s+điểm|không\s+tính\s+điểm)"
    # points written as a number ("20 điểm", "10đ"): a share of the indicator's maximum, when known
    # ("5 điểm wifi", "3 điểm công cộng" are places, not points: the word after must end the clause)
    r"|(?P<abs>(?<![\d.,/%])(?P<pv>" + NUM + r")\s*(?:điểm|đ)(?!\w)(?=\s*(?:[;,.)\]\n–-]|$|(?-i:[A-ZĐÀ-Ỹ]))))", re.I)


@dataclass
class Clause:
    cond: str            # text before the outcome ("Tỷ lệ >= 85%")
    points: object       # 1.0, a fraction, 0.0, "rate" or ("over", threshold)


def clauses(text: str, max_points: float | None = None) -> tuple[list[Clause], str]:
    """The clauses and what is left after the last outcome.

    Points written as a number (``Có: 10đ``, ``Đạt 100%: 20 điểm``) are that share of
    ``max_points``; without a maximum, or above it, they are ``"unknown"`` and no reader
    takes the text."""
    t = re.sub(r"\s+", " ", clean(text))
    out, pos = [], 0
    for m in _OUTCOME.finditer(t):
        cond = t[pos:m.start()].strip(" -–+;:.,")
        if m.group("over"):
            pts: object = ("over", round(parse_number(m.group("t")) / 100, 6))
        elif m.group("rate"):
            pts = "rate" if m.group("rmax") is None or _share(m.group("rmax"), max_points) == 1.0 else "unknown"
        elif m.group("frac"):
            pts = int(m.group("n")) / int(m.group("d"))
        elif m.group("dec"):
            pts = parse_number(m.group("v"))
        elif m.group("max"):
            pts = 1.0
        elif m.group("abs"):
            pts = _share(m.group("pv"), max_points)
        else:
            pts = 0.0
        out.append(Clause(cond, pts))
        pos = m.end()
    return out, t[pos:].strip(" -–+;:.,")


def _share(v: str, max_points: float | None) -> object:
    x = parse_number(v)
    if x is None or not max_points or x > max_points + 1e-9:
        return "unknown"
    return round(x / max_points, 6)


def _f(s: str) -> str:
    return strip_accents(s).lower()


def manual(text: str, why: str) -> dict:
    """A rule for a person, with why and the decision's words (the ``manual`` kind's own)."""
    return from_text(text, why)


def _negated(cond: str) -> bool:
    return re.search(r"(?:^|\s)(?:chua|khong|ko)(?:\s|$)", _f(cond)) is not None
