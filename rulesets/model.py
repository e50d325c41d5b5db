"""The ruleset model: a province's indicator set, as loaded from a data file.

A ruleset file (``rulesets/data/<id>.yaml``) becomes one ``Ruleset``.  The
loader (``rulesets.loader``) checks the file against the schema and builds
these objects; nothing else in the project reads the YAML.

Rule kinds (``Indicator.rule["kind"]``) and their parameters are the contract
between the data files and ``scoring.rules``; the list is in ``RULE_KINDS``.
Every fraction is a fraction of the indicator's ``max_points`` (0.5 = half).
Every rate threshold is a fraction (0.85 = 85 %).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# kind -> (required params, what the rule reads from a row's figures)
# Figures a rule can read: ratio (or numerator/denominator), answer (yes/no),
# option (text of a categorical answer), count, amount (triệu đồng), and the
# named facts of composite rules (e.g. leader, section, articles).
RULE_KINDS: dict[str, str] = {
    # points = min(rate, 1) * max
    "rate": "params: none. needs: ratio | numerator+denominator",
    # rate >= threshold -> max, else rate / threshold * max
    "rate_threshold": "params: threshold (fraction). needs: ratio | numerator+denominator",
    # first band whose lower bound the rate reaches decides; below all bands -> 0.
    # band: {min: fraction, inclusive: true|false (default true),
    #        points: "max" | "rate" | <fraction of max>}
    "bands": "params: bands (list, highest first). needs: ratio | numerator+denominator",
    # yes -> max, no -> 0
    "yes_no": "params: none. needs: answer",
    # a categorical answer: the first option whose words occur in the answer
    # (or whose key equals facts[fact]) gives fraction * max.
    # option: {key: str, match: [words], fraction: number}
    "options": "params: options (list), fact (optional name of the fact holding the key). needs: option|answer",
    # count tiers: first tier whose min the figure reaches gives fraction * max
    # tier: {min: number, fraction: number}; fact: count|per_month|per_week|articles|amount
    "tiers": "params: fact, tiers (list, highest first). needs: the fact",
    # base fraction when a yes/no fact holds, plus points per item up to a cap
    "per_item": "params: base_fact, base_fraction, item_fact, points_per_item, items_cap_points. needs: facts",
    # sum of sub-rules, each scored against its own share of max
    # part: {share: fraction of max, rule: {...}, fact_prefix?: str}
    "sum": "params: parts (list). needs: what the parts need",
    # weighted average of sub-rules (e.g. 3/4 staff + 1/4 employees)
    # part: {weight: fraction, rule: {...}, figures: name of the figures' group}
    "weighted": "params: parts (list). needs: what the parts need",
    # points spread over the batch: best unit gets max, others (v-min)/(max-min)*max
    "minmax": "params: higher_is_better (bool, default true), value (ratio|amount|count). needs: batch",
    # Hòa Bình V.4.2: units without online public services get their DVCTT-
    # related indicators from the rest of the pillar. Marked on the indicators
    # it touches; applied by the engine at report level.
    "dvctt_substitution": "params: rule (the indicator's normal rule). needs: what that rule needs",
    # pass/fail criteria with no points (old e-government criteria)
    "pass_fail": "params: threshold (optional fraction) . needs: answer|ratio",
    # no rule that a machine can apply (the seed gives none): computed is null
    "manual": "params: note (why). needs: nothing",
}

FIGURE_NAMES = ("ratio", "numerator", "denominator", "answer", "option", "count", "amount")


@dataclass(frozen=True)
class Pillar:
    code: str                 # canonical pillar code as printed ("1".."8")
    name: str                 # Vietnamese name ("Hạ tầng số")
    max_points: float | None  # pillar maximum (sum of its indicators' maxima)
    roman: str | None = None  # "III" where reports print pillars in roman numerals


@dataclass(frozen=True)
class Indicator:
    code: str                       # canonical code exactly as the ruleset prints it ("5.16.1")
    pillar: str                     # Pillar.code
    name: str                       # full Vietnamese name
    max_points: float | None        # None where the source prints no maximum
    rule: dict[str, Any]            # {"kind": ..., params...}; see RULE_KINDS
    needs: tuple[str, ...] = ()     # figures the rule reads: ratio, numerator, denominator, answer, count, ...
    aliases: tuple[str, ...] = ()   # short names / abbreviations / paraphrases seen in reports
    group: str | None = None        # sub-heading inside a pillar ("Dịch vụ công trực tuyến")
    parent: str | None = None       # code of a heading indicator this one belongs to ("5.16")
    heading: bool = False           # a heading row with no points of its own
    note: str | None = None         # why something is odd (max not printed, source disagrees, ...)

    @property
    def kind(self) -> str:
        return self.rule.get("kind", "manual")


@dataclass(frozen=True)
class Ruleset:
    id: str                         # "hoabinh-2023-xa"
    title: str                      # the decision / document it comes from
    province: str                   # "Hòa Bình"
    level: str                      # "xa" | "huyen" | "so"
    year: int                       # year the ruleset was issued or applies to
    total: float | None             # ruleset total (1000) or None (pass/fail sets)
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    source: str = ""                # which seed and which annex
    notes: tuple[str, ...] = ()     # disagreements in the source, what was skipped
    header_words: tuple[str, ...] = ()  # words that point to this ruleset in a report header
    scored: bool = True             # False for pass/fail sets with no points
    # year-to-year plausibility per kind of indicator (rulesets.plausibility.Plausibility)
    plausibility: tuple = ()
    _by_code: dict[str, Indicator] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})

    def indicator(self, code: str) -> Indicator | None:
        return self._by_code.get(code)

    def pillar(self, code: str) -> Pillar | None:
        return next((p for p in self.pillars if p.code == code), None)

    def scorable(self) -> list[Indicator]:
        """Indicators that carry points of their own (headings excluded)."""
        return [i for i in self.indicators if not i.heading]
