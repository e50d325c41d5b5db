"""Server-side sessions: the signed cookie carries only a random token; the record that
makes it worth something lives in ``review_sessions`` (migration r002_review_sessions).
Logout deletes the record, so a copied cookie replayed afterwards signs no one in, and a
record past its ``expires_at`` is refused and removed.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import DateTime, String, delete, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class SessionsBase(DeclarativeBase):
    pass


class ReviewSession(SessionsBase):
    __tablename__ = "review_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def utc(dt: datetime) -> datetime:
    """SQLite hands timezone-aware columns back naive; they were stored as UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(s: Session, user: str, now: datetime, hours: float) -> str:
    """A new record for ``user``; returns the token for the cookie. Expired records of
    anyone are swept here, so the table holds only live sessions."""
    s.execute(delete(ReviewSession).where(ReviewSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    s.add(ReviewSession(id=_key(token), user_name=user, created_at=now, expires_at=now + timedelta(hours=hours)))
    return token


def session_user(s: Session, token: str | None, now: datetime) -> str | None:
    """The user a live token belongs to, else None (an expired record is deleted)."""
    if not token or not isinstance(token, str):
        return None
    rec = s.get(ReviewSession, _key(token))
    if rec is None:
        return None
    if utc(rec.expires_at) <= now:
        s.delete(rec)
        return None
    return rec.user_name


def close_session(s: Session, token: str | None) -> None:
    if token and isinstance(token, str):
        s.execute(delete(ReviewSession).where(ReviewSession.id == _key(token)))


def live_sessions(s: Session, user: str) -> int:
    return len(s.scalars(select(ReviewSession.id).where(ReviewSession.user_name == user)).all())
