"""``per_item``: a base fraction when a yes/no fact holds, plus points per item up to a cap."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rulesets.kinds.base import Params as _Base
from rulesets.kinds.figures import fact_value, has
from rulesets.kinds.reading import fold
from rulesets.kinds.words import FACT_WORDS, num, share
from rulesets.vocab import NUM, parse_number, truth_of

KIND = "per_item"
REQUIRED = ("base_fact", "base_fraction", "item_fact", "points_per_item", "items_cap_points")
OPTIONAL: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "per_item"
    base_fact: str = ""
    base_fraction: float = 0.0
    item_fact: str = ""
    points_per_item: float = 0.0
    items_cap_points: float = 0.0


def needs(rule) -> list[str]:
    return []


def validate(ctx, rule, p: str) -> None:
    from rulesets.schema import as_fraction, as_str, is_num
    as_str(ctx, p + "base_fact", rule["base_fact"])
    as_str(ctx, p + "item_fact", rule["item_fact"])
    as_fraction(ctx, p + "base_fraction", rule["base_fraction"])
    for k in ("points_per_item", "items_cap_points"):
        if not is_num(rule[k]) or rule[k] < 0:
            raise ctx.fail(p + k, f"phải là số không âm (gặp {rule[k]!r})")


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    base = truth_of(figures.get(rule.base_fact))
    items = fact_value(figures, rule.item_fact)
    if base is None and items is None:
        return None
    pts = (float(rule.base_fraction) * mx if base else 0.0)
    pts += min((items or 0.0) * float(rule.points_per_item), float(rule.items_cap_points))
    return min(pts, mx)


def present(rule: Params, figures: dict) -> bool:
    return has(figures, rule.base_fact) or has(figures, rule.item_fact) or has(figures, "answer")


def describe(rule: Params) -> list[str]:
    base, item = FACT_WORDS.get(rule.base_fact, rule.base_fact), FACT_WORDS.get(rule.item_fact, rule.item_fact)
    return [f"(1) Có {base}: {share(rule.base_fraction)}",
            f"(2) Mỗi {item} được tính {num(rule.points_per_item)} điểm "
            f"(Tối đa {num(rule.items_cap_points)} điểm)", "Điểm = (1) + (2)"]


def summary(rule: Params) -> str:
    return (f"{rule.base_fact}:{rule.base_fraction:g}×max + {rule.points_per_item:g}/"
            f"{rule.item_fact} ≤{rule.items_cap_points:g}")


_PER_ITEM = re.compile(
    r"^[\s-]*(?:\(\s*1\s*\))?\s*(?P<base>.+?)[\s;,.-]*(?:\(\s*2\s*\))?\s*M[ỗôo]i\s+(?P<item>.+?)\s+(?:được\s+)?(?:tính\s+)?(?P<ppi>" + NUM
    + r")\s*(?:điểm|đ)\b\s*[(,;]?\s*t[ốôo]i\s*[đd]a\s*(?P<cap>" + NUM + r")\s*(?:điểm|đ)\b\s*\)?\s*[.;]?\s*(?P<rest>.*)$",
    re.I)


def _read(reading) -> dict | None:
    """``(1) Có wifi tại Bộ phận một cửa: 1/2*Điểm tối đa (2) Mỗi điểm … được tính 2 điểm (Tối
    đa 5 điểm) - Điểm = (1) + (2)``: a yes/no base and points per item with a cap.  The base is
    the one yes/no fact the answer reader finds in its words; the items are what it counts
    (``N điểm wifi`` → other_points, else a plain count).  A remark in brackets is kept in
    the rule's words only; anything else left over: None."""
    m = _PER_ITEM.search(reading.text)
    if not m:
        return None
    rest = re.sub(r"\((?!\s*\d\s*\))[^()]*\)", " ", m.group("rest"))            # "(Điểm wifi do xã đầu tư)"
    if not re.fullmatch(r"[\s.;-]*(?:Điểm\s*=\s*\(\s*1\s*\)\s*\+?\s*\(\s*2\s*\)\s*)?[\s.;]*", rest, re.I):
        return None
    cls, left = reading.cut(m.group("base"), reading.max_points)
    if len(cls) != 1 or not isinstance(cls[0].points, float) or left or not 0 < cls[0].points < 1:
        return None
    facts = [k for k, v in reading.facts(cls[0].cond).items() if isinstance(v, bool)]
    if len(facts) != 1 or re.search(r"\bchua\b|\bkhong\b", fold(cls[0].cond)):
        return None
    item = fold(m.group("item"))
    # "wif": OCR reads "wifi" as "wifñ", "wif1"
    item_fact = "other_points" if "wif" in item.replace(" ", "") and re.search(r"\bdiem\b", item) else "count"
    return {"kind": KIND, "base_fact": facts[0], "base_fraction": cls[0].points, "item_fact": item_fact,
            "points_per_item": parse_number(m.group("ppi")), "items_cap_points": parse_number(m.group("cap"))}


READERS = [("parts", 20, _read)]
