"""Reading a row's figures the way rules need them: rates, yes/no, counts and frequencies.

Pure helpers over the ``Row.figures()`` dict, used by every kind's scoring (they live
with the kinds, below scoring, which imports them from here).  Words and numbers are read by the
vocabulary the matchers use too (``rulesets.vocab``).  Text fallbacks ("4 lần/tháng",
"9 camera", "Chưa có") cover rows where the matcher kept the answer as text but
did not fill in the named fact.
"""
from __future__ import annotations

from typing import Any

from rulesets.vocab import clean, frequency, numbers, truth_of

WEEKS_PER_MONTH = 52 / 12


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


def _frequency_per_week(text: str) -> float | None:
    return frequency(text).get("per_week")


def _count_from_text(text: str) -> float | None:
    """A single counted quantity in an answer ("9 camera", "Chưa có" -> 0); None if ambiguous."""
    nums = numbers(clean(str(text)))
    if len(nums) == 1:
        return nums[0][0]
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


def has(figures: dict, key: str) -> bool:
    v = figures.get(key)
    return v is not None and not (isinstance(v, str) and not v.strip())


def sub_figures(figures: dict, name: str | None) -> dict:
    """A part's own figures: a nested dict ``figures[name]`` or keys ``name_x`` / ``name.x``."""
    if not name:
        return figures
    nested = figures.get(name)
    if isinstance(nested, dict):
        return nested
    out = {}
    for sep in ("_", "."):
        p = name if name.endswith(sep) else name + sep
        out.update({k[len(p):]: v for k, v in figures.items() if isinstance(k, str) and k.startswith(p)})
    return out
