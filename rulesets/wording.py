"""A rule in the words a decision uses (``a = …; b = …; Điểm = (a/b)*Điểm tối đa``).

Used where a person checks a ruleset against the decision side by side
(`dti rulesets sheet`) and by the sample decisions (samples/samplegen/decision.py).
``decision_import.methods`` reads this wording back; the two are kept in step by the
import tests.
"""
from __future__ import annotations

from rulesets.model import Indicator

from rulesets import kinds
# how the decisions write numbers and shares: the kinds' own (re-exported for the sample decisions)
from rulesets.kinds.words import FACT_WORDS, UNITS, formula_text, num, pct, share  # noqa: F401


def method_lines(ind: Indicator) -> list[str]:
    """The scoring method of one indicator, as lines of decision prose: its kind's ``describe``."""
    return kinds.describe(ind.rule)
