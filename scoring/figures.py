"""Reading a row's figures the way rules need them: rates, yes/no, counts and frequencies.

The readers live with the rule kinds (``rulesets.kinds.figures``), which score rows;
re-exported here for the rest of scoring.
"""
from __future__ import annotations

from rulesets.kinds.figures import (  # noqa: F401
    WEEKS_PER_MONTH, clean, fact_value, frequency, has, norm_text, numbers, rate_of, raw_rate, sub_figures, truth_of,
)
