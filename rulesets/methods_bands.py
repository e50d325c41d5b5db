"""The readers of rates and counts against bounds now live with their kinds, each in its
own module (``rulesets.kinds.rate``, ``rate_threshold``, ``bands``, ``tiers``)."""
