"""Login throttling per user name and per address, kept in ``login_failures``.

After ``LIMIT`` failed sign-ins on a key the key waits ``BASE`` seconds; every further
failure doubles the wait (capped at ``CAP``, so an attacker can keep a reviewer out for
at most that long at a time). Attempts made while waiting are refused unchecked and not
counted, so the wait does not grow behind the back of someone who simply waits it out.
A successful sign-in clears the user's and the address's count.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from review.sessions import SessionsBase, utc
from review.users import normalise_name

LIMIT = 5
BASE = 60.0
CAP = 3600.0
FORGET = timedelta(days=1)


class LoginFailure(SessionsBase):
    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


def keys(user: str, address: str | None) -> list[str]:
    return [f"user:{normalise_name(user)[:128]}", f"addr:{address or '?'}"]


def delay_after(failures: int) -> float:
    if failures < LIMIT:
        return 0.0
    return min(CAP, BASE * 2 ** (failures - LIMIT))


def wait_seconds(s: Session, ks: list[str], now: datetime) -> float:
    """How long these keys must still wait (0: may try now)."""
    wait = 0.0
    for k in ks:
        rec = s.get(LoginFailure, k)
        if rec is not None and rec.locked_until is not None:
            wait = max(wait, (utc(rec.locked_until) - now).total_seconds())
    return wait


def record_failure(s: Session, ks: list[str], now: datetime) -> None:
    # counts nobody added to for a day are forgotten, so guessed names do not pile up
    s.execute(delete(LoginFailure).where(LoginFailure.last_at < now - FORGET, LoginFailure.key.notin_(ks)))
    for k in ks:
        rec = s.get(LoginFailure, k)
        if rec is None:
            rec = LoginFailure(key=k, failures=0, last_at=now)
            s.add(rec)
        rec.failures += 1
        rec.last_at = now
        delay = delay_after(rec.failures)
        rec.locked_until = now + timedelta(seconds=delay) if delay else None


def reset(s: Session, ks: list[str]) -> None:
    s.execute(delete(LoginFailure).where(LoginFailure.key.in_(ks)))


def wait_vi(seconds: float) -> str:
    """The wait as a reviewer reads it: "45 giây", "2 phút"."""
    if seconds < 60:
        return f"{max(1, math.ceil(seconds))} giây"
    return f"{math.ceil(seconds / 60)} phút"
