"""A decision's scoring-method text (``Cách tính điểm``) → a rule of ``rulesets.kinds``.

The text is read as a sequence of *clauses* ``condition: outcome`` (``decision_import.clauses``),
where the outcome is what the decisions write for points: ``Điểm tối đa``, ``1/2*Điểm tối
đa``, ``0 điểm``, ``Điểm = (a/b)*Điểm tối đa``, ``Điểm = Tỷ lệ/85%*Điểm tối đa``.  Each kind
recognises its own wording (``READERS`` of its module); this module hands them the text and
the matchers' readers (numbers and rates by ``matchers.figures``, answer words by
``matchers.answers``: one vocabulary for the whole product) and asks the registry.

A kind is returned only when every clause is accounted for by that kind; any clause left
over, or two readings that disagree, gives ``manual`` with the whole text kept, so a
reviewer settles it (``dti rulesets check``) — a guess is never written as a rule.
"""
from __future__ import annotations


from matchers.answers import extract_facts
from matchers.figures import find_rates
from matchers.normalize import clean
# the clause reader and the formula live in their own modules; Clause, clauses and manual
# stay importable from here
from rulesets import kinds
from decision_import.clauses import Clause, clauses, manual
from rulesets.kinds.reading import Reading, one_line
from decision_import.methods_formula import _lettered, _with_formula

__all__ = ["Clause", "clauses", "manual", "recognise"]


def recognise(text: str, max_points: float | None = None) -> dict:
    """The rule the method text states, or ``manual`` with the text and why.

    ``max_points`` (the indicator's maximum) lets points written as numbers be read."""
    t = one_line(clean(text))
    rest, inputs, formula = _lettered(t)
    body = t if formula is None else rest
    rule = _recognise(body, max_points, original=t, inputs=inputs)
    if getattr(kinds.module(kinds.kind_of(rule)), "OWN_FORMULAS", False):
        return rule                     # its parts declare their own formulas
    return _with_formula(rule, inputs, formula, t)


def _recognise(text: str, mx: float | None = None, original: str = "", inputs: dict | None = None) -> dict:
    t = one_line(clean(text))
    reading = Reading(text=t, max_points=mx, cut=clauses, rates=find_rates, facts=extract_facts,
                      again=_recognise,
                      original=original or t, extra={"inputs": inputs or {}})
    return kinds.recognise(reading)
