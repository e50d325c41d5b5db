"""``dti reprocess``: read the archived originals again with the current reading code, so each
improvement of the reader reaches the reports already stored.

A report is read again when the code that read it (``reports.reader_version``) is not the
current one (``--all``: every report).  Reviewers' work carries over where the row still
matches: corrections follow the row of the same indicator (the same label for rows without
one), flag decisions the flag of the same code and indicator.  What no longer matches stays in
the trail, detached, and is counted in the output.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    report_id: int
    file: str
    status: str                       # reprocessed | missing | failed
    changes: dict = field(default_factory=dict)
    reason: str | None = None


def stale(store, year: int | None = None, every: bool = False) -> list:
    """The summaries (``store.stored.ReportSummary``) of the readings to do again, oldest first."""
    from store.version import reader_version
    now = reader_version()
    return [s for s in store.reports(year=year) if every or s.reader_version != now][::-1]


def reprocess(store, year: int | None = None, every: bool = False, archive_dirs: list[Path] | None = None,
              ruleset_id: str | None = None) -> list[Outcome]:
    """Read again the stored reports whose reading is stale (all with ``every``), oldest first."""
    from store.originals import original_path
    from pipeline.stages import process_file
    out = []
    for s in stale(store, year, every):
        full = store.get_report(s.id, corrected=False)
        path = original_path(full, _run_inbox(store, s.run_id), archive_dirs or [])
        if path is None:
            out.append(Outcome(s.id, s.file_name, "missing",
                               reason="không tìm thấy tệp gốc đã lưu trữ / archived original not found"))
            continue
        try:
            report = process_file(path, ruleset_id=ruleset_id)
        except Exception as e:       # one unreadable original must not stop the others
            msg = getattr(e, "message_vi", None)
            out.append(Outcome(s.id, s.file_name, "failed",
                               reason=f"{msg} / {e.message_en}" if msg else f"{type(e).__name__}: {e}"))
            continue
        report.sha256, report.file = full.sha256, full.original_document.get("file") or s.file_name
        out.append(Outcome(s.id, s.file_name, "reprocessed", store.replace_reading(s.id, report)))
    if any(o.status == "reprocessed" for o in out):
        store.crosscheck()       # the new readings, compared across reports again
    return out


def _run_inbox(store, run_id: int | None) -> str | None:
    if run_id is None:
        return None
    from sqlalchemy import select

    from store.schema import Run
    with store.engine.connect() as c:
        return c.scalar(select(Run.inbox).where(Run.id == run_id))


def _show(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def describe(o: Outcome) -> list[str]:
    """The lines `dti reprocess` prints for one report."""
    if o.status != "reprocessed":
        return [f"#{o.report_id} {o.file}: {o.status}: {o.reason}"]
    c = o.changes
    old, new = c["reader"]
    lines = [f"#{o.report_id} {o.file}: bộ đọc / reader {old or '?'} → {new}; {len(c['values'])} giá trị đổi / "
             f"values changed, cảnh báo / flags +{len(c['flags_added'])} −{len(c['flags_removed'])}; "
             f"giữ / kept {c['kept']} sửa đổi / corrections" +
             (f", {c['detached']} không còn dòng tương ứng / no longer match" if c["detached"] else "")]
    lines += [f"    {code} {f}: {_show(a)} → {_show(b)}" for code, f, a, b in c["values"]]
    lines += [f"    + {code} {ind or ''}".rstrip() for code, ind in c["flags_added"]]
    lines += [f"    − {code} {ind or ''}".rstrip() for code, ind in c["flags_removed"]]
    return lines
