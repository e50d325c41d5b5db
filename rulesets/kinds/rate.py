"""``rate``: points = min(rate, 1) × max.  Reads a ratio or numerator/denominator."""
from __future__ import annotations

from dataclasses import dataclass

from rulesets.kinds.base import Params as _Base
from rulesets.kinds.figures import rate_of
from rulesets.kinds.words import formula_text, inputs

KIND = "rate"
REQUIRED: tuple[str, ...] = ()
OPTIONAL: tuple[str, ...] = ()
READS_RATE = True
NEEDS = ["ratio"]


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "rate"


def validate(ctx, rule, p: str) -> None:
    """Nothing beyond the keys and the declared formula (checked for every rate kind)."""


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    r = rate_of(figures)
    return None if r is None else r * mx


def present(rule: Params, figures: dict) -> bool:
    return rate_of(figures) is not None


def describe(rule: Params) -> list[str]:
    if rule.rate:
        return inputs(rule) + [f"Điểm = ({formula_text(rule.rate)})*Điểm tối đa"]
    return ["a = Số lượng đạt yêu cầu của chỉ số", "b = Tổng số tương ứng", "Điểm = (a/b)*Điểm tối đa"]


def summary(rule: Params) -> str:
    return "tỷ lệ × max"


def _read(cls, reading) -> dict | None:
    """``Điểm = (a/b)*Điểm tối đa``: one clause whose outcome is the rate times the maximum."""
    if len(cls) == 1 and cls[0].points == "rate" and not reading.rates(cls[0].cond):
        return {"kind": KIND}
    return None


READERS = [("clauses", 10, _read)]


def asks(rule) -> str:
    return "cần tỷ lệ hoặc tử số/mẫu số"
