"""``minmax``: points spread over the batch — the best unit gets max, the others
(v − min)/(max − min) × max.  Needs the whole batch, so a row alone gives no points;
``scoring.batch`` applies it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rulesets.kinds.base import Params as _Base
from rulesets.kinds.figures import has, raw_rate
from rulesets.kinds.manual import from_text
from rulesets.kinds.reading import fold
from rulesets.kinds.words import ratio
from rulesets.vocab import NUM, parse_number

KIND = "minmax"
REQUIRED = ("value",)
OPTIONAL = ("higher_is_better",)
READS_RATE = True
BATCH = True                # scored across the batch, not per row
VALUES = ("ratio", "amount", "count")
NEEDS = ["batch"]


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "minmax"
    value: str = "ratio"
    higher_is_better: bool | None = None


def validate(ctx, rule, p: str) -> None:
    if rule["value"] not in VALUES:
        raise ctx.fail(p + "value", f"phải là một trong {', '.join(VALUES)} (gặp {rule['value']!r})")
    if "higher_is_better" in rule and not isinstance(rule["higher_is_better"], bool):
        raise ctx.fail(p + "higher_is_better", "phải là true/false")


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    return None             # a row alone does not know the batch's min and max


def present(rule: Params, figures: dict) -> bool:
    return raw_rate(figures) is not None if rule.value == "ratio" else has(figures, rule.value)


def batch_value(rule, figures: dict) -> float | None:
    """The quantity the batch is normalised on, from one row's figures."""
    return raw_rate(figures) if rule.get("value", "ratio") == "ratio" else figures.get(rule["value"])


def describe(rule: Params) -> list[str]:
    better = "cao nhất" if rule.higher_is_better is not False else "thấp nhất"
    what = {"ratio": "tỷ lệ", "amount": "giá trị (triệu đồng)", "count": "số lượng"}[rule.value]
    return (ratio(rule) if rule.rate else []) + [f"Chuẩn hóa Min-Max theo {what} giữa các đơn vị",
                                                 f"Đơn vị có {what} {better}: Điểm tối đa",
                                                 "Đơn vị khác: Điểm = (Giá trị - Min)/(Max - Min)*Điểm tối đa"]


def summary(rule: Params) -> str:
    return f"Min-Max {rule.value}" + ("" if rule.higher_is_better is not False else " (thấp hơn tốt hơn)")


_QUANTITY = (("ratio", r"ty le"), ("amount", r"trieu dong|kinh phi|gia tri"), ("count", r"so luong"))


def _share(v: str, max_points: float | None) -> object:
    x = parse_number(v)
    if x is None or not max_points or x > max_points + 1e-9:
        return "unknown"
    return round(x / max_points, 6)


def _read(reading) -> dict | None:
    """``Chuẩn hóa Min-Max theo tỷ lệ … cao nhất: Điểm tối đa`` or ``Đơn vị có tỷ lệ cao nhất được
    20 điểm; các đơn vị khác … Min-Max``: the quantity normalised and whether more is better."""
    t, mx = reading.text, reading.max_points
    f = fold(t)
    if not ("min-max" in f or "min - max" in f or "chuan hoa min" in f):
        return None
    best = r"(cao nhat|thap nhat)\s*(?::|duoc|dat)?\s*(diem toi da|(" + NUM + r")\s*diem)"
    values = {v for v, rx in _QUANTITY if re.search(r"min-max theo (?:" + rx + ")", f)
              or re.search(r"(?:" + rx + r")[^.;:]{0,25}?" + best, f)}
    if len(values) != 1:
        return from_text(t, "Min-Max: không rõ đại lượng được chuẩn hóa")
    ends = {m.group(1) for m in re.finditer(best, f)
            if m.group(3) is None or _share(m.group(3), mx) == 1.0}
    if len(ends) != 1:
        return from_text(t, "Min-Max: không rõ giá trị cao hay thấp là tốt")
    return {"kind": KIND, "value": values.pop(), "higher_is_better": ends.pop() == "cao nhat"}


READERS = [("whole", 20, _read)]


def asks(rule) -> str:
    if rule.value == "ratio":
        return "cần tỷ lệ hoặc tử số/mẫu số"
    return f"cần {'kinh phí' if rule.value == 'amount' else 'số lượng'}"


def canonical(d: dict, raw) -> dict:
    return {"higher_is_better": True, **d}
