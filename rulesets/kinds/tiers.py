"""``tiers``: count tiers; the first tier whose ``min`` the figure reaches gives fraction × max.

A tier is ``{min: number, fraction}``, highest first; ``fact`` is count | per_month |
per_week | articles | amount."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rulesets.kinds.base import Params as _Base, Record, records
from rulesets.kinds.figures import fact_value
from rulesets.kinds.words import UNITS, num, share
from rulesets.vocab import NUM, fold_keep, frequency, parse_number

KIND = "tiers"
REQUIRED = ("fact", "tiers")
OPTIONAL: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Tier(Record):
    min: float
    fraction: float


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "tiers"
    fact: str = "count"
    tiers: tuple[Tier, ...] = records(Tier)


def needs(rule) -> list[str]:
    return [rule["fact"]]


def validate(ctx, rule, p: str) -> None:
    from rulesets.schema import _descending, as_fraction, as_str, check_keys, is_num, nonempty_list
    as_str(ctx, p + "fact", rule["fact"])
    field, mins = p + "tiers", []
    for n, t in enumerate(nonempty_list(ctx, field, rule["tiers"])):
        f = f"{field}[{n}]"
        check_keys(ctx, f + ".", t, ("min", "fraction"), ())
        if not is_num(t["min"]) or t["min"] < 0:
            raise ctx.fail(f + ".min", f"phải là số không âm (gặp {t['min']!r})")
        mins.append(t["min"])
        as_fraction(ctx, f + ".fraction", t["fraction"])
    _descending(ctx, field, mins)


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    v = fact_value(figures, rule.fact)
    if v is None:
        return None
    for tier in rule.tiers:
        if v >= float(tier.min) - 1e-9:
            return float(tier.fraction) * mx
    return 0.0


def present(rule: Params, figures: dict) -> bool:
    return fact_value(figures, rule.fact) is not None


def describe(rule: Params) -> list[str]:
    unit = UNITS.get(rule.fact, "đơn vị")
    out, upper = [], None
    for t in rule.tiers:
        lo = num(t.min)
        if upper is None:
            out.append(f"Từ {lo} {unit} trở lên: {share(t.fraction)}")
        else:
            out.append(f"Từ {lo} đến dưới {num(upper)} {unit}: {share(t.fraction)}")
        upper = t.min
    out.append(f"Dưới {num(upper)} {unit}: 0 điểm")
    return out


def summary(rule: Params) -> str:
    return f"tiers {rule.fact} " + ", ".join(f"≥{t.min:g}:{t.fraction:g}" for t in rule.tiers)


# ---------------------------------------------------------------- recognition

_UNIT_FACTS = [(r"\btin\b|\bbai\b", "articles"), (r"trieu dong|ty dong", "amount")]


def _bounds(f: str) -> tuple[str, float, float | None] | None:
    """A tier's condition on folded text → (how, low, high): ``tu 10 den 19`` → ("from", 10, 19),
    ``2-3 lan`` → ("from", 2, 3), ``tu 12 … tro len`` → ("from", 12, None), ``tren 20 … tro len`` →
    ("over-up", 20, None), ``tren 20`` → ("over", 20, None), a bare ``4 lan`` → ("bare", 4, None),
    ``duoi 5`` → ("under", 5, None); None when there is not exactly one such reading.
    ``từ 10 đến dưới 20`` → ("from-below", 10, 20)."""
    nums = re.findall(NUM, f)
    if m := re.search(r"\btu\s+(" + NUM + r")\s*(?:den|-|–|toi)\s*(?:duoi\s+)?(" + NUM + r")", f):
        how, lo, hi = "from", m.group(1), m.group(2)
    elif m := re.search(r"(?<![\d.,])(" + NUM + r")\s*(?:-|–|den)\s*(" + NUM + r")\b", f):
        how, lo, hi = "from", m.group(1), m.group(2)
    elif m := re.search(r"\btu\s+(" + NUM + r")\b", f):
        how, lo, hi = "from", m.group(1), None
    elif m := re.search(r"\b(?:tren|hon)\s+(" + NUM + r")\b", f):
        how, lo, hi = ("over-up" if "tro len" in f else "over"), m.group(1), None
    elif m := re.search(r"\bduoi\s+(" + NUM + r")\b", f):
        how, lo, hi = "under", m.group(1), None
    elif len(nums) == 1:
        how, lo, hi = ("from" if "tro len" in f else "bare"), nums[0], None
    else:
        return None
    if len(nums) != 1 + (hi is not None):
        return None
    high = None if hi is None else parse_number(hi)
    if high is not None and re.search(r"\bden\s+duoi\b|\btoi\s+duoi\b", f):
        how = "from-below"                    # "đến dưới 20": the next tier starts at 20
    return how, parse_number(lo), high


def read(cls, reading=None) -> dict | None:
    """Count or frequency tiers: ``Từ 10 đến 19 tin bài/năm: 1/2*Điểm tối đa``, ``Trên 20 tin, bài/năm
    trở lên: Điểm tối đa``, ``Tần suất phát sóng 4 lần/1 tháng: Điểm tối đa``.  The frequency is
    the vocabulary's (``vocab.frequency``: its printed unit names the fact).  A bound written
    loosely (``trên 20 … trở lên``, a bare ``4 lần``) is read only where the next tier below
    closes just under it (``đến 19``, ``2-3 lần``); tiers must not overlap or leave a gap."""
    rows, facts = [], set()
    for c in cls:
        if "%" in c.cond or not isinstance(c.points, float):
            return None
        # "4 lần/1 tháng": the "1" is the period, not a count
        f = re.sub(r"/\s*1\s+(?=(?:ngay|tuan|thang|quy|nam)\b)", "/", fold_keep(c.cond))
        freq = frequency(c.cond) if re.search(r"\blan\b", f) else {}
        if freq:
            facts.add(next(iter(freq)))
        else:
            facts.add(next((fact for rx, fact in _UNIT_FACTS if re.search(rx, f)), "count"))
        if c.points == 0.0 and not re.search(r"\d", f):
            continue                        # "Chưa có: 0 điểm"
        b = _bounds(f)
        if b is None or b[1] is None:
            return None
        rows.append((b, c.points))
    if len(facts) != 1 or not facts <= {"articles", "count", "amount", "per_month", "per_week"}:
        return None
    whole = facts != {"amount"}               # counts are whole: "đến 19" closes under "từ 20"
    under = [b for b, p in rows if b[0] == "under"]
    if any(p != 0.0 for b, p in rows if b[0] == "under") or len(under) > 1:
        return None
    scored = sorted(((b, p) for b, p in rows if b[0] != "under"), key=lambda r: -r[0][1])
    tiers = []
    for n, ((how, lo, hi), pts) in enumerate(scored):
        nxt = scored[n + 1][0] if n + 1 < len(scored) else None
        if how in ("over-up", "bare", "over"):
            # read by the tier below: "trên 20 … trở lên" / a bare "4 lần" over one ending at lo - 1;
            # "trên 20" over one ending at 20 (then 21 and more)
            end = lo - 1 if how != "over" else lo
            if not whole or n != 0 or nxt is None or nxt[0] != "from" or nxt[2] is None or abs(nxt[2] - end) > 1e-9:
                return None
            lo = end + 1
        if n > 0:                             # no gap and no overlap with the tier above
            closes = hi if how == "from-below" else (hi + 1 if whole and hi is not None else None)
            if closes is None or abs(closes - tiers[-1]["min"]) > 1e-9:
                return None
        tiers.append({"min": lo, "fraction": pts})
    if not tiers or under and abs(under[0][1] - tiers[-1]["min"]) > 1e-9:
        return None
    if any(t["fraction"] == 0.0 for t in tiers):
        return None
    return {"kind": KIND, "fact": facts.pop(), "tiers": tiers}


READERS = [("clauses", 40, read)]


def asks(rule) -> str:
    return f"cần số lượng ({rule.fact})"


def canonical(d: dict, raw) -> dict:
    # one fact to scoring (figures.fact_value; the answer reader sets both)
    return {**d, "fact": "count"} if d.get("fact") == "articles" else d
