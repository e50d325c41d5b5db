"""What `dti rulesets import` says at the end, and how a draft always loads.

Degrade by the row, never by the document: a row the schema refuses (an
indicator with a code the loader rejects, a rule it cannot take …) is taken out
of the indicators and kept in the draft's ``unplaced`` list with what was read
and why, and the rest loads.  The import then ends with a summary in
Vietnamese and English: indicators found, maxima found and where they came
from, rules recognised, rows a person must settle, and where the arithmetic
(indicators → pillar, pillars → total) does not close.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from decision_import.draft import dump
from decision_import.annex_draft import Draft
from rulesets.loader import RulesetError, load_file
from rulesets.model import Ruleset

MAX_FROM_VI = {"column": "cột điểm", "name": "cuối tên", "method": "trong cách tính", "pillar": "chia từ trụ cột"}
MAX_FROM_EN = {"column": "max column", "name": "name suffix", "method": "method text", "pillar": "pillar share"}
_IND = re.compile(r": chỉ số (.+?), trường ")
_PILLAR = re.compile(r": trụ cột (.+?), trường max_points")


def load_draft(rs: dict[str, Any], probe: Path, pages: dict[str, int]) -> Ruleset:
    """Write ``rs`` to ``probe`` and load it; an indicator the schema refuses becomes an
    ``unplaced`` row (with the loader's reason) and the draft is tried again.  Raises
    ``RulesetError`` only for what no single row explains."""
    for _ in range(len(rs["indicators"]) + 4):
        probe.write_text(dump(rs), encoding="utf-8")
        try:
            return load_file(probe)
        except RulesetError as e:
            msg = str(e).split(": ", 1)[-1]
            m = _IND.search(str(e))
            at = next((n for n, i in enumerate(rs["indicators"]) if m and str(i["code"]) == m.group(1)), None)
            if at is not None and len(rs["indicators"]) > 1:
                bad = rs["indicators"].pop(at)
                for i in rs["indicators"]:
                    if i.get("parent") == bad["code"]:
                        i.pop("parent")
                rs.setdefault("unplaced", [])
                rs["unplaced"] = (rs["unplaced"] or []) + [{
                    "page": pages.get(str(bad["code"]), 1),
                    "text": f"{bad['code']} | {bad['name']} | {bad.get('max_points') or ''}".strip(" |"),
                    "why": f"bản nháp không nhận dòng này ({msg})"}]
                continue
            m = _PILLAR.search(str(e))
            if m:       # a pillar sum the importer did not foresee: accepted, said
                for p in rs["pillars"]:
                    if str(p["code"]) == m.group(1):
                        p["sum_note"] = f"tổng các chỉ số không khớp điểm trụ cột ({msg}): cần đối chiếu"
                continue
            if "total" in msg and "allow_sum_mismatch" not in rs:
                rs["allow_sum_mismatch"] = ["total"]
                rs["sum_note"] = f"tổng các trụ cột không khớp tổng in trong quyết định ({msg}): cần đối chiếu"
                continue
            raise
    raise RulesetError(f"{probe.name}: bản nháp không nạp được / the draft does not load")


def arithmetic(rs: Ruleset) -> tuple[list[str], list[str]]:
    """Where the draft's sums do not close: (Vietnamese, English) phrases."""
    vi, en = [], []
    for p in rs.pillars:
        if p.max_points is None:
            continue
        got = sum(i.max_points or 0 for i in rs.indicators if i.pillar == p.code and not i.heading)
        if abs(got - p.max_points) > 1e-6:
            vi.append(f"trụ cột {p.code} in {p.max_points:g}, các chỉ số cộng {got:g}")
            en.append(f"pillar {p.code} prints {p.max_points:g}, its indicators add up to {got:g}")
    known = [p.max_points for p in rs.pillars]
    if rs.total is not None and None not in known and abs(sum(known) - rs.total) > 1e-6:
        vi.append(f"tổng in {rs.total:g}, các trụ cột cộng {sum(known):g}")
        en.append(f"the total prints {rs.total:g}, the pillars add up to {sum(known):g}")
    return vi, en


def summary(d: Draft, rs: Ruleset, unplaced: int) -> tuple[str, str]:
    """One Vietnamese and one English line for the end of the import."""
    inds = rs.scorable()
    with_max = [i for i in inds if i.max_points is not None]
    src = {i.code: i.max_from for i in d.indicators}
    by: dict[str, int] = {}
    for i in with_max:
        by[src.get(i.code) or "column"] = by.get(src.get(i.code) or "column", 0) + 1
    rules = sum(1 for i in inds if not i.is_manual)
    vi_ar, en_ar = arithmetic(rs)
    vi = (f"{rs.id}: tìm thấy {len(inds)} chỉ số ({len(rs.pillars)} trụ cột); điểm tối đa {len(with_max)}/{len(inds)}"
          + (" (" + ", ".join(f"{MAX_FROM_VI[k]} {n}" for k, n in by.items()) + ")" if by else "")
          + f"; nhận ra quy tắc {rules}/{len(inds)}; {unplaced} dòng cần người xếp; "
          + ("số học: " + "; ".join(vi_ar) if vi_ar else "số học: chỉ số cộng đúng trụ cột, trụ cột cộng đúng tổng"))
    en = (f"{rs.id}: {len(inds)} indicators found ({len(rs.pillars)} pillars); maxima {len(with_max)}/{len(inds)}"
          + (" (" + ", ".join(f"{MAX_FROM_EN[k]} {n}" for k, n in by.items()) + ")" if by else "")
          + f"; rules recognised {rules}/{len(inds)}; {unplaced} rows to settle; "
          + ("arithmetic: " + "; ".join(en_ar) if en_ar else "arithmetic: indicators add up to pillars, "
             "pillars to the total"))
    return vi, en
