"""Implausible change from the previous year: the same unit's figure against its previous
year's report, under the plausibility the ruleset declares per kind of indicator
(``rulesets.plausibility``).

Rows are paired by indicator code when both reports use the same ruleset; across two
rulesets of one province (a new decision) by the indicator's name: the same folded name, or
a name at least 90 % alike (rapidfuzz ratio), one to one.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from rulesets.plausibility import Plausibility
from rulesets.vocab import clean, strip_accents
from scoring.crosscheck.copies import by_indicator

NAME_ALIKE = 90


@dataclass
class Change:
    indicator: str                # this year's code
    previous_indicator: str
    rule: Plausibility
    before: float
    after: float
    this_position: int | None
    other_position: int | None
    why: str                      # what the rule says, in Vietnamese


def _fold(s: str) -> str:
    return strip_accents(clean(s or "").lower())


def pair_codes(current, previous) -> dict[str, str]:
    """This year's indicator code -> last year's, for two rulesets (``rulesets.model.Ruleset``)."""
    if previous is None or current is None:
        return {}
    if current.id == previous.id:
        return {i.code: i.code for i in current.scorable()}
    prev = {_fold(i.name): i.code for i in previous.scorable()}
    out, used = {}, set()
    for i in current.scorable():
        code = prev.get(_fold(i.name))
        if code is None:
            best = max(((fuzz.ratio(_fold(i.name), n), c) for n, c in prev.items() if c not in used), default=(0, None))
            code = best[1] if best[0] >= NAME_ALIKE else None
        if code is not None and code not in used:
            out[i.code] = code
            used.add(code)
    return out


def value(row: dict, figure: str) -> float | None:
    v = row.get(figure)
    if v is None and figure == "ratio" and row.get("numerator") is not None and row.get("denominator"):
        v = float(row["numerator"]) / float(row["denominator"])
    return None if v is None else float(v)


def _sure(row: dict, figure: str, sure: float) -> bool:
    fc = (row.get("field_confidence") or {}).get(figure)
    conf = fc if fc is not None else row.get("confidence")
    return conf is None or conf >= sure


def judge(rule: Plausibility, before: float, after: float) -> str | None:
    """Why the move from ``before`` to ``after`` is implausible under ``rule``, or None."""
    if rule.min_previous is not None and before < rule.min_previous:
        return None
    if not rule.may_fall and after < before:
        return "số liệu cộng dồn không thể giảm"
    if rule.max_change_points is not None and abs(after - before) * 100 > rule.max_change_points + 1e-9:
        return f"thay đổi quá {rule.max_change_points:g} điểm phần trăm trong một năm"
    if rule.max_change_pct is not None and before > 0 and abs(after - before) / before * 100 > rule.max_change_pct + 1e-9:
        return f"thay đổi quá {rule.max_change_pct:g}% trong một năm"
    return None


def changes(rows: list[dict], previous_rows: list[dict], rules: tuple[Plausibility, ...], codes: dict[str, str],
            sure: float = 0.0) -> list[Change]:
    """Every figure of ``rows`` whose move from ``previous_rows`` breaks a rule (one per indicator and figure)."""
    now, before = by_indicator(rows), by_indicator(previous_rows)
    out, seen = [], set()
    for code, row in now.items():
        prev = before.get(codes.get(code, ""))
        if prev is None:
            continue
        for rule in rules:
            if not rule.covers(code) or (code, rule.figure) in seen:
                continue
            a, b = value(prev, rule.figure), value(row, rule.figure)
            if a is None or b is None or not (_sure(prev, rule.figure, sure) and _sure(row, rule.figure, sure)):
                continue
            why = judge(rule, a, b)
            if why:
                seen.add((code, rule.figure))
                out.append(Change(code, codes[code], rule, a, b, row.get("position"), prev.get("position"), why))
    return out
