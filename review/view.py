"""What the report page shows, built from a stored report (``Store.get_report``): pure functions.

Rows carry their highlight state (unsure values, open flags, corrected cells)
and their source (a crop for PDFs and images, the text in context for Word).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from outputs.exporting import FLAG_VI, LAYOUT_VI, SEVERITY_VI, STATUS_VI  # noqa: F401  (one Vietnamese wording, page and export)
from store.stored import StoredFlag, StoredReport
from review.format import answer_vi, figures_text, num, percent, value_for_input
from scoring.accepted import BASIS_VI, STATUS_VI as POINTS_STATUS_VI  # noqa: F401  (the page says why a row has its points)

EDITABLE = (  # field, Vietnamese label
    ("indicator", "Mã chỉ số"),
    ("ratio", "Tỷ lệ (%)"),
    ("numerator", "Tử số"),
    ("denominator", "Mẫu số"),
    ("answer", "Trả lời (yes/no/…)"),
    ("claimed_points", "Điểm tự chấm"),
    ("max_points", "Điểm tối đa"),
    ("computed_points", "Điểm công nhận (trống: theo quy tắc)"),
)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
FIELD_VI = dict(EDITABLE) | {"computed_points": "Điểm công nhận", "label": "Nội dung", "status": "Trạng thái cảnh báo",
                             "unit.name": "Tên đơn vị", "unit.year": "Năm", "ruleset": "Bộ chỉ số"}


@dataclass
class RowView:
    id: int
    position: int
    code: str
    label: str
    answer: str
    figures: str
    claimed: str
    computed: str
    accepted: str
    basis: str
    max: str
    confidence: str
    match: str
    unsure_values: bool
    unsure_match: bool
    points_differ: bool
    flags: list[StoredFlag]
    severity: str | None             # worst open flag on the row
    corrected: set[str]
    page: int | None
    has_crop: bool
    context: list[dict] = field(default_factory=list)   # Word: this row and its neighbours' text
    reasons: list[str] = field(default_factory=list)    # why the machine is not sure (matchers.confidence)
    inputs: dict[str, str] = field(default_factory=dict)
    status: str = ""                 # scoring.accepted's status of the accepted points (STATUS_VI)
    rule: str = ""                   # the ruleset's rule for the row, in Vietnamese (its kind's describe)

    @property
    def figures_fixed(self) -> bool:
        return bool(self.corrected & {"ratio", "numerator", "denominator"})


def _context(rows: list[dict], i: int) -> list[dict]:
    out = []
    for j in range(max(0, i - 1), min(len(rows), i + 2)):
        r = rows[j]
        out.append({"text": r.get("evidence") or r.get("label") or "", "current": j == i,
                    "code": r.get("indicator") or r.get("printed_code") or ""})
    return out


def _rule_words(ruleset_id: str | None):
    """Code -> the rule in the decision's words (the kinds' ``describe``); nothing when the
    ruleset is unknown or does not load (the page never fails for it)."""
    from rulesets import RulesetError, load
    from rulesets.kinds import describe
    try:
        rs = load(ruleset_id) if ruleset_id else None
    except (RulesetError, OSError, KeyError, ValueError):
        rs = None
    return lambda code: "; ".join(describe(rs.indicator(code).rule)) \
        if rs is not None and code and rs.indicator(code) is not None and not rs.indicator(code).heading else ""


def build_rows(report: StoredReport, low: float) -> list[RowView]:
    rows = report.rows
    rule_of = _rule_words(report.ruleset)
    live_flags = [f for f in report.flags if f.status != "dismissed"]
    by_code: dict[str, list[StoredFlag]] = {}
    for f in live_flags:
        if f.indicator:
            by_code.setdefault(f.indicator, []).append(f)
    corrected: dict[int, set[str]] = {}
    for c in report.corrections:
        if c.position is not None:
            corrected.setdefault(c.position, set()).add(c.field)
    fmt = report.format or ""
    out = []
    for i, r in enumerate(rows):
        src = r.get("source") or {}
        flags = by_code.get(r.get("indicator") or "", [])
        # an indicator's flags belong to its first row; a duplicate row shows them too
        open_flags = [f for f in flags if f.status == "open" and f.code != "low-confidence"]
        severity = min((f.severity for f in open_flags), key=lambda s: SEVERITY_ORDER.get(s, 9), default=None)
        conf, match = r.get("confidence"), r.get("match_score")
        claimed, computed = r.get("claimed_points"), r.get("computed_points")
        out.append(RowView(
            id=r["id"], position=r["position"], code=r.get("indicator") or r.get("printed_code") or "—",
            label=r.get("label") or "", answer=answer_vi(r.get("answer")), figures=figures_text(r, with_answer=False),
            claimed=num(claimed), computed=num(computed), max=num(r.get("max_points")),
            accepted=num(r.get("accepted_points")), basis=r.get("accepted_basis") or "",
            confidence=num(conf, 2) if conf is not None else "", match=num(match, 2) if match is not None else "",
            # a flag held back for unsure figures queues the row even where its confidence passes
            unsure_values=(conf is not None and conf < low) or any(
                f.code == "low-confidence" and f.status == "open" for f in flags),
            unsure_match=match is not None and match < low,
            points_differ=claimed is not None and computed is not None and abs(claimed - computed) > 0.1,
            flags=flags, severity=severity, corrected=corrected.get(r["position"], set()),
            page=src.get("page"), has_crop=bool(src.get("bbox")) and fmt != "docx" and src.get("page") is not None,
            context=[] if src.get("bbox") else _context(rows, i),
            inputs={f: value_for_input(f, r.get(f)) for f, _ in EDITABLE},
            reasons=list(r.get("reasons") or []), status=r.get("accepted_status") or "",
            rule=rule_of(r.get("indicator")),
        ))
    return out


def sorted_flags(report: StoredReport) -> list[StoredFlag]:
    return sorted(report.flags, key=lambda f: (f.status != "open", SEVERITY_ORDER.get(f.severity, 9), f.position))


def history(report: StoredReport) -> list[dict]:
    """Corrections newest first, with Vietnamese field names and readable values (a dict each:
    the correction and how the page words it)."""
    flags = {f.id: f for f in report.flags}
    out = []
    for c in reversed(report.corrections):
        target = ""
        if c.flag_id:
            f = flags.get(c.flag_id)
            target = f"Cảnh báo {f.code} {f.indicator or ''}".strip() if f else "Cảnh báo"
            old, new = STATUS_VI.get(c.old, c.old), STATUS_VI.get(c.new, c.new)
        else:
            rows = report.rows
            pos = c.position
            if pos is not None and pos < len(rows):
                target = f"Dòng {pos + 1} ({rows[pos].get('indicator') or rows[pos].get('printed_code') or '—'})"
            fmt = percent if c.field == "ratio" else (answer_vi if c.field == "answer" else num)
            old, new = _show(c.old, fmt), _show(c.new, fmt)
        out.append({**c.to_dict(), "target": target, "field_vi": FIELD_VI.get(c.field, c.field), "old_text": old,
                    "new_text": new})
    return out


def _show(v, fmt) -> str:
    if v is None:
        return "(trống)"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return fmt(v) if fmt in (percent, num) else str(v)
    return fmt(v) if fmt is answer_vi else str(v)
