"""``pass_fail``: criteria with no points (old e-government criteria); Đạt/Chưa đạt from the
rate against an optional threshold, else the answer."""
from __future__ import annotations

from dataclasses import dataclass

from rulesets.kinds.base import Params as _Base
from rulesets.kinds.figures import raw_rate
from rulesets.kinds.manual import from_text
from rulesets.kinds.reading import fold
from rulesets.kinds.words import pct, short_pct
from rulesets.vocab import truth_of

KIND = "pass_fail"
REQUIRED: tuple[str, ...] = ()
OPTIONAL = ("threshold",)
READS_RATE = True
SCORED = False              # a set made only of these carries no points
NEEDS = ["answer"]


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "pass_fail"
    threshold: float | None = None


def validate(ctx, rule, p: str) -> None:
    from rulesets.schema import as_fraction
    if "threshold" in rule:
        as_fraction(ctx, p + "threshold", rule["threshold"])


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    return None             # no points: ``passes`` says Đạt / Chưa đạt


def passes(rule: Params, figures: dict) -> bool | None:
    """The rate against the threshold, else the answer; with no threshold, a full rate
    (100 %) meets whatever threshold the criterion has."""
    r, threshold = raw_rate(figures), rule.get("threshold")
    if r is not None and threshold is not None:
        return r >= float(threshold) - 1e-9
    answer = truth_of(figures.get("answer"))
    if answer is None and r is not None and r >= 1 - 1e-9:
        return True
    return answer


def present(rule: Params, figures: dict) -> bool:
    return True


def describe(rule: Params) -> list[str]:
    if rule.threshold is not None:
        return [f"Đạt: tỷ lệ >= {pct(rule.threshold)}", "Không đạt: các trường hợp còn lại"]
    return ["Đạt/Không đạt (không chấm điểm)"]


def summary(rule: Params) -> str:
    return "đạt/không" + (f" ≥{short_pct(rule.threshold)}" if rule.threshold is not None else "")


def _read(reading) -> dict | None:
    """``Đạt: …; Không đạt: …`` with no points anywhere."""
    t = reading.text
    f = fold(t)
    if not (("khong dat" in f or "khong cham diem" in f) and not reading.cut(t)[0]):
        return None
    rates = reading.rates(t)
    if not rates:
        return {"kind": KIND}
    if len(rates) == 1 and rates[0].op == "≥":
        return {"kind": KIND, "threshold": rates[0].value}
    return from_text(t, "Tiêu chí đạt/không đạt với ngưỡng chưa rõ")


READERS = [("whole", 30, _read)]
