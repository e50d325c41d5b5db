"""Reading a row's figures the way rules need them: rates, yes/no, counts and frequencies.

Pure helpers over the ``Row.figures()`` dict.  Text fallbacks ("4 lần/tháng",
"9 camera", "Chưa có") cover rows where the matcher kept the answer as text but
did not fill in the named fact.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

WEEKS_PER_MONTH = 52 / 12


def norm_text(s: Any) -> str:
    """NFC, case-folded, single-spaced: how option words and answers are compared."""
    return " ".join(unicodedata.normalize("NFC", str(s)).casefold().split())


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    return None


def raw_rate(figures: dict) -> float | None:
    """The printed ratio, else numerator/denominator; not capped."""
    r = _num(figures.get("ratio"))
    if r is not None:
        return r
    a, b = _num(figures.get("numerator")), _num(figures.get("denominator"))
    if a is not None and b:
        return a / b
    return None


def rate_of(figures: dict) -> float | None:
    """The rate a rule scores: capped at 100 % because no rule pays above its maximum.

    With no rate printed, a plain yes/no answer stands for 100 % / 0 %: rate criteria
    whose wording is "Cung cấp đầy đủ: tối đa; không cung cấp: 0" are answered that way."""
    r = raw_rate(figures)
    if r is None:
        a = figures.get("answer")
        return 1.0 if a == "yes" else 0.0 if a == "no" else None
    return max(0.0, min(r, 1.0))


_YES = ("yes", "có", "đạt", "đã", "hoàn chỉnh", "đầy đủ", "đúng hạn", "true")
_NO = ("no", "không", "chưa", "false")


def truth_of(v: Any) -> bool | None:
    """A yes/no fact or answer as a bool; None when it is neither."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v > 0
    if not isinstance(v, str) or not v.strip():
        return None
    t = norm_text(v)
    # "không"/"chưa" first: "chưa có" must not read as "có"
    if any(t == w or t.startswith(w + " ") or t.startswith(w + ",") for w in _NO):
        return False
    if any(t == w or t.startswith(w + " ") or t.startswith(w + ",") or t.startswith(w + ":") for w in _YES):
        return True
    return None


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PER = re.compile(r"(\d+(?:[.,]\d+)?)\s*lần\s*/\s*(?:1\s*)?(ngày|tuần|tháng|quý|năm)")
_EVERY = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ngày|tuần|tháng|quý|năm)\s*/\s*(?:1\s*)?lần")
_HANG = re.compile(r"hàng\s*(ngày|tuần|tháng|quý|năm)|hằng\s*(ngày|tuần|tháng|quý|năm)")
_PER_WEEK = {"ngày": 7.0, "tuần": 1.0, "tháng": 12 / 52, "quý": 4 / 52, "năm": 1 / 52}


def _vn_number(s: str) -> float:
    # counts: "1.570" is 1570; a comma is a decimal separator ("8,5")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return float(s.replace(".", ""))
    return float(s.replace(",", "."))


def _frequency_per_week(text: str) -> float | None:
    t = norm_text(text)
    m = _PER.search(t)
    if m:
        return _vn_number(m.group(1)) * _PER_WEEK[m.group(2)]
    m = _EVERY.search(t)
    if m:
        n = _vn_number(m.group(1))
        return _PER_WEEK[m.group(2)] / n if n else None
    m = _HANG.search(t)
    if m:
        return _PER_WEEK[m.group(1) or m.group(2)]
    if truth_of(text) is False:
        return 0.0
    return None


def _count_from_text(text: str) -> float | None:
    """A single counted quantity in an answer ("9 camera", "Chưa có" -> 0); None if ambiguous."""
    nums = _NUMBER.findall(str(text))
    if len(nums) == 1:
        return _vn_number(nums[0])
    return 0.0 if not nums and truth_of(text) is False else None


def fact_value(figures: dict, fact: str) -> float | None:
    """A numeric fact with the fallbacks reports need: articles<->count, per_month<->per_week,
    then the answer text ("4 lần/tháng", "14 tin, bài", "Chưa có")."""
    v = _num(figures.get(fact))
    if v is not None:
        return v
    if fact in ("articles", "count"):
        v = _num(figures.get("count" if fact == "articles" else "articles"))
    elif fact == "per_month":
        w = _num(figures.get("per_week"))
        v = None if w is None else w * WEEKS_PER_MONTH
    elif fact == "per_week":
        m = _num(figures.get("per_month"))
        v = None if m is None else m / WEEKS_PER_MONTH
    if v is not None:
        return v
    text = figures.get("answer") or figures.get("option")
    if not isinstance(text, str) or text in ("yes",):
        return None
    if fact in ("per_week", "per_month"):
        w = _frequency_per_week(text)
        return None if w is None else (w if fact == "per_week" else w * WEEKS_PER_MONTH)
    if fact in ("count", "articles"):
        return _count_from_text(text)
    return None
