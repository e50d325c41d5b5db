"""Files only their owner may read: the SQLite store (names, scores, reviewers' password
hashes) and the review page's session secret.

Both are created with mode 0600 from the first byte (never created readable and tightened
after, which leaves a window), whatever the umask.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PRIVATE = 0o600


def create_private(path: Path) -> bool:
    """Create an empty ``path`` with mode 0600 if it does not exist; True if this call made it.
    SQLite then opens the existing file as is, and gives its -wal/-shm files the same mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, PRIVATE)       # the umask may only have taken bits away; say exactly 0600
    finally:
        os.close(fd)
    return True


def write_private(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` atomically with mode 0600, unless ``path`` already exists (then
    another process got there first and its content wins); True if this call wrote it."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        os.fchmod(fd, PRIVATE)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)      # appears whole or not at all, and never replaces a key in use
            return True
        except FileExistsError:
            return False
    finally:
        tmp.unlink(missing_ok=True)


def tighten(path: Path) -> None:
    """An existing file of ours left readable by others (made by an older version): 0600 now."""
    try:
        st = path.stat()
        if st.st_mode & 0o077 and st.st_uid == os.getuid():
            os.chmod(path, PRIVATE)
    except OSError:
        pass
