"""The one check of a reviewer's correction before anything is stored: pure functions.

``validate`` reads every typed value (``corrections.coerce``), refuses what the field cannot
mean — an indicator code the ruleset does not have, a rate outside 0–200 %, text too long to
be a value, control and bidi-override characters — asks instead of guessing where a typed
rate reads two ways (`0,9`: 0,9 % or 90 %?), and drops what changes nothing, so a save that
changes nothing leaves no trace in the audit log.  Every refusal is collected per field (a
Vietnamese message the page puts beside the field) before one ``CorrectionError`` is raised:
all or none.  The store (``Store.add_corrections``) calls it with the current document; the
review page only shows what it says.
"""
from __future__ import annotations

import math
import unicodedata
from typing import Any

from scoring import corrections as corr

VALUE_LIMIT = 200       # one cell of a table: a code, a figure, an answer, a unit's name
WHY_LIMIT = 1000        # the reason of a correction
# text that reads in another order than it is stored (U+202A–U+202E, U+2066–U+2069): a value
# shown one way and exported another is how a forged figure hides
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _shown(text: str) -> str:
    text = "".join("�" if unicodedata.category(ch) == "Cc" or ch in BIDI else ch for ch in text)
    return text if len(text) <= 40 else text[:37] + "…"


def text_problem(text: str, limit: int = VALUE_LIMIT) -> tuple[str, str] | None:
    """(Vietnamese, English) of what makes ``text`` unfit to store, or None."""
    if len(text) > limit:
        return (f"dài {len(text)} ký tự, quá giới hạn {limit} ký tự",
                f"is {len(text)} characters long, over the {limit}-character limit")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return "có ký tự điều khiển (ví dụ NUL), hãy gõ lại", "contains control characters (e.g. NUL); type it again"
    if any(ch in BIDI for ch in text):
        return ("có ký tự đảo chiều văn bản (bidi), hãy gõ lại",
                "contains bidirectional-override characters; type it again")
    return None


def check_text(field: str, text: str, limit: int = VALUE_LIMIT) -> None:
    """Refuse ``text`` (CorrectionError naming ``field``) when it is unfit to store."""
    problem = text_problem(text, limit)
    if problem:
        raise corr.refusal(field, _shown(text), *problem)


def _ambiguous_rate(typed: Any, value: Any) -> list[tuple[str, str]] | None:
    """The two readings of a typed rate such as `0,9` (0,9 % or 90 %), or None when it reads one way.
    A rate field is in per cent, but a share written as a fraction (0,9 for 90 %) is common in
    the reports themselves; `0,9 %` or `90` says which."""
    if not isinstance(typed, str) or "%" in typed or not isinstance(value, float):
        return None
    if not ("," in typed or "." in typed) or not 0 < value * 100 <= 1:
        return None
    low, high = (f"{round(x, 6):g}".replace(".", ",") for x in (value * 100, value * 10000))
    return [(low, low + "%"), (high, high + "%")]


def _indicator(doc: dict, row: dict | None, typed: str, code: str | None, why: str) -> str | None:
    """The canonical code for ``code`` in the document's ruleset; raises when it has none."""
    if code is None:
        if row is not None and row.get("indicator") and not why.strip():
            raise corr.refusal("indicator", "", "để trống là bỏ khớp chỉ số: hãy ghi lý do sửa",
                               "empty unmatches the row: give a reason")
        return None
    rid = doc.get("ruleset")
    try:
        import rulesets
        rs = rulesets.load(rid) if rid else None
    except Exception:
        rs = None
    if rs is None:
        raise corr.refusal("indicator", _shown(typed), "không kiểm tra được: báo cáo chưa có bộ chỉ số",
                           "cannot be checked: the report has no ruleset")
    for cand in (code, code.rstrip(".")):     # reports print "2.5." as often as "2.5"
        if rs.indicator(cand) is not None:
            return cand
    raise corr.refusal("indicator", _shown(typed), f"không có trong bộ chỉ số {rid}",
                       f"is not an indicator of ruleset {rid}")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def validate(doc: dict, position: int | None, changes: dict[str, Any], why: str = "") -> dict[str, Any]:
    """The values to store for ``changes`` (field -> typed value) on row ``position`` of ``doc``
    (None: the document's own fields), only those that change something.  Raises one
    CorrectionError holding every field's refusal (``.errors``) and, for a rate that reads two
    ways, the two readings to choose from (``.choices``)."""
    errors: dict[str, str] = {}
    choices: dict[str, list[tuple[str, str]]] = {}
    messages: list[str] = []

    def refuse(e: corr.CorrectionError) -> None:
        messages.append(str(e))
        errors.update(e.errors)
        choices.update(e.choices)

    row = doc["rows"][position] if position is not None else None
    try:
        check_text("why", why, WHY_LIMIT)
    except corr.CorrectionError as e:
        refuse(e)
    values: dict[str, Any] = {}
    for field, typed in changes.items():
        try:
            corr.check_field(field, on_row=position is not None)
            if isinstance(typed, str):
                check_text(field, typed.strip())
            value = corr.coerce(field, typed)
            if field == "ratio" and (readings := _ambiguous_rate(typed, value)):
                raise corr.refusal("ratio", typed.strip(), f"là {readings[0][0]} % hay {readings[1][0]} %? Chọn một",
                                   f"is it {readings[0][0]} % or {readings[1][0]} %? Choose one",
                                   choices=readings)
            if field == "indicator":
                value = _indicator(doc, row, str(typed), value.strip() if value else None, why)
            if field == "ruleset" and value is not None:
                import rulesets
                if value not in rulesets.ruleset_ids():
                    raise corr.refusal(field, _shown(value), "không phải là bộ chỉ số đã có", "is not a known ruleset")
            values[field] = value
        except corr.CorrectionError as e:
            refuse(e)
    # points are checked against the maximum the row has once this correction applies
    mx = corr.rule_max(doc, {**(row or {}), **{k: v for k, v in values.items() if k == "indicator"}})
    for field, value in values.items():
        try:
            corr.check_range(field, value, row, mx, typed=changes[field])
        except corr.CorrectionError as e:
            refuse(e)
    if errors:
        raise corr.CorrectionError("; ".join(messages), errors=errors, choices=choices)
    return {f: v for f, v in values.items() if not _same(v, corr.get_value(doc, f, position))}
