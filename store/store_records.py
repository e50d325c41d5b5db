"""Between the store's records and the typed reports: what a reading writes into a
``ReportRec`` (its columns, its JSON document, its rows and flags) and what a ``ReportRec``
gives back as a ``ReportSummary``.

Apart from ``Store`` because saving, reprocessing and listing all go through these, and
they touch no session: each takes records or a ``Report`` and returns records or data.
The names keep their leading underscore: they are the store modules' own, not an API.
"""
from __future__ import annotations

from matchers.report import Report, Unit
from scoring import corrections as corr
from matchers import kinds
from store.schema import FlagRec, ReportRec, RowRec
from store.stored import ReportSummary
from store.version import reader_version

_ROW_COLUMNS = ("indicator", "label", "claimed_points", "max_points", "computed_points", "ratio",
                "numerator", "denominator", "answer", "confidence", "match_score")


def _key_filter(key: int | str):
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit() and len(key) < 20):
        return ReportRec.id == int(key)
    return ReportRec.sha256 == str(key).lower()


def _summary(r: ReportRec, open_flags: int = 0) -> ReportSummary:
    d = corr.finite({
        "id": r.id, "sha256": r.sha256, "file_name": r.file_name, "file_names": list(r.file_names or []),
        "format": r.format, "layout": r.layout, "ruleset": r.ruleset,
        "unit": {"name": r.unit_name, "level": r.unit_level, "year": r.unit_year,
                 "receiver": r.unit_receiver},
        "status": r.status, "status_reason": r.status_reason, "reader_version": r.reader_version,
        "claimed_points": r.claimed_points, "computed_points": r.computed_points,
        "reviewed": r.reviewed, "reviewed_by": r.reviewed_by,
        "created_at": r.created_at.isoformat() if r.created_at else None, "run_id": r.run_id,
        "open_flags": open_flags,
    })
    return ReportSummary(**{**d, "unit": Unit(**d["unit"])})


def _reading_document(report: Report) -> dict:
    """The JSON stored for a reading: the contract document, a non-report's as ``kinds`` keeps it."""
    return (kinds.as_other(report) if kinds.not_a_report(report) else report).to_dict()


def _set_reading(rec: ReportRec, report: Report) -> None:
    """The reading's own columns (the filters the queue and the exports use) and document."""
    other = kinds.not_a_report(report)
    rec.document = _reading_document(report)
    rec.format, rec.layout, rec.ruleset = report.format, report.layout, report.ruleset
    rec.unit_name, rec.unit_level, rec.unit_year = report.unit.name, report.unit.level, report.unit.year
    rec.unit_receiver = report.unit.receiver
    rec.claimed_points, rec.computed_points = report.totals.claimed_points, report.totals.computed_points
    rec.status = kinds.STATUS if other else "flagged" if rec.document["flags"] else "clean"
    rec.status_reason = f"{other[0]} / {other[1]}" if other else None
    rec.reader_version = reader_version()


def _records(doc: dict) -> tuple[list[RowRec], list[FlagRec]]:
    """The rows and flags of a stored document as records: what corrections and flag decisions
    refer to by id."""
    rows = [RowRec(position=i, page=(row.get("source") or {}).get("page"), **{k: row.get(k) for k in _ROW_COLUMNS})
            for i, row in enumerate(doc["rows"])]
    flags = [FlagRec(position=i, indicator=f.get("indicator"), code=f.get("code"), severity=f.get("severity"),
                     message=f.get("message"), status="open") for i, f in enumerate(doc["flags"])]
    return rows, flags


def _remember_name(rec: ReportRec, name: str) -> None:
    if name and name not in (rec.file_names or []):
        rec.file_names = [*(rec.file_names or []), name]
