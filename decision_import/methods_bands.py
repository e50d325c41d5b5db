"""The readers of rates and counts against bounds: a plain rate, a rate threshold, rate bands, count tiers.

Its own module because these readers share one question — which bound does each clause
state, and do the bounds close without gap or overlap — and none needs the rest of the
method reader: each takes the clauses (``decision_import.clauses``) and returns a rule or None.
"""
from __future__ import annotations

import dataclasses
import re

from matchers.figures import NUM, find_rates, parse_number
from decision_import.clauses import Clause, _f, _negated
from rulesets.vocab import fold_keep, frequency


def _full_rate(cls: list[Clause]) -> dict | None:
    """``Phủ sóng đến 100% hộ gia đình: Điểm tối đa; Không phủ sóng tối đa: 0 điểm``, ``Tỷ lệ 100%
    đạt điểm tối đa; Không đạt tỷ lệ 100%: 0 điểm``: a yes/no whose yes is a rate of 100 %."""
    if len(cls) != 2 or sorted(c.points for c in cls if isinstance(c.points, float)) != [0.0, 1.0]:
        return None
    yes = next(c for c in cls if c.points == 1.0)
    no = next(c for c in cls if c.points == 0.0)
    ry, rn = find_rates(yes.cond), find_rates(no.cond)
    if len(ry) != 1 or abs(ry[0].value - 1) > 1e-9 or ry[0].op not in (None, "≥") or _negated(yes.cond):
        return None
    if any(abs(r.value - 1) > 1e-9 for r in rn) or not (_negated(no.cond) or any(r.op == "<" for r in rn)):
        return None
    return {"kind": "bands", "bands": [{"min": 1.0, "points": "max"}]}


def _rate(cls: list[Clause]) -> dict | None:
    if len(cls) == 1 and cls[0].points == "rate" and not find_rates(cls[0].cond):
        return {"kind": "rate"}
    return None


def _threshold(cls: list[Clause]) -> dict | None:
    overs = [c.points[1] for c in cls if isinstance(c.points, tuple)]
    if len(overs) != 1:
        return None
    t = overs[0]
    for c in cls:
        if isinstance(c.points, tuple):
            continue
        rates = find_rates(c.cond)
        # the only other clause allowed: "Tỷ lệ >= T: Điểm tối đa"
        if c.points != 1.0 or len(rates) != 1 or rates[0].op not in ("≥", ">") or abs(rates[0].value - t) > 1e-9:
            return None
    return {"kind": "rate_threshold", "threshold": t}


def _band_points(p: object) -> object:
    if p == "rate":
        return "rate"
    if p == 1.0:
        return "max"
    return p if isinstance(p, float) else None


def _range_end(cond: str, lo, r) -> bool:
    """``từ 30% đến 70%``: the second rate closes the range the first opens."""
    return r.start > lo.start and re.fullmatch(r"\s*(?:den|toi|-|–)\s*(?:duoi\s*)?", _f(cond[lo.end:r.start])) is not None


def _bands(cls: list[Clause]) -> dict | None:
    bands = []
    for c in cls:
        rates = find_rates(c.cond)
        pts = _band_points(c.points)
        if pts is None:
            return None
        lower = [r for r in rates if r.op in ("≥", ">")]
        if not lower and len(rates) == 1 and rates[0].op is None and abs(rates[0].value - 1) < 1e-9 \
                and not _negated(c.cond) and not bands:
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
        elif not rates and "con lai" in _f(c.cond) and bands:
            if pts != 0.0:
                bands.append({"min": 0, "points": pts})
        else:
            return None
    if not bands:
        return None
    bands.sort(key=lambda b: -b["min"])
    return {"kind": "bands", "bands": bands}


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


def _tiers(cls: list[Clause]) -> dict | None:
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
    tiers, below_hi = [], None
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
    return {"kind": "tiers", "fact": facts.pop(), "tiers": tiers}
