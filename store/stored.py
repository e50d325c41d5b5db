"""A report as the store gives it back: typed, the reading and the review trail side by side.

``Store.reports`` lists ``ReportSummary``s: the store's own facts (id, names,
status, reviewed, reader version, totals, open flags).  ``Store.get_report`` /
``get_reports`` / ``export_documents`` return a ``StoredReport``: those facts,
the reading as extracted
(``original``, a Report) and as reviewers corrected it (``document``), the rows
and flags with the database ids corrections refer to, and the corrections.

The corrected document stays the contract's JSON on purpose: corrections add
what a Report has no field for (``points_by``, a flag's ``status``,
``dismissed_flags``, later the accepted score), and it is what the export
writes.  ``corrected`` gives it as a Report where only the reading matters.
Nothing here touches the database; the store builds these (``store.store_records``,
``store.store_queries``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from matchers.report import Report, Unit
from store import filenames
from matchers import kinds


@dataclass
class StoredFlag:
    """A flag of the stored reading, with the reviewers' decision on it."""
    id: int
    position: int
    code: str
    severity: str
    message: str
    indicator: str | None = None
    status: str = "open"                  # open | confirmed | dismissed
    reason: str | None = None

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class StoredCorrection:
    """One entry of the review trail: a field of a row (``row_id``, ``position``) or of the
    document, or a flag's status (``flag_id``)."""
    id: int
    field: str
    reviewer: str
    at: str | None = None                 # ISO time, UTC
    old: Any = None
    new: Any = None
    why: str | None = None
    row_id: int | None = None
    flag_id: int | None = None
    position: int | None = None           # the row's position in the document, when it has one

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class ReportSummary:
    """One line of the store's list: what the filter columns and the record say, no rows."""
    id: int
    sha256: str
    file_name: str
    file_names: list[str]
    format: str | None
    layout: str | None
    ruleset: str | None
    unit: Unit                            # the filter columns: as read, or as a reviewer corrected them
    status: str                           # clean | flagged | not-report
    status_reason: str | None
    reader_version: str | None
    claimed_points: float | None
    computed_points: float | None
    reviewed: bool
    reviewed_by: str | None
    created_at: str | None
    run_id: int | None
    open_flags: int

    def to_dict(self) -> dict:
        """The JSON form (the queue's lines, a debugging dump)."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(ReportSummary)}
        out.update(unit=dataclasses.asdict(self.unit), file_names=list(self.file_names))
        return out


@dataclass
class StoredReport(ReportSummary):
    """A summary with the reading and its review: what one report's page and the export need."""
    # the contract document with corrections applied (unless read with corrected=False)
    document: dict = field(default_factory=dict)
    original_document: dict = field(default_factory=dict)    # as extracted, as stored
    rows: list[dict] = field(default_factory=list)       # document rows, each with its ``id`` and ``position``
    flags: list[StoredFlag] = field(default_factory=list)
    corrections: list[StoredCorrection] = field(default_factory=list)   # oldest first

    @property
    def original(self) -> Report:
        """The reading as extracted.  An old store's document may lack what the record holds."""
        return Report.from_dict({"file": self.file_name, "sha256": self.sha256, "format": self.format or "",
                                 **self.original_document})

    @property
    def corrected(self) -> Report:
        """The corrected reading as a Report (the review annotations left out)."""
        return Report.from_dict({"file": self.file_name, "sha256": self.sha256, "format": self.format or "",
                                 **self.document})

    def export_dict(self) -> dict:
        """The document as `dti export` writes it: the contract document with corrections applied
        (``Store.export_documents``: and the accepted score, the submission), an extra ``review``
        object (who reviewed, how much changed), ``file_names`` when the same bytes came in under
        several names, ``file_note`` when a name is shown escaped (not UTF-8 on disk) and, for a
        file that is not a self-assessment, ``not_a_report``."""
        doc = dict(self.document)
        doc["review"] = {"id": self.id, "reviewed": self.reviewed, "reviewed_by": self.reviewed_by,
                         "corrections": len(self.corrections), "status": self.status}
        if len(self.file_names) > 1:        # the same bytes dropped again under other names
            doc["file_names"] = list(self.file_names)
        if any(filenames.says_escaped(n) for n in [doc.get("file"), *self.file_names]):
            doc["file_note"] = filenames.NOTE       # a name is escaped: said where it is shown
        if self.status == kinds.STATUS:
            doc["not_a_report"] = {"status": self.status, "reason": self.status_reason}
        return doc

    def to_dict(self) -> dict:
        """The JSON form (an API answer, a debugging dump): what ``get_report`` gave before it was typed."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out.update(unit=dataclasses.asdict(self.unit), original=out.pop("original_document"),
                   flags=[f.to_dict() for f in self.flags], corrections=[c.to_dict() for c in self.corrections])
        return out
