"""``bands``: the first band whose lower bound the rate reaches decides; below all bands → 0.

A band is ``{min: fraction, inclusive: true|false (default true), points: "max" | "rate" |
<fraction of max>}``, highest first."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from rulesets.kinds.base import Params as _Base, Record, records
from rulesets.kinds.figures import rate_of
from rulesets.kinds.reading import fold, negated
from rulesets.kinds.words import pct, ratio, share, short_pct

KIND = "bands"
REQUIRED = ("bands",)
OPTIONAL: tuple[str, ...] = ()
READS_RATE = True
NEEDS = ["ratio"]


@dataclass(frozen=True, eq=False)
class Band(Record):
    min: float
    points: Any                      # "max" | "rate" | fraction of max
    inclusive: bool | None = None    # absent = true


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "bands"
    bands: tuple[Band, ...] = records(Band)


def validate(ctx, rule, p: str) -> None:
    from rulesets.schema import _descending, as_fraction, check_keys, nonempty_list
    field = p + "bands"
    mins = []
    for n, b in enumerate(nonempty_list(ctx, field, rule["bands"])):
        f = f"{field}[{n}]"
        check_keys(ctx, f + ".", b, ("min", "points"), ("inclusive",))
        mins.append(as_fraction(ctx, f + ".min", b["min"]))
        if "inclusive" in b and not isinstance(b["inclusive"], bool):
            raise ctx.fail(f + ".inclusive", "phải là true/false")
        if b["points"] not in ("max", "rate"):
            as_fraction(ctx, f + ".points", b["points"])
    _descending(ctx, field, mins)


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    r = rate_of(figures)
    if r is None:
        return None
    for band in rule.bands:
        lo = float(band.min)
        reached = r >= lo - 1e-9 if band.inclusive is not False else r > lo + 1e-9
        if reached:
            pts = band.points
            return mx if pts == "max" else r * mx if pts == "rate" else float(pts) * mx
    return 0.0


def present(rule: Params, figures: dict) -> bool:
    return rate_of(figures) is not None


def describe(rule: Params) -> list[str]:
    out = ratio(rule)
    for b in rule.bands:
        op = ">=" if b.inclusive is not False else ">"
        pts = {"max": "Điểm tối đa", "rate": "Điểm = Tỷ lệ*Điểm tối đa"}.get(b.points) \
            if isinstance(b.points, str) else share(b.points)
        out.append(f"Tỷ lệ {op} {pct(b.min)}: {pts}" if b.min > 0 else f"Các trường hợp còn lại: {pts}")
    low = rule.bands[-1]
    if low.min > 0:
        out.append(f"Tỷ lệ {'<' if low.inclusive is not False else '<='} {pct(low.min)}: 0 điểm")
    return out


def summary(rule: Params) -> str:
    parts = []
    for b in rule.bands:
        op = "≥" if b.inclusive is not False else ">"
        pts = b.points if isinstance(b.points, str) else f"{b.points:g}×max"
        parts.append(f"{op}{short_pct(b.min)}:{pts}")
    return "bands " + ", ".join(parts) + ", else 0"


# ---------------------------------------------------------------- recognition

def _band_points(p: object) -> object:
    if p == "rate":
        return "rate"
    if p == 1.0:
        return "max"
    return p if isinstance(p, float) else None


def _range_end(cond: str, lo, r) -> bool:
    """``từ 30% đến 70%``: the second rate closes the range the first opens."""
    return r.start > lo.start and re.fullmatch(r"\s*(?:den|toi|-|–)\s*(?:duoi\s*)?", fold(cond[lo.end:r.start])) is not None


def _read(cls, reading) -> dict | None:
    """``Tỷ lệ >= 90%: Điểm tối đa; Từ 70% đến dưới 90%: 1/2*Điểm tối đa; …``."""
    bands = []
    for c in cls:
        rates = reading.rates(c.cond)
        pts = _band_points(c.points)
        if pts is None:
            return None
        lower = [r for r in rates if r.op in ("≥", ">")]
        if not lower and len(rates) == 1 and rates[0].op is None and abs(rates[0].value - 1) < 1e-9 \
                and not negated(c.cond) and not bands:
            lower = rates = [dataclasses.replace(rates[0], op="≥")]      # "Đạt 100%": nothing is above it
        if len(lower) > 1 or lower and any(r.op is None and not _range_end(c.cond, lower[0], r) for r in rates):
            return None          # "Mức 2 > 7% (70% điểm) Mức 3 > 3% …": several bands in one clause
        if lower:
            b = {"min": lower[0].value}
            if lower[0].op == ">":
                b["inclusive"] = False
            b["points"] = pts
            bands.append(b)
        elif rates and all(r.op in ("<", "≤") for r in rates):
            if pts != 0.0:          # "dưới 50%: Tỷ lệ*Điểm tối đa" = a band from 0
                bands.append({"min": 0, "points": pts})
        elif not rates and "con lai" in fold(c.cond) and bands:
            if pts != 0.0:
                bands.append({"min": 0, "points": pts})
        else:
            return None
    if not bands:
        return None
    bands.sort(key=lambda b: -b["min"])
    return {"kind": KIND, "bands": bands}


def _full_rate(cls, reading) -> dict | None:
    """``Phủ sóng đến 100% hộ gia đình: Điểm tối đa; Không phủ sóng tối đa: 0 điểm``, ``Tỷ lệ 100%
    đạt điểm tối đa; Không đạt tỷ lệ 100%: 0 điểm``: a yes/no whose yes is a rate of 100 %."""
    if len(cls) != 2 or sorted(c.points for c in cls if isinstance(c.points, float)) != [0.0, 1.0]:
        return None
    yes = next(c for c in cls if c.points == 1.0)
    no = next(c for c in cls if c.points == 0.0)
    ry, rn = reading.rates(yes.cond), reading.rates(no.cond)
    if len(ry) != 1 or abs(ry[0].value - 1) > 1e-9 or ry[0].op not in (None, "≥") or negated(yes.cond):
        return None
    if any(abs(r.value - 1) > 1e-9 for r in rn) or not (negated(no.cond) or any(r.op == "<" for r in rn)):
        return None
    return {"kind": KIND, "bands": [{"min": 1.0, "points": "max"}]}


READERS = [("clauses", 30, _read), ("clauses", 60, _full_rate)]


def asks(rule) -> str:
    return "cần tỷ lệ hoặc tử số/mẫu số"


def canonical(d: dict, raw) -> dict:
    return {**d, "bands": [{"inclusive": True, **b} for b in d["bands"]]}
