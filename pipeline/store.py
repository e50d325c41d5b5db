"""The store: every report the pipeline read, its rows and flags, and reviewers' corrections.

SQLite in ``var/dti.sqlite`` by default, PostgreSQL (or anything SQLAlchemy 2
speaks) by ``DTI_DATABASE_URL``.  Opening a Store brings the schema up to date
with Alembic (``pipeline/migrations``), so there is no set-up step.

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

Reports go in as ``matchers.report.Report`` (a dict is refused: nobody's spelling of the
contract is stored half) and come out as ``pipeline.stored.ReportSummary`` /
``StoredReport``.  The database keeps the contract's JSON as it always has, so stores
written before read the same.
Every write is one transaction: a crash never leaves half a report.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import socket
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from matchers.report import Report, Unit
from pipeline import corrections as corr
from pipeline import kinds
from pipeline.config import default_database_url
from pipeline.private_files import create_private
from pipeline.stored import ReportSummary, StoredCorrection, StoredFlag, StoredReport
from pipeline.version import reader_version
from pipeline.schema import (FLAG_STATUSES, Correction, FlagRec, ReportRec, RowRec, Run, SubmissionChoice,
                             utcnow)

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)
RUN_BEAT_SECONDS = 60         # a pass says it is alive this often
RUN_STALE_SECONDS = 600       # silent this long: its pass was killed (a lost machine)

_ROW_COLUMNS = ("indicator", "label", "claimed_points", "max_points", "computed_points", "ratio",
                "numerator", "denominator", "answer", "confidence", "match_score")


def _alembic_config():
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op, one query, when it is there)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = _alembic_config()
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    for attempt in range(3):     # two processes opening a fresh SQLite file at once: the loser retries
        try:
            with engine.begin() as conn:
                if set(MigrationContext.configure(conn).get_current_heads()) == heads:
                    return
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            return
        except OperationalError:
            if attempt == 2:
                raise


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers (the review page) never block the pipeline's writer
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            if "?" not in path and not path.startswith("file:"):
                create_private(Path(path))  # the reports and reviewers' hashes: 0600 from the start
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _key_filter(key: int | str):
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit() and len(key) < 20):
        return ReportRec.id == int(key)
    return ReportRec.sha256 == str(key).lower()


def _summary(r: ReportRec, open_flags: int = 0) -> ReportSummary:
    d = corr.finite({
        "id": r.id, "sha256": r.sha256, "file_name": r.file_name, "file_names": list(r.file_names or []),
        "format": r.format, "layout": r.layout, "ruleset": r.ruleset,
        "unit": {"name": r.unit_name, "level": r.unit_level, "year": r.unit_year},
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


class Store:
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

    # ---- runs -----------------------------------------------------------------------------
    def start_run(self, kind: str, inbox: str | None = None) -> int:
        self.mark_interrupted(inbox)
        with self._session.begin() as s:
            now = utcnow()
            run = Run(kind=kind, inbox=inbox, host=socket.gethostname(), pid=os.getpid(), status="running",
                      seen_at=now, processed=0, skipped=0, quarantined=0, flagged=0)
            s.add(run)
            s.flush()
            return run.id

    def beat(self, run_id: int) -> None:
        """The pass is alive (called every minute by pipeline.batch.recorded_pass)."""
        with self._session.begin() as s:
            run = s.get(Run, run_id)
            if run is not None and run.status == "running":
                run.seen_at = utcnow()

    def mark_interrupted(self, inbox: str | None, stale_after: float = RUN_STALE_SECONDS) -> list[int]:
        """Runs of this inbox left "running" by a pass that was killed: on this machine, whose
        process is gone; on any machine, silent for ``stale_after`` seconds (a live pass beats
        every minute).  Marked "interrupted"; their files are taken again from processing/."""
        import psutil
        host, now = socket.gethostname(), utcnow()
        done = []
        with self._session.begin() as s:
            for run in s.scalars(select(Run).where(Run.status == "running", Run.inbox == inbox)):
                seen = run.seen_at or run.started_at
                if seen is not None and seen.tzinfo is None:      # SQLite gives naive UTC back
                    seen = seen.replace(tzinfo=now.tzinfo)
                dead_here = run.host == host and run.pid is not None and not psutil.pid_exists(run.pid)
                silent = seen is None or (now - seen).total_seconds() > stale_after
                if dead_here or silent:
                    run.status, run.finished_at = "interrupted", now
                    done.append(run.id)
        if done:
            log.warning("runs %s of %s marked interrupted (their pass was killed)", done, inbox)
        return done

    def finish_run(self, run_id: int, status: str = "done", **counts: int) -> None:
        with self._session.begin() as s:
            run = s.get(Run, run_id)
            if run is None:
                return
            for k, v in counts.items():
                setattr(run, k, v)
            run.status, run.finished_at = status, utcnow()

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
        name = file_name or report.file or ""
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
            _remember_name(existing, file_name)
            return existing.id

    def reports(self, year: int | None = None, ruleset: str | None = None, unit: str | None = None,
                reviewed: bool | None = None, flagged: bool | None = None, limit: int | None = None,
                status: str | None = None) -> list[ReportSummary]:
        """Summaries (no rows), newest first; ``unit`` matches part of the unit's name, any case;
        ``status``: only those (e.g. ``not-report``, the files that are not self-assessments)."""
        open_flags = (select(FlagRec.report_id, func.count().label("n")).where(FlagRec.status == "open")
                      .group_by(FlagRec.report_id).subquery())
        q = select(ReportRec, open_flags.c.n).outerjoin(open_flags, open_flags.c.report_id == ReportRec.id)
        if year is not None:
            q = q.where(ReportRec.unit_year == year)
        if ruleset:
            q = q.where(ReportRec.ruleset == ruleset)
        if status:
            q = q.where(ReportRec.status == status)
        if reviewed is not None:
            q = q.where(ReportRec.reviewed == reviewed)
        if flagged is not None:
            q = q.where((open_flags.c.n > 0) if flagged else open_flags.c.n.is_(None))
        q = q.order_by(ReportRec.id.desc())
        if limit and not unit:
            q = q.limit(limit)
        with self._session() as s:
            found = [_summary(r, n or 0) for r, n in s.execute(q).all()]
        if unit:    # in Python: SQLite's lower() leaves Đ, Ư, Â... as they are
            want = unit.casefold()
            found = [r for r in found if want in (r.unit.name or "").casefold()][:limit or None]
        return found

    def get_report(self, key: int | str, corrected: bool = True) -> StoredReport | None:
        """One report by id or sha256 (``pipeline.stored.StoredReport``): the store's facts,
        ``document`` (corrections applied unless ``corrected=False``), ``original`` (as extracted),
        ``rows`` and ``flags`` with their database ids (what corrections refer to) and
        ``corrections`` (oldest first)."""
        with self._session() as s:
            r = s.scalar(select(ReportRec).where(_key_filter(key)))
            if r is None:
                return None
            out = self._full(s, r, corrected)
        return out

    def get_reports(self, ids: list[int]) -> dict[int, StoredReport]:
        """Several reports as ``get_report`` gives them, in one session and four queries (the
        submissions view reads a whole year at once)."""
        from sqlalchemy.orm import selectinload
        out: dict[int, StoredReport] = {}
        with self._session() as s:
            for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
                recs = s.scalars(select(ReportRec).where(ReportRec.id.in_(chunk))
                                 .options(selectinload(ReportRec.rows), selectinload(ReportRec.flags))).all()
                by_report: dict[int, list] = {}
                for c in s.scalars(select(Correction).where(Correction.report_id.in_(chunk)).order_by(Correction.id)):
                    by_report.setdefault(c.report_id, []).append(c)
                for r in recs:
                    out[r.id] = self._full(s, r, cs=by_report.get(r.id, []))
        return out

    def _full(self, s: Session, r: ReportRec, corrected: bool = True, cs: list | None = None) -> StoredReport:
        if cs is None:
            cs = s.scalars(select(Correction).where(Correction.report_id == r.id).order_by(Correction.id)).all()
        pos_of_row = {row.id: row.position for row in r.rows}
        # NaN/infinity written by anyone (an old version, a hand-edited database) reads as none
        original = corr.finite(r.document)
        doc = self._apply(r, original, cs, pos_of_row) if corrected else original
        summary = _summary(r, sum(1 for f in r.flags if f.status == "open"))
        doc_rows = doc.get("rows") or []
        return StoredReport(
            **{f.name: getattr(summary, f.name) for f in dataclasses.fields(ReportSummary)},
            document=doc, original_document=original,
            rows=[{"id": row.id, "position": row.position, **doc_rows[row.position]}
                  for row in r.rows if row.position < len(doc_rows)],
            flags=[StoredFlag(id=f.id, position=f.position, indicator=f.indicator, code=f.code, severity=f.severity,
                              message=f.message, status=f.status, reason=f.reason) for f in r.flags],
            corrections=[StoredCorrection(id=c.id, row_id=c.row_id, flag_id=c.flag_id,
                                          position=pos_of_row.get(c.row_id), field=c.field, reviewer=c.reviewer,
                                          at=c.at.isoformat() if c.at else None, old=corr.finite(c.old),
                                          new=corr.finite(c.new), why=c.why)
                         for c in cs],
        )

    @staticmethod
    def _apply(r: ReportRec, original: dict, cs, pos_of_row: dict[int, int]) -> dict:
        # a correction whose row a later reading no longer has (``replace_reading``) stays in the
        # trail but applies to nothing
        changes = [{"position": pos_of_row.get(c.row_id) if c.row_id else None, "field": c.field,
                    "new": corr.finite(c.new)} for c in cs
                   if c.flag_id is None and (pos_of_row.get(c.row_id) is not None if c.row_id
                                             else c.field in corr.DOC_FIELDS)]
        states = {f.position: (f.status, f.reason) for f in r.flags if f.status != "open"}
        return corr.apply(original, changes, states)

    def add_correction(self, report: int | str, field: str, new: Any, reviewer: str, why: str = "",
                       row_id: int | None = None) -> int:
        """Record a reviewer's correction of a row field (``row_id`` from ``get_report().rows``)
        or of a document field (``unit.name``, ``unit.year``, ``ruleset``, ``layout``).

        ``new`` may be typed text (``"8,5"``, ``"85%"``, ``""`` for none); the old value is the
        current (already corrected) one.  Raises ``corrections.CorrectionError`` on a bad field/value,
        ``KeyError`` when the report or row does not exist.
        """
        return self.add_corrections(report, {field: new}, reviewer, why, row_id)[0]

    def add_corrections(self, report: int | str, changes: dict[str, Any], reviewer: str, why: str = "",
                        row_id: int | None = None) -> list[int]:
        """Several fields of one row (or of the document) at once, all or none: every value is
        read and range-checked against the row's rule first (``corrections.coerce`` /
        ``check_range``), so one bad field stores nothing."""
        if not reviewer:
            raise corr.CorrectionError("cần tên người sửa / a reviewer is needed")
        for field in changes:
            corr.check_field(field, on_row=row_id is not None)
        values = {field: corr.coerce(field, new) for field, new in changes.items()}
        with self._session.begin() as s:
            r = s.scalar(select(ReportRec).where(_key_filter(report)))
            if r is None:
                raise KeyError(f"report {report}")
            position = None
            if row_id is not None:
                row = s.get(RowRec, row_id)
                if row is None or row.report_id != r.id:
                    raise KeyError(f"row {row_id} of report {r.id}")
                position = row.position
            current = self._full(s, r).document
            row_now = current["rows"][position] if position is not None else None
            # points are checked against the maximum the row has once this correction applies
            mx = corr.rule_max(current, {**(row_now or {}), **{k: v for k, v in values.items() if k == "indicator"}})
            for field, value in values.items():
                corr.check_range(field, value, row_now, mx, typed=changes[field])
            ids = []
            for field, value in values.items():
                c = Correction(report_id=r.id, row_id=row_id, field=field, reviewer=reviewer, at=utcnow(),
                               old=corr.get_value(current, field, position), new=value, why=why or None)
                s.add(c)
                if row_id is None and (field.startswith("unit.") or field == "ruleset"):
                    # keep the filter columns in step with what reviewers established
                    col = {"unit.name": "unit_name", "unit.level": "unit_level", "unit.year": "unit_year"}.get(field, field)
                    setattr(r, col, value)
                s.flush()
                ids.append(c.id)
            return ids

    def set_flag_status(self, flag_id: int, status: str, reviewer: str, reason: str = "") -> None:
        """Confirm or dismiss a flag (or reopen it); recorded as a correction too."""
        if status not in FLAG_STATUSES:
            raise corr.CorrectionError(f"trạng thái '{status}' không hợp lệ / invalid status; "
                                       f"one of {', '.join(FLAG_STATUSES)}")
        if not reviewer:
            raise corr.CorrectionError("cần tên người sửa / a reviewer is needed")
        with self._session.begin() as s:
            f = s.get(FlagRec, flag_id)
            if f is None:
                raise KeyError(f"flag {flag_id}")
            s.add(Correction(report_id=f.report_id, flag_id=f.id, field="status", reviewer=reviewer, at=utcnow(),
                             old=f.status, new=status, why=reason or None))
            f.status, f.reason = status, reason or None

    def mark_reviewed(self, report: int | str, reviewer: str, reviewed: bool = True) -> None:
        with self._session.begin() as s:
            r = s.scalar(select(ReportRec).where(_key_filter(report)))
            if r is None:
                raise KeyError(f"report {report}")
            r.reviewed, r.reviewed_by = reviewed, reviewer if reviewed else None

    def export_documents(self, year: int | None = None, ruleset: str | None = None,
                         unit: str | None = None) -> list[StoredReport]:
        """The reports to export, oldest first, with corrections applied (and dismissed flags moved
        to ``dismissed_flags``); on a version of a submission the document also carries
        ``accepted``, the accepted score (``scoring.accepted``: the one number) with each row's
        ``accepted_points``, and ``submission``, whether this version is the one that counts.
        ``StoredReport.export_dict()`` is each one as the export writes it."""
        from pipeline.submissions import build
        ids = [r.id for r in self.reports(year=year, ruleset=ruleset, unit=unit)]
        # the submissions of the whole years concerned: Min-Max and the counted version need them all
        years = {r.unit.year for r in self.reports(year=year, ruleset=ruleset, unit=unit)}
        placed = {}
        for y in years:
            for sub in build(self, year=y) if y is not None else build(self):
                for v in sub.versions:
                    placed[v.id] = (sub, v)
        out = []
        fulls = self.get_reports(sorted(ids))
        for rid in sorted(ids):
            full = fulls[rid]
            if rid in placed:
                sub, v = placed[rid]
                full = dataclasses.replace(full, document=dict(v.document, submission=sub.info(v)))
            out.append(full)
        return out

    # ---- reprocessing ----------------------------------------------------------------------
    def replace_reading(self, key: int | str, report: Report) -> dict:
        """Replace a stored report's reading by a new one of the same file (``dti reprocess``), in
        one transaction.  Reviewers' corrections move to the new row of the same indicator (the same
        label for rows without one), flag decisions to the new flag of the same code and indicator;
        those whose row or flag is gone stay in the trail, detached.  Returns what changed:
        ``values`` (indicator, field, old, new), ``flags_added`` / ``flags_removed`` ((code,
        indicator)), ``kept`` / ``detached`` corrections and ``reader`` (old, new)."""
        from pipeline import reprocess
        if not isinstance(report, Report):
            raise TypeError(f"replace_reading takes a matchers.report.Report, not {type(report).__name__}")
        with self._session.begin() as s:
            r = s.scalar(select(ReportRec).where(_key_filter(key)))
            if r is None:
                raise KeyError(f"report {key}")
            before = self._full(s, r).document
            old_rows, old_flags = list(r.rows), list(r.flags)
            new_rows, new_flags = _records(_reading_document(report))
            for x in new_rows + new_flags:
                x.report_id = r.id
                s.add(x)
            s.flush()
            row_map = reprocess.match_rows([(o.id, o.indicator, o.label) for o in old_rows],
                                           [(n.id, n.indicator, n.label) for n in new_rows])
            flag_map = reprocess.match_flags([(o.id, o.code, o.indicator) for o in old_flags],
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
            s.flush()
            after = self._full(s, r).document
            for field in ("unit.name", "unit.level", "unit.year", "ruleset"):   # reviewers' document fixes hold
                col = {"unit.name": "unit_name", "unit.level": "unit_level", "unit.year": "unit_year"}.get(field, field)
                setattr(r, col, corr.get_value(after, field, None))
            return {**reprocess.diff(before, after), "kept": kept, "detached": detached,
                    "reader": (old_reader, r.reader_version)}

    # ---- submissions -----------------------------------------------------------------------
    def choose_version(self, report: int | str, reviewer: str, why: str = "") -> int:
        """A reviewer makes this report the version that counts for its submission (its unit,
        level and year).  Kept as a row of its own: earlier choices stay as the trail."""
        from pipeline.submissions import unit_key
        if not reviewer:
            raise corr.CorrectionError("cần tên người sửa / a reviewer is needed")
        with self._session.begin() as s:
            r = s.scalar(select(ReportRec).where(_key_filter(report)))
            if r is None:
                raise KeyError(f"report {report}")
            c = SubmissionChoice(unit_key=unit_key(r.unit_name, r.unit_level, r.unit_year, r.sha256),
                                 report_id=r.id, reviewer=reviewer, at=utcnow(), why=why or None)
            s.add(c)
            s.flush()
            return c.id

    def version_choices(self, history: bool = False) -> dict[str, dict] | list[dict]:
        """unit_key -> the newest reviewer choice (report_id, reviewer, at, why); ``history=True``:
        every choice, oldest first."""
        with self._session() as s:
            rows = s.scalars(select(SubmissionChoice).order_by(SubmissionChoice.id)).all()
            out = [{"unit_key": c.unit_key, "report_id": c.report_id, "reviewer": c.reviewer,
                    "at": c.at.isoformat() if c.at else None, "why": c.why} for c in rows]
        return out if history else {c["unit_key"]: c for c in out}

    def counts(self) -> dict[str, int]:
        with self._session() as s:
            return {"reports": s.scalar(select(func.count()).select_from(ReportRec)) or 0,
                    "rows": s.scalar(select(func.count()).select_from(RowRec)) or 0,
                    "flags": s.scalar(select(func.count()).select_from(FlagRec)) or 0}
