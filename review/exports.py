"""The downloads on the export page: the same data `dti export` / `dti rank` give.

The corrected contract documents come from ``Store.export_documents`` and the
ranking from ``outputs.ranking.rank_store`` (what `dti rank` runs); nothing
here scores or rewrites a report.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from settings.settings import current



class ExportError(ValueError):
    pass


def district_name() -> str:
    """The district named in letters; DTI_DISTRICT, since one office runs one server."""
    return current().district or "……"


def documents(store, year: int | None = None, ruleset: str | None = None) -> list[dict]:
    """The documents as `dti export` writes them (JSON, Excel rows)."""
    return [r.export_dict() for r in store.export_documents(year=year, ruleset=ruleset)]


def ranking_xlsx(store, ruleset_id: str, year: int | None = None) -> bytes:
    """The same table `dti rank` writes (one report per unit, reviewed ones first)."""
    from outputs.ranking import RankError, rank_store
    if year is None:
        years = sorted({s.unit.year for s in store.reports(ruleset=ruleset_id) if s.unit.year})
        if not years:
            raise ExportError("Chưa có báo cáo nào của bộ chỉ số này để xếp hạng.")
        year = years[-1]
    with tempfile.TemporaryDirectory(prefix="dti-rank-") as tmp:
        try:
            ranking = rank_store(store, year, ruleset_id, out=Path(tmp) / "xep-hang.xlsx")
        except RankError as e:
            raise ExportError(str(e)) from None
        return ranking.xlsx.read_bytes()
