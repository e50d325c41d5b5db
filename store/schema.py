"""The store's tables (SQLAlchemy 2 declarative).  Alembic owns their creation.

``reports.document`` keeps the full extraction-contract JSON exactly as the
pipeline produced it; ``rows`` and ``flags`` copy its parts into columns so
the review page and SQL can filter and sort.  Corrections never overwrite
either: they are rows of their own, applied on read, so who changed what
stays visible forever.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

FLAG_STATUSES = ("open", "confirmed", "dismissed")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))          # once | flow | bench
    inbox: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="running")   # running | done | failed | interrupted
    processed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    # alive while recent: a pass beats every minute; the next start marks a silent one interrupted
    seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pid: Mapped[int | None] = mapped_column(Integer)


class ReportRec(Base):
    __tablename__ = "reports"
    # the cross-report checks read a year's reports ruleset by ruleset (migration x001)
    __table_args__ = (Index("ix_reports_year_ruleset", "unit_year", "ruleset", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    file_name: Mapped[str] = mapped_column(Text)            # first name it arrived under
    file_names: Mapped[list] = mapped_column(JSON, default=list)   # every name seen since
    format: Mapped[str | None] = mapped_column(String(16))
    layout: Mapped[str | None] = mapped_column(String(32))
    ruleset: Mapped[str | None] = mapped_column(String(64), index=True)
    unit_name: Mapped[str | None] = mapped_column(Text, index=True)
    unit_level: Mapped[str | None] = mapped_column(String(16))
    unit_year: Mapped[int | None] = mapped_column(Integer, index=True)
    unit_receiver: Mapped[str | None] = mapped_column(Text)   # "Kính gửi: …" as read (unit.receiver)
    status: Mapped[str] = mapped_column(String(16), default="clean")   # clean | flagged | not-report
    status_reason: Mapped[str | None] = mapped_column(Text)   # why a file is not a self-assessment
    reader_version: Mapped[str | None] = mapped_column(String(32))   # store.version.READER_VERSION
    claimed_points: Mapped[float | None] = mapped_column(Float)
    computed_points: Mapped[float | None] = mapped_column(Float)
    document: Mapped[dict] = mapped_column(JSON)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    rows: Mapped[list["RowRec"]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                order_by="RowRec.position")
    flags: Mapped[list["FlagRec"]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                  order_by="FlagRec.position")


class RowRec(Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)          # index in document["rows"]
    indicator: Mapped[str | None] = mapped_column(String(32), index=True)
    label: Mapped[str | None] = mapped_column(Text)
    claimed_points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float | None] = mapped_column(Float)
    computed_points: Mapped[float | None] = mapped_column(Float)
    ratio: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    answer: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)
    match_score: Mapped[float | None] = mapped_column(Float)
    page: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[ReportRec] = relationship(back_populates="rows")


class FlagRec(Base):
    __tablename__ = "flags"
    __table_args__ = (Index("ix_flags_code_report", "code", "report_id"),)     # the cross-report flags (x001)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)          # index in document["flags"]
    indicator: Mapped[str | None] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(48), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # FLAG_STATUSES
    reason: Mapped[str | None] = mapped_column(Text)        # the reviewer's why, for confirm/dismiss
    report: Mapped[ReportRec] = relationship(back_populates="flags")


class Correction(Base):
    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    row_id: Mapped[int | None] = mapped_column(ForeignKey("rows.id", ondelete="CASCADE"))
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(64))
    reviewer: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    old: Mapped[object | None] = mapped_column(JSON)
    new: Mapped[object | None] = mapped_column(JSON)
    why: Mapped[str | None] = mapped_column(Text)


class SubmissionChoice(Base):
    """A reviewer's choice of the version that counts for a submission; the newest choice of a
    ``unit_key`` applies, the older ones stay as the trail."""
    __tablename__ = "submission_choices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_key: Mapped[str] = mapped_column(Text, index=True)      # store.submissions.unit_key
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    reviewer: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    why: Mapped[str | None] = mapped_column(Text)


class Commune(Base):
    """The receiving body's list of its communes (``dti communes import``): a report's unit is
    matched to it (``store.communes``).  ``aliases``: the names of communes merged into it."""
    __tablename__ = "communes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)            # order of the imported list
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(Text)          # the file it was imported from
    imported_by: Mapped[str | None] = mapped_column(String(128))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
