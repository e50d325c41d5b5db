"""``sum``: points are the sum of parts, each a sub-rule scored against its own share of max.
A part is ``{share: fraction of max, rule: {...}, name?, fact_prefix?}``.

Recognised from yes/no parts (``(1) IPv6 (40% Điểm tối đa): Có …``, ``Đáp ứng …: 3/5*Điểm
tối đa - Đã chuyển IPv6: 2/5*Điểm tối đa``) and from numbered parts of any kind the clause
readers know — a choice between answers plus count tiers (``(1) Điểm chuyên mục: Có chuyên
mục riêng: 1/2*Điểm tối đa … (2) Số lượng tin bài: Từ 12 tin, bài trở lên: 1/2*Điểm tối đa …``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from rulesets.kinds import registry as R
from rulesets.kinds.base import Params as _Base, Record, records, sub_rule
from rulesets.kinds.figures import has, sub_figures
from rulesets.kinds.reading import negated
from rulesets.vocab import NUM, parse_number

KIND = "sum"
REQUIRED = ("parts",)
OPTIONAL: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Part(Record):
    share: float
    rule: Any = sub_rule()
    name: str | None = None
    fact_prefix: str | None = None


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "sum"
    parts: tuple[Part, ...] = records(Part)


def validate(ctx, rule, p: str) -> None:
    R.check_parts(ctx, p + "parts", rule["parts"], "share", ("fact_prefix", "name"))


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    total = 0.0
    for p in rule.parts:
        sub = {**figures, **sub_figures(figures, p.fact_prefix)} if p.fact_prefix else figures
        v = R.score(p.rule, sub, float(p.share) * mx, part=True)
        if v is None:
            return None
        total += v
    return min(total, mx)


def present(rule: Params, figures: dict) -> bool:
    return any(R.present(p.rule, figures) for p in rule.parts) or has(figures, "answer")


def describe(rule: Params) -> list[str]:
    return R.describe_parts(rule.parts, "share")


def summary(rule: Params) -> str:
    return "sum(" + " + ".join(f"{p.share:g}·{R.summary(p.rule)}" for p in rule.parts) + ")"


# ---------------------------------------------------------------- recognition

_MAXW = r"[ĐD]i[ểêeếềệ]m\s*t[ốôoồổộ]i\s*[đd]a"
_PART = re.compile(r"\(\s*(\d)\s*\)\s*(?P<label>[^()]*?)\s*\(\s*(?P<share>" + NUM + r")\s*%\s*" + _MAXW
                   + r"\s*\)\s*:?(?P<body>.*?)(?=\(\s*\d\s*\)|$)", re.I | re.S)
_TOTAL = r"(?i)-?\s*(?:Tổng\s+)?Điểm\s*=\s*\(\s*1\s*\)\s*\+?\s*\(\s*2\s*\)(?:\s*\+?\s*\(\s*\d\s*\))*"


def _labelled_yes_no(reading) -> dict | None:
    """``(1) Label (60% Điểm tối đa): Có: Điểm tối đa; Chưa: 0 điểm (2) …``: a sum of
    yes/no parts, each reading the fact the answer reader finds in the part's label
    (``IPv6`` → ipv6, ``chức năng`` → functional).  Anything else: None (manual)."""
    body = re.split(r"(?i)Điểm\s*=\s*\(1\)", reading.text)[0]
    parts = []
    for m in _PART.finditer(body):
        rule = reading.again(m.group("body"))
        facts = [k for k, v in reading.facts(m.group("label")).items() if isinstance(v, bool)]
        if R.kind_of(rule) != "yes_no" or len(facts) != 1:
            return None
        parts.append({"share": round(parse_number(m.group("share")) / 100, 6), "name": m.group("label").strip(),
                      "rule": {"kind": "yes_no", "fact": facts[0]}})
    if len(parts) < 2 or abs(sum(p["share"] for p in parts) - 1) > 1e-6:
        return None
    return {"kind": KIND, "parts": parts}


def _numbered_yes_no(reading) -> dict | None:
    """``(1) Đáp ứng …: 4/5*Điểm tối đa (2) Đã chuyển IPv6: 1/5*Điểm tối đa - Điểm = (1) (2) - Chưa
    …: 0 điểm``: the same yes/no parts as without the numbers, or None."""
    bare = re.sub(r"(?i)-?\s*Điểm\s*=\s*\(\s*1\s*\)\s*\+?\s*\(\s*2\s*\)", " ", reading.text)
    bare = re.sub(r"\(\s*[12]\s*\)", " - ", bare)
    if re.search(r"\(\s*\d\s*\)", bare):
        return None
    cls, rest = reading.cut(bare, reading.max_points)
    if rest and not reading.only_marks(rest):
        return None
    return _yes_no_parts(cls, reading)


def _yes_no_parts(cls, reading) -> dict | None:
    """``Đáp ứng yêu cầu chức năng …: 3/5*Điểm tối đa - Đã chuyển đổi sang IPv6: 2/5*Điểm tối đa -
    Chưa đáp ứng, chưa chuyển đổi: 0 điểm``: a sum of yes/no parts, each the one yes/no fact the
    answer reader finds in its words; the shares add up to the maximum."""
    parts, zero = [], 0
    for c in cls:
        if not isinstance(c.points, float) or re.search(r"\d\s*%", c.cond):
            return None
        if c.points == 0.0:
            zero += 1
            if not negated(c.cond):
                return None
            continue
        facts = [k for k, v in reading.facts(c.cond).items() if isinstance(v, bool) and v]
        if len(facts) != 1 or negated(c.cond) or not 0 < c.points < 1:
            return None
        parts.append({"share": c.points, "name": c.cond.strip(" -–+;:."), "rule": {"kind": "yes_no", "fact": facts[0]}})
    if len(parts) < 2 or zero > 1 or abs(sum(p["share"] for p in parts) - 1) > 1e-6 \
            or len({p["rule"]["fact"] for p in parts}) != len(parts):
        return None
    return {"kind": KIND, "parts": parts}


def _numbered_any(reading) -> dict | None:
    """``(1) Label: clauses … (2) Label: clauses … - Điểm = (1) + (2)``: each part's clauses are
    shares of the whole maximum; the part's share is its best outcome, and its clauses, scaled
    to the part, must read as one rule of a kind the clause readers know (a choice between
    answers, count tiers, rate bands …).  The shares must add up to the maximum."""
    text = re.sub(_TOTAL, " ", reading.text)
    pieces = re.split(r"\(\s*(\d)\s*\)", text)
    if pieces[0].strip(" -–;:.,") or len(pieces) < 5:
        return None
    numbers, bodies = pieces[1::2], pieces[2::2]
    if numbers != [str(n) for n in range(1, len(numbers) + 1)]:
        return None
    parts = []
    for body in bodies:
        cls, rest = reading.cut(body, reading.max_points)
        if not cls or rest and not reading.only_marks(rest):
            return None
        if not all(isinstance(c.points, float) for c in cls):
            return None
        share = max(c.points for c in cls)
        label, first = "", cls[0].cond
        if ":" in first:                    # "Điểm chuyên mục: Có chuyên mục riêng"
            label, first = (s.strip(" -–;:.,") for s in first.split(":", 1))
        if share <= 0 or not first:
            return None
        scaled = [replace(c, points=round(c.points / share, 6)) for c in cls]
        scaled[0] = replace(scaled[0], cond=first)
        own = replace(reading, text=body, extra={**reading.extra, "label": label})
        rule = next((r for fn in R.readers("clauses") if (r := fn(scaled, own)) is not None), None)
        if rule is None or R.kind_of(rule) in (KIND, "weighted"):
            return None
        parts.append({"share": share, "name": label or first, "rule": rule})
    if len(parts) < 2 or abs(sum(p["share"] for p in parts) - 1) > 1e-6:
        return None
    return {"kind": KIND, "parts": parts}


READERS = [("parts", 10, _labelled_yes_no), ("parts", 30, _numbered_yes_no), ("parts", 40, _numbered_any),
           ("clauses", 70, _yes_no_parts)]
