"""Reading reports back out of the store: the summaries the queue lists, one report or many
as ``StoredReport`` with reviewers' corrections applied, the documents to export, counts.

Apart from the writes because everything here only reads (each call its own session), and
the one place that turns a ``ReportRec`` and its corrections into a ``StoredReport`` is
``_full`` (the review trail and reprocessing use it inside their transactions too).  A mixin
of ``store.store.Store``, which gives it ``_session``.
"""
from __future__ import annotations

import dataclasses

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scoring import corrections as corr
from store.schema import Correction, FlagRec, ReportRec, RowRec
from store.store_records import _key_filter, _summary
from store.stored import ReportSummary, StoredCorrection, StoredFlag, StoredReport


class QueriesMixin:
    """``reports``, ``get_report``, ``get_reports``, ``export_documents``, ``counts``."""

    _session: sessionmaker

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
        """One report by id or sha256 (``store.stored.StoredReport``): the store's facts,
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

    def export_documents(self, year: int | None = None, ruleset: str | None = None,
                         unit: str | None = None) -> list[StoredReport]:
        """The reports to export, oldest first, with corrections applied (and dismissed flags moved
        to ``dismissed_flags``); on a version of a submission the document also carries
        ``accepted``, the accepted score (``scoring.accepted``: the one number) with each row's
        ``accepted_points``, and ``submission``, whether this version is the one that counts.
        ``StoredReport.export_dict()`` is each one as the export writes it."""
        from store.submissions import build
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

    def counts(self) -> dict[str, int]:
        with self._session() as s:
            return {"reports": s.scalar(select(func.count()).select_from(ReportRec)) or 0,
                    "rows": s.scalar(select(func.count()).select_from(RowRec)) or 0,
                    "flags": s.scalar(select(func.count()).select_from(FlagRec)) or 0}
