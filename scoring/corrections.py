"""Reviewer corrections applied to a stored contract document: pure functions.

A correction names a field of a row (by its position in ``document["rows"]``)
or of the document (``unit.name``, ``unit.year``, ``ruleset``, ``layout``).
Applying them never mutates the stored original.  When a reviewer fixes a
figure (rate, counts, answer) and not the computed points, the row's points
are recomputed under the ruleset's rule, and the totals follow, so an export
reflects the verified figures.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from rulesets.numbers import vn_number

ROW_NUMBER_FIELDS = ("claimed_points", "max_points", "computed_points", "ratio", "numerator",
                     "denominator", "confidence", "match_score", "count", "amount")
ROW_TEXT_FIELDS = ("indicator", "label", "answer", "option")
ROW_FIELDS = ROW_NUMBER_FIELDS + ROW_TEXT_FIELDS
FIGURE_FIELDS = ("ratio", "numerator", "denominator", "answer", "option", "count", "amount")
DOC_FIELDS = ("unit.name", "unit.level", "unit.year", "ruleset", "layout")


class CorrectionError(ValueError):
    """A correction that cannot apply (unknown field, value of the wrong kind).  ``errors``: field ->
    the Vietnamese words the page shows beside it; ``choices``: field -> (label, value to send) for a
    value that reads two ways."""

    def __init__(self, message: str, errors: dict[str, str] | None = None,
                 choices: dict[str, list[tuple[str, str]]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}
        self.choices = choices or {}


# what a reviewer reads beside each input, for messages
FIELD_LABELS = {"indicator": "Mã chỉ số", "why": "Lý do sửa", "answer": "Trả lời", "label": "Nội dung",
                "unit.name": "Tên đơn vị", "ruleset": "Bộ chỉ số", "ratio": "Tỷ lệ (%)", "numerator": "Tử số", "denominator": "Mẫu số", "claimed_points": "Điểm tự chấm",
                "max_points": "Điểm tối đa", "computed_points": "Điểm công nhận", "count": "Số lượng",
                "amount": "Số tiền", "confidence": "Độ tin cậy", "match_score": "Độ khớp", "unit.year": "Năm"}
MAX_RATE = 2.0          # 200 %: above it a rate is a typing error, not a commune's achievement


def refusal(field: str, typed: Any, vi: str, en: str,
            choices: list[tuple[str, str]] | None = None) -> CorrectionError:
    """The refusal of ``typed`` in ``field``: `Label: 'typed' vi / en`, and ``vi`` for beside the field."""
    said = f"'{typed}' " if typed not in ("", None) else ""
    return CorrectionError(f"{FIELD_LABELS.get(field, field)}: {said}{vi} / {en}", errors={field: f"{said}{vi}"},
                           choices={field: choices} if choices else None)


_refuse = refusal


def coerce(field: str, value: Any) -> Any:
    """A reviewer's typed value as the contract wants it, read by the reports' own number reader
    (``rulesets.vocab.parse_number``: `8,5` -> 8.5, `1.570` -> 1570), `` -> None.

    The rate field is in per cent, as its label says: `90` and `90%` are both 0.9.  A number
    given as a number (the API, not the form) is already in the contract's unit.  NaN and
    infinities are refused, whatever their spelling."""
    import math

    from rulesets.vocab import parse_number
    typed = value
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return None
    if field in ROW_NUMBER_FIELDS or field == "unit.year":
        if isinstance(value, bool):
            raise _refuse(field, typed, "không phải là số", "is not a number")
        if isinstance(value, str):
            text = value.replace("\u00a0", " ").strip()
            percent = text.endswith("%")
            if percent and field != "ratio":
                raise _refuse(field, typed, "không phải là tỷ lệ, nhập một số", "is not a rate; type a number")
            number = parse_number(text.rstrip("%").strip())
            if number is None:
                raise _refuse(field, typed, "không phải là số (ví dụ 8,5 hoặc 85%)", "is not a number (e.g. 8,5 or 85%)")
            value = number / 100 if field == "ratio" else number
        value = float(value)
        if not math.isfinite(value):
            raise _refuse(field, typed, "không phải là số hữu hạn", "is not a finite number")
        if field == "unit.year":
            if value != int(value):
                raise _refuse(field, typed, "không phải là năm", "is not a year")
            return int(value)
        return value
    return str(value)


def check_range(field: str, value: Any, row: dict | None, max_points: float | None, typed: Any = None) -> None:
    """Refuse a value the rule cannot have: a rate 0–200 %, points 0–max, counts >= 0,
    denominators > 0.  ``max_points``: the ruleset's maximum of the row's indicator (else the
    row's printed one)."""
    if value is None or not isinstance(value, (int, float)):
        return
    typed = value if typed is None else typed
    if field == "ratio" and not 0 <= value <= MAX_RATE:
        raise _refuse(field, typed, f"ngoài khoảng 0–{MAX_RATE * 100:.0f}%", f"is outside 0–{MAX_RATE * 100:.0f} %")
    if field in ("claimed_points", "computed_points"):
        if value < 0:
            raise _refuse(field, typed, "không được âm", "cannot be negative")
        if max_points is not None and value > max_points + 1e-9:
            raise _refuse(field, typed, f"vượt điểm tối đa {vn_number(max_points)} của chỉ số",
                          f"exceeds the indicator's maximum {max_points:g}")
    if field in ("numerator", "count", "amount", "max_points") and value < 0:
        raise _refuse(field, typed, "không được âm", "cannot be negative")
    if field == "denominator" and value <= 0:
        raise _refuse(field, typed, "phải lớn hơn 0", "must be above 0")
    if field in ("confidence", "match_score") and not 0 <= value <= 1:
        raise _refuse(field, typed, "phải từ 0 đến 1", "must be within 0–1")
    if field == "unit.year" and not 2000 <= value <= 2100:
        raise _refuse(field, typed, "không phải là năm đánh giá hợp lệ", "is not a plausible assessment year")


def rule_max(doc: dict, row: dict | None) -> float | None:
    """The maximum points a row may get: its indicator's in the document's ruleset, else the row's own."""
    if row is None:
        return None
    try:
        import rulesets
        rs = rulesets.load(doc["ruleset"]) if doc.get("ruleset") else None
        ind = rs.indicator(row.get("indicator")) if rs and row.get("indicator") else None
    except Exception:
        ind = None
    if ind is not None and ind.max_points is not None:
        return float(ind.max_points)
    mx = row.get("max_points")
    return float(mx) if isinstance(mx, (int, float)) and not isinstance(mx, bool) else None


def finite(obj: Any) -> Any:
    """``obj`` with every NaN/infinity replaced by None: what is stored can never break a page
    or make the JSON export invalid, whoever wrote it."""
    if isinstance(obj, (dict, list)):
        try:        # the common case, at C speed: nothing to clean
            json.dumps(obj, allow_nan=False)
            return obj
        except (ValueError, TypeError):
            pass
    return _finite(obj)


def _finite(obj: Any) -> Any:
    if isinstance(obj, float):
        return obj if obj == obj and obj not in (float("inf"), float("-inf")) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return obj


def check_field(field: str, on_row: bool) -> None:
    allowed = ROW_FIELDS if on_row else DOC_FIELDS
    if field not in allowed:
        raise CorrectionError(f"không sửa được trường '{field}' / field '{field}' cannot be corrected; "
                              f"allowed: {', '.join(allowed)}", errors={field: "không sửa được trường này"})


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
    doc = json.loads(json.dumps(document))     # a stored document is JSON: this copies it 5x faster than deepcopy
    corrections_list = list(corrections)
    refigured: set[int] = set()
    repointed: set[int] = set()
    for c in corrections_list:
        pos = c.get("position")
        _set_value(doc, c["field"], pos, c.get("new"))
        if pos is not None and c["field"] in FIGURE_FIELDS:
            refigured.add(pos)
            doc["rows"][pos]["figures_by"] = "reviewer"    # scoring.accepted: the figures are verified
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
