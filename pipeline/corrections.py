"""Reviewer corrections applied to a stored contract document: pure functions.

A correction names a field of a row (by its position in ``document["rows"]``)
or of the document (``unit.name``, ``unit.year``, ``ruleset``, ``layout``).
Applying them never mutates the stored original.  When a reviewer fixes a
figure (rate, counts, answer) and not the computed points, the row's points
are recomputed under the ruleset's rule, and the totals follow, so an export
reflects the verified figures.
"""
from __future__ import annotations

import copy
from typing import Any, Iterable

ROW_NUMBER_FIELDS = ("claimed_points", "max_points", "computed_points", "ratio", "numerator",
                     "denominator", "confidence", "match_score", "count", "amount")
ROW_TEXT_FIELDS = ("indicator", "label", "answer", "option")
ROW_FIELDS = ROW_NUMBER_FIELDS + ROW_TEXT_FIELDS
FIGURE_FIELDS = ("ratio", "numerator", "denominator", "answer", "option", "count", "amount")
DOC_FIELDS = ("unit.name", "unit.level", "unit.year", "ruleset", "layout")


class CorrectionError(ValueError):
    """A correction that cannot apply (unknown field, value of the wrong kind)."""


def coerce(field: str, value: Any) -> Any:
    """A reviewer's typed value as the contract wants it: `8,5` -> 8.5, `` -> None."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return None
    if field in ROW_NUMBER_FIELDS or field == "unit.year":
        if isinstance(value, bool):
            raise CorrectionError(f"{field}: cần một số / a number is needed")
        if isinstance(value, str):
            text = value.replace(" ", "")
            percent = text.endswith("%")
            text = text.rstrip("%")
            if "," in text and "." in text:       # 1.570,5 -> 1570.5
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", ".")
            try:
                value = float(text) / (100 if percent else 1)
            except ValueError:
                raise CorrectionError(f"{field}: '{value}' không phải là số / is not a number") from None
        value = float(value)
        return int(value) if field == "unit.year" else value
    return str(value)


def check_field(field: str, on_row: bool) -> None:
    allowed = ROW_FIELDS if on_row else DOC_FIELDS
    if field not in allowed:
        raise CorrectionError(f"không sửa được trường '{field}' / field '{field}' cannot be corrected; "
                              f"allowed: {', '.join(allowed)}")


def get_value(doc: dict, field: str, position: int | None) -> Any:
    if position is not None:
        return doc["rows"][position].get(field)
    node: Any = doc
    for part in field.split("."):
        node = (node or {}).get(part)
    return node


def _set_value(doc: dict, field: str, position: int | None, value: Any) -> None:
    if position is not None:
        doc["rows"][position][field] = value
        return
    *parents, last = field.split(".")
    node = doc
    for part in parents:
        node = node.setdefault(part, {}) or {}
    node[last] = value


def apply(document: dict, corrections: Iterable[dict], flag_states: dict[int, tuple[str, str | None]] | None = None,
          rescore: bool = True) -> dict:
    """The document with corrections (dicts with position/field/new, in order) applied.

    ``flag_states`` maps a flag's position to (status, reason); dismissed flags
    move to the extra ``dismissed_flags`` list, confirmed ones carry their status.
    """
    doc = copy.deepcopy(document)
    corrections_list = list(corrections)
    refigured: set[int] = set()
    repointed: set[int] = set()
    for c in corrections_list:
        pos = c.get("position")
        _set_value(doc, c["field"], pos, c.get("new"))
        if pos is not None and c["field"] in FIGURE_FIELDS:
            refigured.add(pos)
        if pos is not None and c["field"] == "computed_points":
            # the accepted score (scoring.accepted) takes a reviewer's points over any rule;
            # clearing them gives the row back to its rule
            if c.get("new") is None:
                doc["rows"][pos].pop("points_by", None)
                repointed.discard(pos)
                refigured.add(pos)
            else:
                doc["rows"][pos]["points_by"] = "reviewer"
                repointed.add(pos)
    if rescore and refigured - repointed:
        _recompute(doc, sorted(refigured - repointed))
    touched = {c.get("position") for c in corrections_list if c.get("position") is not None}
    if touched:
        _retotal(document, doc, touched)
    if flag_states:
        kept, dismissed = [], []
        for i, f in enumerate(doc.get("flags") or []):
            status, reason = flag_states.get(i, ("open", None))
            f = dict(f, status=status, **({"reason": reason} if reason else {}))
            (dismissed if status == "dismissed" else kept).append(f)
        doc["flags"] = kept
        if dismissed:
            doc["dismissed_flags"] = dismissed
    return doc


def _recompute(doc: dict, positions: list[int]) -> None:
    """Points from corrected figures, when the scoring room and the ruleset are there."""
    try:
        import rulesets
        import scoring
        rs = rulesets.load(doc["ruleset"]) if doc.get("ruleset") else None
    except Exception:       # scoring unavailable: keep the stored points rather than guess
        return
    if rs is None:
        return
    for pos in positions:
        row = doc["rows"][pos]
        ind = rs.indicator(row.get("indicator")) if row.get("indicator") else None
        if ind is None:
            continue
        figures = {k: row.get(k) for k in FIGURE_FIELDS}
        figures.update(row.get("facts") or {})
        try:
            row["computed_points"] = scoring.compute_points(ind, figures)
        except Exception:
            continue


def _num(x: Any) -> float:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0


def _retotal(original: dict, doc: dict, positions: set[int]) -> None:
    """Shift the totals by what the corrected rows changed: the scoring room decides
    which rows count (headings, skipped rows), so a correction only moves the sum."""
    totals = dict(doc.get("totals") or {})
    for key in ("claimed_points", "computed_points"):
        delta = sum(_num(doc["rows"][p].get(key)) - _num(original["rows"][p].get(key)) for p in positions)
        if delta:
            totals[key] = round(_num(totals.get(key)) + delta, 4)
    doc["totals"] = totals
