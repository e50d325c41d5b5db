"""``rate_threshold``: rate ≥ threshold → max, else rate / threshold × max."""
from __future__ import annotations

from dataclasses import dataclass

from rulesets.kinds.base import Params as _Base
from rulesets.kinds.figures import rate_of
from rulesets.kinds.words import pct, ratio, short_pct

KIND = "rate_threshold"
REQUIRED = ("threshold",)
OPTIONAL: tuple[str, ...] = ()
READS_RATE = True
NEEDS = ["ratio"]


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "rate_threshold"
    threshold: float = 1.0


def validate(ctx, rule, p: str) -> None:
    from rulesets.schema import as_fraction
    as_fraction(ctx, p + "threshold", rule["threshold"])


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    r, t = rate_of(figures), float(rule.threshold)
    if r is None:
        return None
    return mx if t <= 0 or r >= t else r / t * mx


def present(rule: Params, figures: dict) -> bool:
    return rate_of(figures) is not None


def describe(rule: Params) -> list[str]:
    t = pct(rule.threshold)
    return ratio(rule) + [f"Tỷ lệ >= {t}: Điểm tối đa", f"Tỷ lệ < {t}: Điểm = Tỷ lệ/{t}*Điểm tối đa"]


def summary(rule: Params) -> str:
    t = short_pct(rule.threshold)
    return f"≥{t} → max, else rate/{t} × max"


def _read(cls, reading) -> dict | None:
    """``Tỷ lệ >= 85%: Điểm tối đa; Tỷ lệ < 85%: Điểm = Tỷ lệ/85%*Điểm tối đa``."""
    overs = [c.points[1] for c in cls if isinstance(c.points, tuple)]
    if len(overs) != 1:
        return None
    t = overs[0]
    for c in cls:
        if isinstance(c.points, tuple):
            continue
        rates = reading.rates(c.cond)
        # the only other clause allowed: "Tỷ lệ >= T: Điểm tối đa"
        if c.points != 1.0 or len(rates) != 1 or rates[0].op not in ("≥", ">") or abs(rates[0].value - t) > 1e-9:
            return None
    return {"kind": KIND, "threshold": t}


READERS = [("clauses", 20, _read)]


def asks(rule) -> str:
    return "cần tỷ lệ hoặc tử số/mẫu số"
