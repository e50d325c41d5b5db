"""The review trail in the store: reviewers' corrections of fields (checked, all or none),
flag decisions, "reviewed" marks and the choice of the version of a submission that counts.

Apart from the reports' readings because every write here is a reviewer's, kept as rows of
their own (who, when, old, new, why) beside the stored document, which they never overwrite.
A mixin of ``store.store.Store``, which gives it ``_session`` and ``_full``.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from scoring import correction_checks as checks
from scoring import corrections as corr
from store.schema import FLAG_STATUSES, Correction, FlagRec, ReportRec, RowRec, SubmissionChoice, utcnow
from store.store_records import _key_filter


class ReviewMixin:
    """``add_correction``, ``add_corrections``, ``set_flag_status``, ``mark_reviewed``,
    ``choose_version``, ``version_choices``."""

    _session: sessionmaker

    def add_correction(self, report: int | str, field: str, new: Any, reviewer: str, why: str = "",
                       row_id: int | None = None) -> int | None:
        """Record a reviewer's correction of a row field (``row_id`` from ``get_report().rows``)
        or of a document field (``unit.name``, ``unit.year``, ``ruleset``, ``layout``); its id, or
        None when the value is the current one (nothing is recorded).

        ``new`` may be typed text (``"8,5"``, ``"85%"``, ``""`` for none); the old value is the
        current (already corrected) one.  Raises ``corrections.CorrectionError`` on a bad field/value,
        ``KeyError`` when the report or row does not exist.
        """
        ids = self.add_corrections(report, {field: new}, reviewer, why, row_id)
        return ids[0] if ids else None

    def add_corrections(self, report: int | str, changes: dict[str, Any], reviewer: str, why: str = "",
                        row_id: int | None = None) -> list[int]:
        """Several fields of one row (or of the document) at once, all or none: every value is
        checked against the field's meaning and the row's rule first (``correction_checks.validate``:
        the ruleset's codes, ranges, text limits), so one bad field stores nothing.  A value equal
        to the current one is not recorded: the ids of what changed, [] when nothing did."""
        if not reviewer:
            raise corr.CorrectionError("cần tên người sửa / a reviewer is needed")
        why = (why or "").strip()
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
            values = checks.validate(current, position, changes, why)
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

    def set_flag_status(self, flag_id: int, status: str, reviewer: str, reason: str = "",
                        for_letter: bool | None = None) -> None:
        """Confirm or dismiss a flag (or reopen it); recorded as a correction too.  ``for_letter``: whether
        the reason is meant for the commune (printed in the giải trình letter, ``review.letter``); kept
        in the trail as a ``for_letter`` correction of the flag, the latest one counting."""
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
            if for_letter is not None:
                s.add(Correction(report_id=f.report_id, flag_id=f.id, field="for_letter", reviewer=reviewer,
                                 at=utcnow(), new=bool(for_letter)))
            f.status, f.reason = status, reason or None

    def mark_reviewed(self, report: int | str, reviewer: str, reviewed: bool = True) -> None:
        with self._session.begin() as s:
            r = s.scalar(select(ReportRec).where(_key_filter(report)))
            if r is None:
                raise KeyError(f"report {report}")
            r.reviewed, r.reviewed_by = reviewed, reviewer if reviewed else None

    def choose_version(self, report: int | str, reviewer: str, why: str = "") -> int:
        """A reviewer makes this report the version that counts for its submission (its unit,
        level and year).  Kept as a row of its own: earlier choices stay as the trail."""
        from store.communes import load
        from store.submissions import identity
        if not reviewer:
            raise corr.CorrectionError("cần tên người sửa / a reviewer is needed")
        listed = load(self)
        with self._session.begin() as s:
            r = s.scalar(select(ReportRec).where(_key_filter(report)))
            if r is None:
                raise KeyError(f"report {report}")
            key, _who = identity(r.unit_name, r.unit_level, r.unit_year, r.sha256, listed)
            c = SubmissionChoice(unit_key=key,
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
