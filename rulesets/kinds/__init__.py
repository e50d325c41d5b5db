"""The rule kinds, one module each, and their registry (``rulesets.kinds.registry``).

To add a kind, add one module here with ``KIND``, ``REQUIRED``/``OPTIONAL`` keys and the
five parts — ``Params`` (typed parameters), ``validate``, ``READERS`` (wording recognition),
``score``, ``describe`` (Vietnamese) — plus ``present`` and ``summary``, and list it below.
The schema, the importer, scoring, the review page and ``dti rulesets show`` ask the
registry; no other module names a kind.  The kinds are part of the ruleset model: they
import nothing from extractors, matchers, scoring, pipeline or review.
"""
from __future__ import annotations

from rulesets.kinds import registry
from rulesets.kinds import (bands, dvctt_substitution, manual, minmax, options, pass_fail, per_item, rate,
                            rate_threshold, sum_parts, tiers, weighted, yes_no)
from rulesets.kinds.base import Params
from rulesets.kinds.registry import (DEFAULT, KINDS, PARTS, asks, batch, canonical, check, describe, kind_of, module, needs, parse,
                                     present, reads_rate, recognise, score, scored, summary, with_formula, wraps)

for _mod in (rate, rate_threshold, bands, yes_no, options, tiers, per_item, sum_parts, weighted, minmax,
             dvctt_substitution, pass_fail, manual):
    registry.register(_mod)

__all__ = ["DEFAULT", "KINDS", "PARTS", "Params", "asks", "batch", "canonical", "check", "describe", "kind_of", "module", "needs", "parse",
           "present", "reads_rate", "recognise", "registry", "score", "scored", "summary", "with_formula", "wraps"]
