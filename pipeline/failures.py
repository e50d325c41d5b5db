"""Failures of the machine's surroundings, said in one line instead of a traceback.

A district official who starts `dti run` with the database server down, or with
PREFECT_API_URL pointing at a stopped Prefect server, needs to know which of the
two, where it was looked for, and that nothing was written — not forty lines of
SQLAlchemy or httpx internals.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

EXIT_ENVIRONMENT = 3      # distinct from 1 (a report's problem) and 2 (a wrong command line)


def hide_password(url: str) -> str:
    """The URL as SQLAlchemy prints it without its password (as ``Store.location`` does)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:        # not a URL SQLAlchemy can read: mask what looks like a password
        return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def explain(exc: BaseException, database_url: str | None = None) -> str | None:
    """One bilingual line for an unreachable database or Prefect server; None for anything else."""
    for e in _chain(exc):
        mod = type(e).__module__ or ""
        name = type(e).__name__
        if mod.startswith("sqlalchemy") and name in ("OperationalError", "InterfaceError"):
            from settings.settings import current
            url = hide_password(database_url or current().database_url or "sqlite (var/dti.sqlite)")
            first = str(getattr(e, "orig", None) or e).strip().splitlines()[0][:200]
            return (f"Lỗi: không kết nối được cơ sở dữ liệu {url}; chưa ghi gì / "
                    f"Error: cannot reach the database {url}; nothing was written ({first})")
        text = str(e)
        if ("Failed to reach API" in text or (mod.startswith("httpx") and name in ("ConnectError", "ConnectTimeout"))):
            api = os.environ.get("PREFECT_API_URL", "")
            return (f"Lỗi: không kết nối được máy chủ Prefect {api}; kiểm tra PREFECT_API_URL / "
                    f"Error: the Prefect server at {api} does not answer; check PREFECT_API_URL")
    return None


def missing_inbox(inbox: Path) -> str:
    return (f"Lỗi: không có thư mục hộp thư đến {inbox} (tạo thư mục hoặc dùng --inbox) / "
            f"Error: no inbox folder at {inbox} (create it or pass --inbox)")
