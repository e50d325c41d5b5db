"""Points for one indicator from one row's figures: each rule kind scores in its own
module (``rulesets.kinds``); this is scoring's door to them.

Pure functions over ``(rule, figures dict, max points)``.  A rule that cannot be
applied from the figures gives ``None`` (never a guess): the engine then leaves the
row's computed points empty instead of inventing a mismatch.

Figures are what ``Row.figures()`` gives: ``ratio``, ``numerator``, ``denominator``,
``answer``, ``option``, ``count``, ``amount`` plus named facts (``leader``,
``section``, ``articles``, ``per_month``, ``per_week``, ``one_stop_wifi``, ...).
"""
from __future__ import annotations

from typing import Callable

from rulesets import kinds
from rulesets.kinds import with_formula
from rulesets.model import Indicator


def _scorer(kind: str) -> Callable[[dict, dict, float, bool], float | None]:
    mod = kinds.module(kind)
    return lambda rule, figures, mx, part: mod.score(kinds.parse(rule), figures, mx, part)


# kind -> its scoring (each kind's module in rulesets.kinds); listed for callers that name them
KINDS: dict[str, Callable[[dict, dict, float, bool], float | None]] = {k: _scorer(k) for k in kinds.KINDS}


def score_rule(rule: dict, figures: dict, max_points: float | None, part: bool = False) -> float | None:
    """Unrounded points of one rule against ``max_points``: its kind's ``score``."""
    return kinds.score(rule, figures, max_points, part)


def compute_points(indicator: Indicator, figures: dict) -> float | None:
    """Points the ruleset's rule gives this row's figures, rounded to 3 decimals; None if unknown."""
    if indicator.heading:
        return None
    v = score_rule(indicator.rule, figures or {}, indicator.max_points)
    return None if v is None else round(v + 0.0, 3)


def passes(indicator: Indicator, figures: dict) -> bool | None:
    """Đạt/Chưa đạt for criteria with no points (``pass_fail``): the kind's own ``passes``."""
    rule = kinds.parse(indicator.rule)
    mod = kinds.module(rule.kind)
    judge = getattr(mod, "passes", None) or kinds.module("pass_fail").passes
    return judge(rule, with_formula(rule, figures))


def figures_present(rule: dict, figures: dict) -> bool:
    """Whether the row gives the figures the rule reads (for ``missing-figures``)."""
    return kinds.present(rule, figures)
