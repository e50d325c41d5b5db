"""``yes_no``: yes → max, no → 0.  May name the ``fact`` it reads (inside ``sum`` parts:
``{kind: yes_no, fact: ipv6}``)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rulesets.kinds.base import Params as _Base
from rulesets.kinds.figures import has
from rulesets.kinds.reading import fold
from rulesets.vocab import truth_of

KIND = "yes_no"
REQUIRED: tuple[str, ...] = ()
OPTIONAL = ("fact",)
NEEDS = ["answer"]


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "yes_no"
    fact: str | None = None


def validate(ctx, rule, p: str) -> None:
    from rulesets.schema import as_str
    if "fact" in rule:
        as_str(ctx, p + "fact", rule["fact"])


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    fact = rule.fact
    v = truth_of(figures.get(fact)) if fact else None
    # a part's fact is its own; the row's answer speaks for the whole row, not for one part
    if v is None and not (fact and part):
        v = truth_of(figures.get("answer"))
    return None if v is None else (mx if v else 0.0)


def present(rule: Params, figures: dict) -> bool:
    return (bool(rule.fact) and has(figures, rule.fact)) or has(figures, "answer")


def describe(rule: Params) -> list[str]:
    return ["Đã có/Đã thực hiện: Điểm tối đa", "Chưa có/Chưa thực hiện: 0 điểm"]


def summary(rule: Params) -> str:
    return f"có/không {rule.fact}" if rule.fact else "có/không"


def _read(cls, reading) -> dict | None:
    """``Đã có: Điểm tối đa; Chưa có: 0 điểm``: two clauses, the yes one not negated, no figures."""
    if len(cls) != 2 or sorted(c.points for c in cls if isinstance(c.points, float)) != [0.0, 1.0]:
        return None
    if any(re.search(r"\d", c.cond) for c in cls):
        return None
    yes = next(c for c in cls if c.points == 1.0)
    if re.search(r"\bchua\b|\bkhong\b", fold(yes.cond)):
        return None
    return {"kind": KIND}


READERS = [("clauses", 80, _read)]


def asks(rule) -> str:
    return "cần trả lời Có/Không"
