"""A row whose printed code was misread, placed surely by the table's order and its name.

Reports print the indicators in the decision's order, each with its code.  OCR loses a
code or misreads it (``2.4`` read ``2.A``, ``3.1`` read ``31``); the row is then matched by
its name alone, and a name alone never makes a match "sure" (the code's share of the score
is missing), so every flag on the row was withheld and the row went to review.

The order stands in for the code where it proves as much: the row stands between two rows
matched surely by name and code, in the ruleset's order, and the rows between those two
take, one each and in order, exactly the indicators the ruleset places between them; the
row's name fits its indicator well and no other indicator clearly better.  A poorly fitting
name, neighbours out of order, a row between them that matched nothing, or an indicator
between them that no row took leaves the match as unsure as it was.
"""
from __future__ import annotations

import re

from matchers.candidates import Candidate
from matchers.indicators import Match, MatchConfig, name_matrix
from rulesets.model import Ruleset

NAME_FIT = 0.80      # the name's own fit to the indicator the order gives it
NAME_RIVAL = 0.05    # no other indicator's name may fit better than this margin
RELIABLE = 0.6       # share of coded rows whose code is their indicator's: the codes are the decision's


def place_by_order(matches: list[Match], ruleset: Ruleset, config: MatchConfig) -> dict[int, str]:
    """Raise the score of rows placed by the order (in place) -> {index in matches: reason}."""
    rows = [k for k, m in enumerate(matches) if m.candidate.kind == "row"]
    coded = [matches[k] for k in rows if matches[k].candidate.code and matches[k].indicator is not None]
    agree = sum(m.candidate.code == m.indicator.code for m in coded)
    if len(coded) < 5 or agree < RELIABLE * len(coded):
        return {}       # a renumbered report: its codes weigh nothing, so the order stands in for nothing
    pos = {ind.code: j for j, ind in enumerate(ruleset.indicators)}
    total_w = config.name_weight + config.code_weight_reliable + config.pillar_weight
    code_share = config.code_weight_reliable / total_w

    def landmark(m: Match) -> bool:
        return (m.indicator is not None and m.candidate.code == m.indicator.code and m.disputed is None
                and m.score >= config.order_sure)

    marks = [i for i, k in enumerate(rows) if landmark(matches[k])]
    out: dict[int, str] = {}
    for a, b in zip(marks, marks[1:]):
        run = [matches[k] for k in rows[a + 1:b]]
        if not run:
            continue
        lo, hi = matches[rows[a]].indicator, matches[rows[b]].indicator
        p_lo, p_hi = pos[lo.code], pos[hi.code]
        between = ruleset.indicators[p_lo + 1:p_hi]
        if p_hi <= p_lo or any(m.indicator is None for m in run):
            continue
        got = [pos[m.indicator.code] for m in run]
        if any(not p_lo < p < p_hi for p in got) or got != sorted(set(got)):
            continue      # a row placed outside its neighbours, or out of their order
        taken = {m.indicator.code for m in run}
        if any(ind.code not in taken and not ind.heading for ind in between):
            continue      # an indicator between them no row took: which row is which is not proven
        names = name_matrix([m.candidate for m in run], ruleset)
        for i, m in enumerate(run):
            c = m.candidate
            if c.code == m.indicator.code or m.disputed is not None or m.indicator.heading:
                continue
            j = pos[m.indicator.code]
            own = float(names[i, j])
            if own < NAME_FIT or float(names[i].max()) > own + NAME_RIVAL:
                continue
            m.score = min(1.0, m.score + code_share)
            read = f"mã đọc được “{_code_as_read(c)}”" if _code_as_read(c) else "không đọc được mã"
            out[rows[a + 1 + i]] = (f"{read}, khớp chỉ số {m.indicator.code} theo thứ tự giữa {lo.code} "
                                    f"và {hi.code} và theo tên")
    return out


_LEADING = re.compile(r"^\s*(\S{1,6})\s")


def _code_as_read(c: Candidate) -> str | None:
    """The code cell as read; a cell that was no code ("2.A") was put before the label."""
    if c.printed_code:
        return c.printed_code
    m = _LEADING.match(c.label)
    return m.group(1) if m and any(ch.isdigit() for ch in m.group(1)) else None
