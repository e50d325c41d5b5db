"""Reviewer accounts: the ``users`` table and argon2 password hashes.

The table is created by the Alembic revision ``r001_review_users`` in
store/migrations/versions/; this module maps the same table with its own
declarative base so the review room needs nothing from the store's schema.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DateTime, Integer, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

# argon2-cffi's defaults (RFC 9106 low-memory profile) are the kept choice
_HASHER = PasswordHasher()
# letters of any script (Vietnamese with its marks), digits, single spaces and . _ - @ '
NAME_RE = re.compile(r"^[\w.@'-]+( [\w.@'-]+)*$")
NAME_LEN = (2, 64)
MIN_PASSWORD = 8


class UserError(ValueError):
    """A user that cannot be added (bad name, short password, duplicate)."""


class UsersBase(DeclarativeBase):
    pass


class User(UsersBase):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=lambda: datetime.now(timezone.utc))


def normalise_name(name: str | None) -> str:
    """One spelling per name: NFC (a keyboard may send "ễ" composed or as e + two marks),
    outer spaces dropped and inner runs of spaces made one, so "Nguyễn  Thị Hoa" typed
    either way is the same reviewer."""
    return " ".join(unicodedata.normalize("NFC", name or "").split())


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def add_user(session: Session, name: str, password: str) -> User:
    name = normalise_name(name)
    if not (NAME_RE.match(name) and NAME_LEN[0] <= len(name) <= NAME_LEN[1]):
        raise UserError("tên đăng nhập 2-64 ký tự: chữ (có dấu), số, dấu cách, . _ - @ ' / "
                        "user name: 2-64 characters: letters (with diacritics), digits, spaces, . _ - @ '")
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự / password needs {MIN_PASSWORD}+ characters")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise UserError(f"người dùng '{name}' đã có / user '{name}' exists")
    user = User(name=name, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, name: str, password: str) -> User:
    name = normalise_name(name)
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise UserError(f"không có người dùng '{name}' / no user '{name}'")
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự / password needs {MIN_PASSWORD}+ characters")
    user.password_hash = hash_password(password)
    return user


# verified against when the name is unknown, so a wrong name costs as long as a wrong password
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.name == normalise_name(name)))
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user
