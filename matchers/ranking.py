"""A district's ranking table (like Tủa Chùa's Phụ lục 2) → ranked units.

Columns: TT, unit name, one column per pillar, total, rank.  Pillar columns
are recognised by their header names (8 pillars: Nhận thức số … Hoạt động xã
hội số) and given the canonical pillar codes 1..8 in the order of the common
DTI structure.  Checking the units' sums and ranks is the scoring engine's
job (``scoring.flags.ranking_flags``).
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from extractors.document import Table
from matchers.columns import grid_rows
from matchers.figures import parse_number
from matchers.normalize import fold
from matchers.report import RankedUnit

PILLARS = {"1": "nhan thuc so", "2": "the che so", "3": "ha tang so", "4": "nhan luc so",
           "5": "an toan thong tin mang", "6": "hoat dong chinh quyen so",
           "7": "hoat dong kinh te so", "8": "hoat dong xa hoi so"}
_UNIT = re.compile(r"\b(xa|phuong|thi tran|uy ban nhan dan|ubnd)\b")


def _header_map(header: list[str]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, h in enumerate(header):
        f = fold(h)
        if not f:
            continue
        if "xep hang" in f or f in ("hang", "thu hang"):
            out[i] = "rank"
        elif f.startswith("tong"):
            out[i] = "total"
        elif "ten" in f and ("don vi" in f or "xa" in f):
            out[i] = "name"
        elif f in ("tt", "stt"):
            out[i] = "tt"
        else:
            code, s = max(((c, fuzz.ratio(f, p)) for c, p in PILLARS.items()), key=lambda x: x[1])
            if s >= 75 and code not in out.values():
                out[i] = code
    return out


def looks_like_ranking(table: Table) -> bool:
    if len(table.rows) < 3:
        return False
    grid = grid_rows(table)
    hm = _header_map(grid[0])
    pillars = sum(1 for v in hm.values() if v.isdigit())
    return "rank" in hm.values() and pillars >= 4


def read_ranking(table: Table) -> list[RankedUnit]:
    grid = grid_rows(table)
    hm = _header_map(grid[0])
    name_c = next((i for i, v in hm.items() if v == "name"), 1)
    units: list[RankedUnit] = []
    for g in grid[1:]:
        name = g[name_c].strip() if name_c < len(g) else ""
        if not name or not _UNIT.search(fold(name)):
            continue
        u = RankedUnit(name=name)
        for i, role in hm.items():
            if i >= len(g):
                continue
            v = parse_number(g[i])
            if role.isdigit():
                u.pillars[role] = v
            elif role == "total":
                u.total = v
            elif role == "rank":
                u.rank = int(v) if v is not None else None
        units.append(u)
    return units
