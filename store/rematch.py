"""A new reading of a stored report against the old one: which rows and flags are the same, what changed.

The store's half of ``dti reprocess`` (``Store.replace_reading``): reviewers' corrections follow
the row of the same indicator (the same label for rows without one), flag decisions the flag of
the same code and indicator.  Pure functions, here so that the store needs nothing of the flow.
"""
from __future__ import annotations

VALUE_FIELDS = ("claimed_points", "max_points", "computed_points", "ratio", "numerator", "denominator", "answer")


def _row_keys(indicator, label) -> list[tuple]:
    return [("ind", indicator)] if indicator else [("label", " ".join((label or "").split()).casefold())]


def match_rows(old: list[tuple], new: list[tuple]) -> dict[int, int]:
    """old row id -> new row id, for (id, indicator, label) rows: the same indicator, in order of
    appearance (a duplicate's second row to the second), else the same label."""
    free: dict[tuple, list[int]] = {}
    for rid, ind, label in new:
        for k in _row_keys(ind, label):
            free.setdefault(k, []).append(rid)
    out = {}
    for rid, ind, label in old:
        for k in _row_keys(ind, label):
            if free.get(k):
                out[rid] = free[k].pop(0)
                break
    return out


def match_flags(old: list[tuple], new: list[tuple]) -> dict[int, int]:
    """old flag id -> new flag id, for (id, code, indicator) flags of the same code and indicator."""
    free: dict[tuple, list[int]] = {}
    for fid, code, ind in new:
        free.setdefault((code, ind), []).append(fid)
    return {fid: free[(code, ind)].pop(0) for fid, code, ind in old if free.get((code, ind))}


def _by_indicator(doc: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i, row in enumerate(doc.get("rows") or []):
        out.setdefault(row.get("indicator") or f"dòng {i + 1}", row)
    return out


def diff(before: dict, after: dict) -> dict:
    """What a new reading changed, both with corrections applied: values per indicator, flags."""
    old, new = _by_indicator(before), _by_indicator(after)
    values = []
    for code in list(dict.fromkeys([*old, *new])):
        a, b = old.get(code) or {}, new.get(code) or {}
        if not a or not b:
            values.append((code, "row", "có" if a else None, "có" if b else None))
            continue
        for f in VALUE_FIELDS:
            if a.get(f) != b.get(f):
                values.append((code, f, a.get(f), b.get(f)))
    fa = {(f.get("code"), f.get("indicator")) for f in [*(before.get("flags") or []), *(before.get("dismissed_flags") or [])]}
    fb = {(f.get("code"), f.get("indicator")) for f in [*(after.get("flags") or []), *(after.get("dismissed_flags") or [])]}
    return {"values": values, "flags_added": sorted(fb - fa, key=str), "flags_removed": sorted(fa - fb, key=str)}
