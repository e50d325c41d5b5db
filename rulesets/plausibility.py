"""How much a figure may plausibly change from one year to the next, per kind of indicator.

Declared in the ruleset file, never in code, as a top-level ``plausibility:`` block keyed by
kind (the keys are the file's own names; the reviewer sees ``name``)::

    plausibility:
      accumulating:          # counts that only accumulate: e-ID accounts, digital addresses, signed documents
        name: "Số lượng cộng dồn (không thể giảm)"
        figure: numerator
        indicators: ["8.1", "8.3", "6.7"]
        may_fall: false
      rate:                  # a rate may move, but not by more than 50 percentage points in a year
        figure: ratio
        indicators: "*"      # every indicator whose rows print that figure
        max_change_points: 50
      population:            # denominators: population, staff, households
        figure: denominator
        indicators: ["3.4", "3.5", "8.3"]
        max_change_pct: 30
        min_previous: 20     # a base under 20 (5 staff -> 7) moves by a third without anything wrong

``store.crosschecks`` applies them (``implausible-change``); ``scoring.crosscheck.change``
holds the comparison.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rulesets.schema import Ctx, as_max, as_str, check_keys

FIGURES = ("ratio", "numerator", "denominator", "count", "amount")
REQUIRED = ("figure", "indicators")
OPTIONAL = ("name", "may_fall", "max_change_points", "max_change_pct", "min_previous", "note")


@dataclass(frozen=True)
class Plausibility:
    kind: str                              # the block's key in the file
    figure: str                            # one of FIGURES
    indicators: tuple[str, ...] | None     # codes; None: every indicator with that figure ("*")
    name: str = ""
    may_fall: bool = True
    max_change_points: float | None = None     # ratio only: percentage points, either way
    max_change_pct: float | None = None        # relative to the previous value, either way
    min_previous: float | None = None          # below this previous value the rule does not apply

    def covers(self, code: str | None) -> bool:
        return code is not None and (self.indicators is None or code in self.indicators)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def parse(path, raw: Any) -> tuple[Plausibility, ...]:
    """The ``plausibility`` block of a ruleset file, checked; () when the file has none."""
    if raw is None:
        return ()
    top = Ctx(path, "plausibility")
    if not isinstance(raw, dict) or not raw:
        raise top.fail("plausibility", "phải là ánh xạ loại chỉ số → quy tắc (vd accumulating: {...})")
    out = []
    for kind, d in raw.items():
        ctx = Ctx(path, f"plausibility {kind}")
        check_keys(ctx, "", d, REQUIRED, OPTIONAL)
        if d["figure"] not in FIGURES:
            raise ctx.fail("figure", f"phải là một trong {', '.join(FIGURES)} (gặp {d['figure']!r})")
        inds = d["indicators"]
        if inds == "*":
            codes = None
        elif isinstance(inds, list) and inds and all(isinstance(c, (str, int)) and not isinstance(c, bool)
                                                     for c in inds):
            codes = tuple(str(c) for c in inds)
        else:
            raise ctx.fail("indicators", f"phải là danh sách mã chỉ số hoặc \"*\" (gặp {inds!r})")
        may_fall = d.get("may_fall", True)
        if not isinstance(may_fall, bool):
            raise ctx.fail("may_fall", "phải là true/false")
        p = Plausibility(kind=str(kind), figure=d["figure"], indicators=codes,
                         name=as_str(ctx, "name", d.get("name"), optional=True) or str(kind), may_fall=may_fall,
                         max_change_points=as_max(ctx, "max_change_points", d.get("max_change_points")),
                         max_change_pct=as_max(ctx, "max_change_pct", d.get("max_change_pct")),
                         min_previous=as_max(ctx, "min_previous", d.get("min_previous")))
        if p.max_change_points is not None and p.figure != "ratio":
            raise ctx.fail("max_change_points", "chỉ dùng cho figure: ratio (điểm phần trăm)")
        if p.may_fall and p.max_change_points is None and p.max_change_pct is None:
            raise ctx.fail("may_fall", "cần ít nhất một quy tắc: may_fall: false, max_change_points hoặc max_change_pct")
        out.append(p)
    return tuple(out)


def check_codes(path, rules: tuple[Plausibility, ...], codes: set[str]) -> None:
    for p in rules:
        unknown = [c for c in p.indicators or () if c not in codes]
        if unknown:
            raise Ctx(path, f"plausibility {p.kind}").fail("indicators", f"không có chỉ số mã {', '.join(unknown)}")
