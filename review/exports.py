"""The downloads on the export page: the same data `dti export` / `dti rank` give.

The corrected contract documents come from ``Store.export_documents`` and the
ranking from ``scoring.rank`` + ``scoring.write_ranking_xlsx``; nothing here
scores or rewrites a report.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from matchers.report import Report


class ExportError(ValueError):
    pass


def district_name() -> str:
    """The district named in letters; DTI_DISTRICT, since one office runs one server."""
    return os.environ.get("DTI_DISTRICT", "").strip() or "……"


def documents(store, year: int | None = None, ruleset: str | None = None) -> list[dict]:
    return store.export_documents(year=year, ruleset=ruleset)


def ranking_xlsx(store, ruleset_id: str, year: int | None = None) -> bytes:
    import rulesets
    import scoring
    try:
        rs = rulesets.load(ruleset_id)
    except Exception:
        raise ExportError(f"Không có bộ chỉ số '{ruleset_id}'.") from None
    docs = [d for d in documents(store, year, ruleset_id) if d.get("layout") != "ranking-table"]
    if not docs:
        raise ExportError("Chưa có báo cáo nào của bộ chỉ số này để xếp hạng.")
    reports = [Report.from_dict(d) for d in docs]
    df = scoring.rank(reports, rs)
    with tempfile.TemporaryDirectory(prefix="dti-rank-") as tmp:
        path = Path(tmp) / "xep-hang.xlsx"
        scoring.write_ranking_xlsx(df, path)
        return path.read_bytes()
