"""The ruleset model: a province's indicator set, as loaded from a data file.

A ruleset file (``rulesets/data/<id>.yaml``) becomes one ``Ruleset``.  The
loader (``rulesets.loader``) checks the file against the schema and builds
these objects; nothing else in the project reads the YAML.

Rule kinds and their parameters live in ``rulesets.kinds`` (one module per kind, and the
registry); ``Indicator.rule`` is that kind's typed parameters (``kinds.Params``), which read
like the file's mapping and write back to it (``to_dict``).  ``RULE_KINDS`` lists them.
Every fraction is a fraction of the indicator's ``max_points`` (0.5 = half).
Every rate threshold is a fraction (0.85 = 85 %).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def __getattr__(name: str) -> Any:
    # the kinds and what each reads, from the registry (``rulesets.kinds``: one module per kind)
    if name == "RULE_KINDS":
        from rulesets import kinds
        return {k: (m.__doc__ or "").strip().split("\n")[0] for k, m in kinds.KINDS.items()}
    raise AttributeError(name)


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
    rule: Any                       # typed parameters of its kind (rulesets.kinds.Params), a Mapping
    needs: tuple[str, ...] = ()     # figures the rule reads: ratio, numerator, denominator, answer, count, ...
    aliases: tuple[str, ...] = ()   # short names / abbreviations / paraphrases seen in reports
    group: str | None = None        # sub-heading inside a pillar ("Dịch vụ công trực tuyến")
    parent: str | None = None       # code of a heading indicator this one belongs to ("5.16")
    heading: bool = False           # a heading row with no points of its own
    note: str | None = None         # why something is odd (max not printed, source disagrees, ...)

    @property
    def kind(self) -> str:
        from rulesets.kinds import kind_of
        return kind_of(self.rule)

    # what the rule's kind says about it (the registry, rulesets.kinds), for callers that
    # must not name kinds
    @property
    def is_manual(self) -> bool:
        """No rule a machine applies: points are a person's."""
        from rulesets.kinds import DEFAULT
        return self.kind == DEFAULT

    @property
    def batch(self) -> bool:
        """Scored across the batch (Min-Max), not from a row alone."""
        from rulesets.kinds import batch
        return batch(self.rule)

    @property
    def scored(self) -> bool:
        """Carries points (criteria judged Đạt/Chưa đạt do not)."""
        from rulesets.kinds import scored
        return scored(self.rule)

    @property
    def wraps(self) -> bool:
        """The rule wraps the indicator's own rule (the DVCTT substitution)."""
        from rulesets.kinds import wraps
        return wraps(self.rule)

    @property
    def own_rule(self) -> Any:
        """The rule a row alone scores by (inside a wrapping rule, the wrapped one)."""
        return self.rule["rule"] if self.wraps else self.rule


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

    def pillar_code(self, key: str) -> str | None:
        """A printed subtotal's key as the pillar's code ("III" or "3." -> "3"), None if no pillar."""
        k = str(key).strip().rstrip(".")
        return next((p.code for p in self.pillars if k == p.code or (p.roman and k.upper() == p.roman.upper())),
                    None)

    def scorable(self) -> list[Indicator]:
        """Indicators that carry points of their own (headings excluded)."""
        return [i for i in self.indicators if not i.heading]
