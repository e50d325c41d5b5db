"""Auditor's checks across stored reports, as pure comparisons of contract rows (dicts).

- ``copies``: two units' reports of one year and ruleset that agree beyond chance;
- ``evidence``: cited documents dated after the report;
- ``change``: figures that move from the previous year more than the ruleset allows.

Nothing here reads a file or the store: ``store.crosschecks`` queries the rows, calls these
and stores the flags.  Each finding says what a reviewer needs to see both sides.
"""
