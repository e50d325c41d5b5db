"""The evidence of a cross-report flag, side by side: this report's row and the other report's
(values, the evidence text, and a crop of the page where the row has a place on one), or the
cited document and its date.  Pure apart from reading the other report from the store."""
from __future__ import annotations

from matchers.report import CROSS_FLAG_CODES
from store.stored import StoredReport
from review.format import answer_vi, figures_text, num

FIELD_VI = {"numerator": "tử số", "denominator": "mẫu số", "ratio": "tỷ lệ", "claimed_points": "điểm tự chấm",
            "count": "số lượng", "amount": "kinh phí"}
MAX_PAIRS = 8


def _side(report: StoredReport | None, pos, fields_same, fields_differ) -> dict | None:
    if report is None or pos is None or not 0 <= pos < len(report.rows):
        return None
    row = report.rows[pos]
    src = row.get("source") or {}
    crop = (f"/reports/{report.id}/rows/{pos}/crop.png"
            if src.get("bbox") and src.get("page") is not None and report.format != "docx" else None)
    return {"report": report.id, "position": pos, "unit": report.unit.name, "code": row.get("indicator") or "—",
            "label": row.get("label") or "", "figures": figures_text(row, with_answer=False),
            "answer": answer_vi(row.get("answer")), "claimed": num(row.get("claimed_points")),
            "evidence": row.get("evidence") or "", "crop": crop,
            "same": [FIELD_VI.get(f, f) for f in fields_same], "differ": [FIELD_VI.get(f, f) for f in fields_differ]}


def build(store, report: StoredReport) -> list[dict]:
    """One entry per cross-report flag of ``report`` (in the page's flag order)."""
    extras = report.original_document.get("flags") or []
    cache: dict[int, StoredReport | None] = {}
    out = []
    for f in report.flags:
        if f.code not in CROSS_FLAG_CODES:
            continue
        extra = extras[f.position] if f.position < len(extras) else {}
        other_info = extra.get("other") or {}
        oid = other_info.get("id")
        if oid is not None and oid not in cache:
            cache[oid] = store.get_report(oid)
        other = cache.get(oid) if oid is not None else None
        pairs = []
        for p in (extra.get("pairs") or [])[:MAX_PAIRS]:
            same, differ = p.get("same") or [], p.get("differ") or []
            pairs.append({"indicator": p.get("indicator"), "this": _side(report, p.get("this"), same, differ),
                          "other": _side(other, p.get("other"), same, differ)})
        out.append({"flag": f, "other": other_info or None, "other_found": other is not None, "pairs": pairs,
                    "more": max(0, len(extra.get("pairs") or []) - MAX_PAIRS), "cited": extra.get("cited"),
                    "rule": extra.get("rule"), "measure": extra.get("measure")})
    return out
