"""What changed between two rulesets: `dti rulesets diff OLD NEW`.

What a district needs when the province issues a new decision, and how an
imported draft is measured against the hand-written ruleset:
- pillars and indicators added, removed, renamed (a change of letter case or
  spacing is not a rename), maxima changed;
- rules changed, compared by what they score (``note``, part ``name`` and the
  descriptions of a formula's ``inputs`` are prose; a declared ``a / b`` is a plain
  rate, since scoring takes the row's printed a/b either way; tiers of ``articles``
  and of ``count`` are one fact to scoring; an ``options`` rule with a ``fact`` is compared by its keys and
  fractions, since the answer reader picks the key and the match words are only
  its fallback); fractions equal within 0.001 (``1/3`` printed for 0.333…).
The figures: codes and maxima reproduced, rules the same, rules left ``manual``
in NEW where OLD has one, and rules *wrong*: a rule in NEW that is not manual and
scores differently from OLD.
"""
from __future__ import annotations

import re

from rulesets import kinds
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matchers.normalize import clean
from decision_import.cli import rule_summary
from rulesets.model import Ruleset

TOL = 1e-3


def _norm(v: Any) -> Any:
    if isinstance(v, Mapping):
        d = {k: _norm(x) for k, x in v.items() if k not in ("note", "name")}
        d = kinds.canonical(d, v)       # each kind says which of its spellings are the same rule
        if isinstance(d.get("rate"), str):
            d["rate"] = re.sub(r"\s+", "", d["rate"])
            if d["rate"] == "a/b":      # scores as a plain rate: the row's a/b as printed
                d.pop("rate")
                d.pop("inputs", None)
        if isinstance(d.get("inputs"), dict):
            d["inputs"] = sorted(d["inputs"])   # the names; their descriptions are prose
        return d
    if isinstance(v, (list, tuple)):
        return [_norm(x) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return v


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= TOL
    return a == b


def same_rule(a: dict, b: dict) -> bool:
    return _same(_norm(a), _norm(b))


def _name(s: str) -> str:
    return re.sub(r"\s+", " ", clean(s)).strip().casefold()


@dataclass
class Diff:
    lines: list[str] = field(default_factory=list)
    codes_old: int = 0
    codes_same: int = 0
    codes_extra: int = 0
    max_same: int = 0
    rules_old: int = 0
    rules_same: int = 0
    rules_manual: int = 0
    rules_wrong: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        pct = lambda a, b: round(100 * a / b, 1) if b else 100.0  # noqa: E731
        return {"codes_pct": pct(self.codes_same, self.codes_old + self.codes_extra),
                "maxima_pct": pct(self.max_same, self.codes_old + self.codes_extra),
                "kinds_pct": pct(self.rules_same, self.rules_old),
                "manual": self.rules_manual, "wrong": len(self.rules_wrong),
                "indicators": self.codes_old, "rules": self.rules_old}


def _mx(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


def diff(old: Ruleset, new: Ruleset) -> Diff:
    d = Diff()
    out = d.lines
    if (old.total or 0) != (new.total or 0) or (old.total is None) != (new.total is None):
        out.append(f"~ tổng điểm: {_mx(old.total)} → {_mx(new.total)}")
    op, np_ = {p.code: p for p in old.pillars}, {p.code: p for p in new.pillars}
    for c, p in op.items():
        if c not in np_:
            out.append(f"- trụ cột {c} {p.name}")
        else:
            q = np_[c]
            if _name(p.name) != _name(q.name):
                out.append(f"~ trụ cột {c}: tên «{p.name}» → «{q.name}»")
            if p.max_points != q.max_points:
                out.append(f"~ trụ cột {c}: điểm tối đa {_mx(p.max_points)} → {_mx(q.max_points)}")
    out += [f"+ trụ cột {c} {p.name}" for c, p in np_.items() if c not in op]
    oi, ni = {i.code: i for i in old.indicators}, {i.code: i for i in new.indicators}
    d.codes_old = len(oi)
    d.codes_extra = sum(1 for c in ni if c not in oi)
    for c, i in oi.items():
        j = ni.get(c)
        if not i.heading:
            d.rules_old += 1
        if j is None:
            out.append(f"- {c} {i.name[:70]}")
            continue
        d.codes_same += 1
        if _name(i.name) != _name(j.name):
            out.append(f"~ {c}: tên «{i.name[:60]}» → «{j.name[:60]}»")
        if i.max_points == j.max_points:
            d.max_same += 1
        else:
            out.append(f"~ {c}: điểm tối đa {_mx(i.max_points)} → {_mx(j.max_points)}")
        if i.pillar != j.pillar:
            out.append(f"~ {c}: trụ cột {i.pillar} → {j.pillar}")
        if i.heading or j.heading:
            if i.heading != j.heading:
                out.append(f"~ {c}: dòng tiêu đề {i.heading} → {j.heading}")
            continue
        if same_rule(i.rule, j.rule):
            d.rules_same += 1
        elif j.is_manual:
            d.rules_manual += 1
            out.append(f"? {c}: quy tắc {rule_summary(i.rule)} → thủ công (cần người nhập)")
        else:
            d.rules_wrong.append(c)
            out.append(f"! {c}: quy tắc {rule_summary(i.rule)} → {rule_summary(j.rule)}")
    out += [f"+ {c} {j.name[:70]}" for c, j in ni.items() if c not in oi]
    return d


def report(old: Ruleset, new: Ruleset) -> tuple[str, Diff]:
    d = diff(old, new)
    f = d.figures()
    head = f"{old.id} → {new.id}"
    body = d.lines or ["(không khác / no change)"]
    tail = (f"mã và điểm tối đa / codes, maxima: {f['codes_pct']}% / {f['maxima_pct']}% "
            f"({d.codes_same}/{d.codes_old} mã, {d.codes_extra} mã thừa); "
            f"quy tắc giống / rules same: {d.rules_same}/{d.rules_old} ({f['kinds_pct']}%), "
            f"thủ công / manual: {d.rules_manual}, sai / wrong: {len(d.rules_wrong)}")
    return "\n".join([head, *body, tail]), d
