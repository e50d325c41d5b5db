"""``dvctt_substitution`` (Hòa Bình V.4.2): units without online public services (DVCTT) get
their DVCTT-related indicators from the share of points reached on the rest of the pillar.
Marked on the indicators it touches, around the indicator's normal ``rule``; the engine
applies the substitution at report level, a row alone scores by the inner rule."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rulesets.kinds import registry as R
from rulesets.kinds.base import Params as _Base, sub_rule
from rulesets.kinds.manual import from_text
from rulesets.kinds.reading import fold

KIND = "dvctt_substitution"
REQUIRED = ("rule",)
OPTIONAL: tuple[str, ...] = ()
WRAPS = True                # wraps another rule: ``inner`` gives the rule a row scores by


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "dvctt_substitution"
    rule: Any = sub_rule(default=None)


def inner(rule) -> Any:
    return rule["rule"]


def needs(rule) -> list[str]:
    return R.needs(rule["rule"])


def validate(ctx, rule, p: str) -> None:
    if R.kind_of(rule["rule"]) == KIND:
        raise ctx.fail(p + "rule", "không lồng dvctt_substitution trong chính nó")
    R.check(ctx, rule["rule"], p + "rule")


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    # the substitution itself needs the rest of the pillar: the engine applies it
    return R.score(rule.rule, figures, mx, part)


def present(rule: Params, figures: dict) -> bool:
    return R.present(rule.rule, figures)


def describe(rule: Params) -> list[str]:
    return R.describe(rule.rule) + [
        "Đơn vị không có DVCTT: điểm chỉ số tính theo tỷ lệ điểm đạt/điểm tối đa của các chỉ số khác "
        "trong trụ cột (Phần V.4 mục 2)"]


def summary(rule: Params) -> str:
    return "DVCTT* " + R.summary(rule.rule)


def wrap(rule: dict) -> dict:
    return {"kind": KIND, "rule": rule}


# "Đơn vị không có DVCTT: …", "Trường hợp đơn vị chưa cung cấp dịch vụ công trực tuyến: …"
_NO_DVCTT = re.compile(r"(?:-\s*)?(?:Trường hợp\s+)?(?:các\s+)?(?:cơ quan,?\s+)?đơn vị\s+(?:không|chưa)\s+"
                       r"(?:có|cung cấp|triển khai)\s+(?:DVCTT|dịch vụ công trực tuyến)(?:\s*\(DVCTT\))?", re.I)


def _read(reading) -> dict | None:
    """The indicator's own rule, replaced for units without DVCTT by the share of points the unit
    reached on the other indicators of the pillar."""
    t = reading.text
    sub = _NO_DVCTT.search(t)
    if not sub:
        return None
    own, instead = t[:sub.start()], fold(t[sub.end():])
    if not (re.search(r"\bty le\b", instead) and re.search(r"chi so (?:khac|con lai)|ngoai chi so", instead)):
        return from_text(t, "Có cách tính riêng cho đơn vị không có DVCTT nhưng không phải thay bằng tỷ lệ điểm "
                            "các chỉ số khác")
    rule = reading.again(own, reading.max_points)
    if R.kind_of(rule) == R.DEFAULT:
        return from_text(t, "Có quy định thay thế DVCTT nhưng không nhận ra cách tính chính")
    return wrap(rule)


READERS = [("whole", 10, _read)]
