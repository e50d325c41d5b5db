"""The store: every report the pipeline read, its rows and flags, and reviewers' corrections.

SQLite in ``var/dti.sqlite`` by default, PostgreSQL (or anything SQLAlchemy 2
speaks) by ``DTI_DATABASE_URL``.  Opening a Store brings the schema up to date
with Alembic (``store/migrations``), so there is no set-up step.

The API the pipeline and the review page use::

    store = Store()                               # or Store("postgresql+psycopg://...")
    store.has(sha256) -> bool
    store.save_report(report, run_id=None, file_name=None) -> int  # a Report; idempotent on its sha256
    store.add_file_name(sha256, file_name) -> int | None              # a copy's other name
    store.reports(year=, ruleset=, unit=, reviewed=, flagged=) -> list[ReportSummary]
    store.get_report(id_or_sha256) -> StoredReport | None   # the store's facts + corrected document + rows/flags with ids
    store.get_reports(ids) -> {id: StoredReport}
    store.add_correction(report, field, new, reviewer, why="", row_id=None) -> int
    store.add_corrections(report, {field: new}, reviewer, why="", row_id=None) -> list[int]   # all or none
    store.choose_version(report, reviewer, why="") / store.version_choices(history=False)
    store.replace_reading(id_or_sha256, report) -> changes            # dti reprocess, a Report
    store.set_flag_status(flag_id, status, reviewer, reason="") -> None
    store.mark_reviewed(report, reviewer, reviewed=True) -> None
    store.export_documents(year=, ruleset=, unit=) -> list[StoredReport]   # .export_dict(): as `dti export` writes
    store.crosscheck() -> dict | None     # the cross-report checks (store.crosschecks), after a pass

Reports go in as ``matchers.report.Report`` (a dict is refused: nobody's spelling of the
contract is stored half) and come out as ``store.stored.ReportSummary`` /
``StoredReport``.  The database keeps the contract's JSON as it always has, so stores
written before read the same.
Every write is one transaction: a crash never leaves half a report.

``Store`` is assembled from modules of one concern each: ``store.dbengine`` (the engine,
SQLite pragmas, the Alembic upgrade), ``store_records`` (records <-> typed reports),
``store_runs`` (the passes), ``store_queries`` (reading reports back out) and
``store_review`` (the reviewers' trail); this module opens the database and writes the
readings (save, another file name, ``replace_reading``).  Every name it ever offered
(``make_engine``, ``upgrade``, ``RUN_BEAT_SECONDS``, ...) is still importable from here.
"""
from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from matchers.report import CROSS_FLAG_CODES, Report
from scoring import corrections as corr
from store import filenames
from matchers import kinds
from settings.config import default_database_url
from store.dbengine import MIGRATIONS, _alembic_config, make_engine, upgrade  # noqa: F401  (re-exported)
from store.schema import Correction, ReportRec
from store.store_queries import QueriesMixin
from store.store_records import _key_filter, _reading_document, _records, _remember_name, _set_reading
from store.store_review import ReviewMixin
from store.store_runs import RUN_BEAT_SECONDS, RUN_STALE_SECONDS, RunsMixin  # noqa: F401  (re-exported)


class Store(RunsMixin, QueriesMixin, ReviewMixin):
    """One database.  Thread-safe: each call opens its own short session."""

    def __init__(self, url: str | None = None, migrate: bool = True):
        self.url = url or default_database_url()
        self.engine = make_engine(self.url)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            upgrade(self.engine)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    @property
    def location(self) -> str:
        """Where the data is, for messages (the file for SQLite, the URL without password otherwise)."""
        if self.engine.url.get_backend_name() == "sqlite":
            return str(self.engine.url.database)
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def crosscheck(self) -> dict | None:
        """The auditor's checks across the stored reports (``store.crosschecks``): what a pass
        runs at its end; their flags replace those of the previous run."""
        from store import crosschecks
        return crosschecks.after_pass(self)

    # ---- reports --------------------------------------------------------------------------
    def has(self, sha256: str) -> bool:
        with self._session() as s:
            return s.scalar(select(ReportRec.id).where(ReportRec.sha256 == sha256.lower())) is not None

    def report_id(self, sha256: str) -> int | None:
        with self._session() as s:
            return s.scalar(select(ReportRec.id).where(ReportRec.sha256 == sha256.lower()))

    def save_report(self, report: Report, run_id: int | None = None, file_name: str | None = None) -> int:
        """Store one Report with its rows and flags, in one transaction.

        Idempotent on ``report.sha256``: a report already stored is not written
        again (a new ``file_name`` is remembered); returns the report's id.
        """
        if not isinstance(report, Report):      # a dict would be stored however it was spelt
            raise TypeError(f"save_report takes a matchers.report.Report, not {type(report).__name__}")
        sha = report.sha256.lower()
        # names are stored as text: one that is not UTF-8 on disk, escaped (store.filenames)
        name = filenames.text(file_name or report.file or "")
        if report.file and filenames.escaped(report.file):
            report = dataclasses.replace(report, file=filenames.text(report.file))
        try:
            with self._session.begin() as s:
                existing = s.scalar(select(ReportRec).where(ReportRec.sha256 == sha))
                if existing is not None:
                    _remember_name(existing, name)
                    return existing.id
                rec = ReportRec(sha256=sha, file_name=name, file_names=[name] if name else [], reviewed=False,
                                run_id=run_id)
                _set_reading(rec, report)
                rec.rows, rec.flags = _records(rec.document)
                s.add(rec)
                s.flush()
                return rec.id
        except IntegrityError:       # another worker stored the same file a moment ago
            rid = self.report_id(sha)
            if rid is None:
                raise
            return rid

    def add_file_name(self, sha256: str, file_name: str) -> int | None:
        """Remember another name the stored report of these bytes came in as (a copy in the
        inbox); its id, or None when no report has these bytes."""
        with self._session.begin() as s:
            existing = s.scalar(select(ReportRec).where(ReportRec.sha256 == sha256.lower()))
            if existing is None:
                return None
            _remember_name(existing, filenames.text(file_name))
            return existing.id

    # ---- reprocessing ----------------------------------------------------------------------
    def replace_reading(self, key: int | str, report: Report) -> dict:
        """Replace a stored report's reading by a new one of the same file (``dti reprocess``), in
        one transaction.  Reviewers' corrections move to the new row of the same indicator (the same
        label for rows without one), flag decisions to the new flag of the same code and indicator;
        those whose row or flag is gone stay in the trail, detached.  Returns what changed:
        ``values`` (indicator, field, old, new), ``flags_added`` / ``flags_removed`` ((code,
        indicator)), ``kept`` / ``detached`` corrections and ``reader`` (old, new)."""
        from store import rematch
        if not isinstance(report, Report):
            raise TypeError(f"replace_reading takes a matchers.report.Report, not {type(report).__name__}")
        with self._session.begin() as s:
            r = s.scalar(select(ReportRec).where(_key_filter(key)))
            if r is None:
                raise KeyError(f"report {key}")
            before = self._full(s, r).document
            old_rows, old_flags = list(r.rows), list(r.flags)
            # the cross-report flags are the store's, not the reading's: they stay (and their decisions)
            # until the next pass's checks replace them (store.crosschecks)
            carried = [f for f in r.document.get("flags") or [] if f.get("code") in CROSS_FLAG_CODES]
            reading = _reading_document(report)
            new_rows, new_flags = _records({**reading, "flags": reading["flags"] + carried})
            for x in new_rows + new_flags:
                x.report_id = r.id
                s.add(x)
            s.flush()
            row_map = rematch.match_rows([(o.id, o.indicator, o.label) for o in old_rows],
                                           [(n.id, n.indicator, n.label) for n in new_rows])
            flag_map = rematch.match_flags([(o.id, o.code, o.indicator) for o in old_flags],
                                             [(n.id, n.code, n.indicator) for n in new_flags])
            new_flag = {f.id: f for f in new_flags}
            for o in old_flags:
                if o.status != "open" and o.id in flag_map:
                    new_flag[flag_map[o.id]].status, new_flag[flag_map[o.id]].reason = o.status, o.reason
            kept = detached = 0
            for c in s.scalars(select(Correction).where(Correction.report_id == r.id)).all():
                if c.row_id is not None:
                    c.row_id = row_map.get(c.row_id)
                elif c.flag_id is not None:
                    c.flag_id = flag_map.get(c.flag_id)
                else:
                    continue
                if c.row_id is None and c.flag_id is None:
                    detached += 1
                    c.why = f"{c.why or ''} [không còn dòng/cảnh báo này sau khi đọc lại / gone after reprocessing]".strip()
                else:
                    kept += 1
            s.flush()
            for o in old_rows + old_flags:      # their corrections were moved or detached above
                s.delete(o)
            s.flush()
            s.expire(r, ["rows", "flags"])
            old_reader = r.reader_version
            _set_reading(r, report)
            if carried:
                r.document = {**r.document, "flags": r.document["flags"] + carried}
                r.status = r.status if r.status == kinds.STATUS else "flagged"
            s.flush()
            after = self._full(s, r).document
            for field in ("unit.name", "unit.level", "unit.year", "ruleset"):   # reviewers' document fixes hold
                col = {"unit.name": "unit_name", "unit.level": "unit_level", "unit.year": "unit_year"}.get(field, field)
                setattr(r, col, corr.get_value(after, field, None))
            return {**rematch.diff(before, after), "kept": kept, "detached": detached,
                    "reader": (old_reader, r.reader_version)}
