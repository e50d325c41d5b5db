"""What a decision's annex is read into: one ``Draft`` per annex (its pillars, indicators, the
problems and rows a person must settle), and the one folding of cell text the annex readers
compare words in (``fold``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from matchers.normalize import clean, strip_accents


def fold(s: str) -> str:
    """A cell's text as its words are compared: cleaned, accents gone, lower case, one space."""
    return re.sub(r"\s+", " ", strip_accents(clean(s)).lower()).strip()


@dataclass
class DraftIndicator:
    code: str
    name: str
    max_points: float | None
    pillar: str
    page: int
    method: list[str] = field(default_factory=list)
    group: str | None = None
    parent: str | None = None
    heading: bool = False
    max_from: str | None = None      # where the maximum was read: column | name | method | pillar
    max_dash: bool = False           # the max cell printed "-": the decision says it has none


@dataclass
class DraftPillar:
    code: str
    name: str
    max_points: float | None
    page: int
    roman: str | None = None


@dataclass
class Draft:
    level: str | None
    title: str
    annex: str
    page: int
    pillars: list[DraftPillar] = field(default_factory=list)
    indicators: list[DraftIndicator] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)   # (page, Vietnamese message)
    total: float | None = None       # a "Tổng cộng" row, where printed
    roles: dict | None = None        # column roles, kept for a table continued on the next page
    roles_cols: int | None = None    # the grid width those roles were read on
    group: str | None = None         # the sub-heading the next indicators fall under
    dvctt: tuple[int, str] | None = None   # the body's clause for units without DVCTT: (page, text)
    # rows the importer could not place: (page, the text it saw, why) — for a person, never dropped
    unplaced: list[tuple[int, str, str]] = field(default_factory=list)
    subtotals: list[tuple[int, float]] = field(default_factory=list)   # "Cộng" rows: (page, points)
    group_sums: list[tuple[int, str, str, float]] = field(default_factory=list)  # (page, pillar, group, points)
    renumbered: bool | None = None    # indicators numbered 1, 2 … again in each pillar (None: not seen yet)
    open_code: bool = False           # the last STT read ended with "." (a code a page break may cut)
    # the indicators under the method cell merged down over them that is still open: the rest of
    # that cell, cut by a page break, belongs to each of them
    run: list = field(default_factory=list)

