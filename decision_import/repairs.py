"""Repairs of OCR readings of an annex table that its own layout allows, each one reported.

Only what the table itself proves: an STT garbled between two readable
neighbours exactly two apart is the one between them; an unreadable STT right
under its pillar's row, followed by the pillar's ``.2``, is the pillar's ``.1``.
Any other code with no such neighbours is left as read and reported, so a
person decides (`dti rulesets check`).  (The other repair, ``5.161`` under the
heading ``5.16`` read as ``5.16.1``, needs the rows read so far and lives in
``annex_table.read_table``.)
"""
from __future__ import annotations

from decision_import.annex_draft import Draft
from decision_import.annex_rows import _CODE, _ROMAN_DOTTED


def _bump(code: str, by: int) -> str | None:
    head, _, last = code.rpartition(".")
    return f"{head}.{int(last) + by}" if head and last.isdigit() else None


def repair_sequence(d: Draft) -> None:
    """An STT OCR garbled ("Tìo", "1.30") between two readable neighbours exactly two
    apart (7.4 … 7.6) is the missing one (7.5); each such reading is a problem line."""
    inds = d.indicators
    for k in range(1, len(inds) - 1):
        prev, cur, nxt = inds[k - 1], inds[k], inds[k + 1]
        want = _bump(prev.code, 1)
        if not want or cur.code == want or _bump(prev.code, 2) != nxt.code or prev.pillar != nxt.pillar:
            continue
        if _CODE.match(cur.code) and not cur.code.startswith(want):
            continue     # a readable code of its own (a source may skip or reorder codes)
        d.problems.append((cur.page, f"mã «{cur.code}» đọc không rõ, giữa {prev.code} và {nxt.code}: "
                                     f"đọc là {want}, cần xem lại"))
        cur.code, cur.pillar = want, prev.pillar
    for k, cur in enumerate(inds):
        # the first row of a pillar ("vhyi:" for 2.1): its pillar's row above, P.2 below
        first = k == 0 or inds[k - 1].pillar != cur.pillar
        nxt = inds[k + 1] if k + 1 < len(inds) else None
        if (first and cur.pillar and not (_CODE.match(cur.code) or _ROMAN_DOTTED.match(cur.code))
                and nxt is not None and nxt.pillar == cur.pillar and nxt.code == f"{cur.pillar}.2"):
            d.problems.append((cur.page, f"mã «{cur.code[:40]}» đọc không rõ, dòng đầu của trụ cột {cur.pillar} "
                                         f"trước {nxt.code}: đọc là {cur.pillar}.1, cần xem lại"))
            cur.code = f"{cur.pillar}.1"
    for cur in inds:
        if not (_CODE.match(cur.code) or _ROMAN_DOTTED.match(cur.code)):
            d.problems.append((cur.page, f"«{cur.code[:40]}» không phải số thứ tự: mã đọc sai hoặc dòng nhóm "
                                         "bị đọc thành chỉ số, cần xem lại"))
