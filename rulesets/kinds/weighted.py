"""``weighted``: points = Σ weightᵢ × partᵢ, each part a sub-rule scored against the whole
maximum (e.g. 3/4 × the staff's rate + 1/4 × the employees' rate).  A part is ``{weight,
rule, figures?: name of its figures' group, name?}``.  A part without figures (a unit with
no viên chức) drops out and the others' weights are scaled up: the decisions' own note for
that case (``Với đơn vị không có Viên chức: Điểm = (a/c) × Điểm tối đa``).

Recognised from ``Điểm 1 = (a/c)*3/4*Điểm tối đa; Điểm 2 = (b/d)*1/4*Điểm tối đa; Tổng điểm =
Điểm 1 + Điểm 2``: each part a rate with its own lettered formula."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from rulesets.kinds import registry as R
from rulesets.kinds.base import Params as _Base, Record, records, sub_rule
from rulesets.kinds.figures import sub_figures
from rulesets.vocab import NUM, parse_number

KIND = "weighted"
REQUIRED = ("parts",)
OPTIONAL: tuple[str, ...] = ()
OWN_FORMULAS = True         # its parts declare their own formulas, not the rule itself
# what a part with its own formula must not read from the row: the row's rate is the whole's
_ROW_RATE = ("ratio", "numerator", "denominator", "answer")


@dataclass(frozen=True, eq=False)
class Part(Record):
    weight: float
    rule: Any = sub_rule()
    figures: str | None = None
    name: str | None = None


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "weighted"
    parts: tuple[Part, ...] = records(Part)


def validate(ctx, rule, p: str) -> None:
    R.check_parts(ctx, p + "parts", rule["parts"], "weight", ("figures", "name"))


def _part_figures(p: Part, figures: dict) -> dict:
    sub = sub_figures(figures, p.figures)
    if p.rule.get("rate"):
        sub = {k: v for k, v in sub.items() if k not in _ROW_RATE}
    return sub


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    got, weight = 0.0, 0.0
    for p in rule.parts:
        v = R.score(p.rule, _part_figures(p, figures), mx, part=True)
        if v is not None:
            got += float(p.weight) * v
            weight += float(p.weight)
    return None if weight == 0 else got / weight


def present(rule: Params, figures: dict) -> bool:
    return any(R.present(p.rule, _part_figures(p, figures)) for p in rule.parts)


def describe(rule: Params) -> list[str]:
    return R.describe_parts(rule.parts, "weight")


def summary(rule: Params) -> str:
    return "weighted(" + " + ".join(f"{p.weight:g}·{R.summary(p.rule)}" for p in rule.parts) + ")"


# ---------------------------------------------------------------- recognition

_MAXW = r"[ĐD]i[ểêeếềệ]m\s*t[ốôoồổộ]i\s*[đd]a"
_X = r"\s*[*x×]\s*"
_W = r"(?:(?P<n>\d+)\s*/\s*(?P<d>\d+)|(?P<v>0[.,]\d+)|(?P<p>" + NUM + r")\s*%)"
# "Điểm 1 = (a/c)* 3/4* Điểm tối đa", "Điểm 2 = 1/4 × (b/d) × Điểm tối đa"
_PART = re.compile(r"[ĐD]i[ểêeếềệ]m\s*(?P<i>\d)\s*=\s*(?:(?:\(\s*(?P<a>[a-h])\s*/\s*(?P<b>[a-h])\s*\)|(?P<a2>[a-h])\s*/\s*"
                   r"(?P<b2>[a-h]))" + _X + _W + "|" + _W.replace("?P<", "?P<w") + _X + r"\(\s*(?P<a3>[a-h])\s*/\s*"
                   r"(?P<b3>[a-h])\s*\))" + _X + _MAXW, re.I)
_LETTER = re.compile(r"(?<![\w/()])(?P<n>[a-h])\s*=\s*(?P<desc>.+?)(?=(?<![\w/()])[a-h]\s*=|[ĐD]i[ểêeếềệ]m\s*\d?\s*=|$)",
                     re.I | re.S)


def _weight(m: re.Match, pre: str) -> float | None:
    g = lambda k: m.group(pre + k)  # noqa: E731
    if g("n"):
        return int(g("n")) / int(g("d")) if int(g("d")) else None
    if g("v"):
        return parse_number(g("v"))
    return parse_number(g("p")) / 100 if g("p") else None


def _read(reading) -> dict | None:
    text = reading.original or reading.text
    found = list(_PART.finditer(text))
    if len(found) < 2 or [m.group("i") for m in found] != [str(n) for n in range(1, len(found) + 1)]:
        return None
    inputs = {m.group("n"): re.sub(r"\s+", " ", m.group("desc")).strip(" ;.,-–") for m in _LETTER.finditer(text)}
    parts = []
    for m in found:
        a, b = m.group("a") or m.group("a2") or m.group("a3"), m.group("b") or m.group("b2") or m.group("b3")
        w = _weight(m, "") if m.group("a3") is None else _weight(m, "w")
        if w is None or not 0 < w < 1 or a not in inputs or b not in inputs or a == b:
            return None
        w = float(Fraction(w).limit_denominator(100))
        parts.append({"weight": round(w, 6), "name": f"Điểm {m.group('i')} = ({a}/{b})",
                      "rule": {"kind": "rate", "rate": f"{a} / {b}", "inputs": {a: inputs[a], b: inputs[b]}}})
    if abs(sum(p["weight"] for p in parts) - 1) > 1e-6:
        return None
    total = re.search(r"(?:Tổng\s+)?[ĐD]i[ểêeếềệ]m\s*=\s*[ĐD]i[ểêeếềệ]m\s*1\b(?P<rest>[^.;]*)", text, re.I)
    if total and not re.fullmatch(r"(?:\s*\+\s*[ĐD]i[ểêeếềệ]m\s*\d)+\s*", total.group("rest"), re.I):
        return None        # "Tổng điểm = Điểm 1 Điểm 2": the sign lost, the total not read for sure
    return {"kind": KIND, "parts": parts}


READERS = [("whole", 5, _read)]
