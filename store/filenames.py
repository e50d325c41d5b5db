"""File names as the filesystem gives them, and as text for people and the store.

A Linux filesystem allows any bytes in a name but ``/`` and NUL.  Python hands a name
that is not UTF-8 (what Windows zip tools and old mail clients leave: ``b\\xe1o-c\\xe1o.docx``
in CP1258/Latin-1) to us as a ``str`` with lone surrogates ("surrogateescape"); such a
string opens, renames and lists the file fine, but cannot be written to a UTF-8 file, a
terminal, a log or a database.  So the pipeline keeps the raw name for every move on
disk and turns it into text in one place only, here:

    text(name)    the name as safe text: bytes that are not UTF-8 as ``\\xe1``, control
                  characters (a newline in a name) as ``\\x0a`` / ``\\u202e``; the store
                  keeps this, exports print it
    shown(name)   ``text(name)`` and, when something was escaped, a note saying so (vi + en):
                  reason files, logs, ``dti run``'s summary, the review page
    on_disk(text) the raw name(s) a stored text may stand for (to find an archived
                  original again; the caller checks the bytes' SHA-256)
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import PurePath

NOTE = "(tên tệp không phải UTF-8 hoặc có ký tự điều khiển, đã thoát ký tự / file name not UTF-8 or with control characters, escaped)"
NAME_MAX = 255          # bytes in one path component (ext4, xfs, btrfs, tmpfs)

_ESC = re.compile(r"\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|\\U[0-9a-f]{8}")


def _unsafe(ch: str) -> bool:
    # Cc: newline, tab, ESC...; Cf bidi overrides make a name display as another name
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _escape_char(ch: str) -> str:
    n = ord(ch)
    if 0xDC80 <= n <= 0xDCFF:           # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    if n < 0x80:                         # an ASCII control (a newline): \x0a
        return f"\\x{n:02x}"
    return f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"


def text(name: str | bytes | PurePath) -> str:
    """The name as text any file, terminal or database takes (see the module's doc)."""
    if isinstance(name, PurePath):
        name = str(name)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if not any(_unsafe(c) for c in name):
        return name
    return "".join(_escape_char(c) if _unsafe(c) else c for c in name)


def escaped(name: str | bytes | PurePath) -> bool:
    """Whether ``text(name)`` differs from the name (something had to be escaped)."""
    return text(name) != (os.fsdecode(name) if isinstance(name, bytes) else str(name))


def says_escaped(stored: str | None) -> bool:
    """Whether a stored (text) name holds escapes: a name that was not UTF-8 on disk."""
    return bool(stored) and bool(_ESC.search(stored))


def shown(name: str | bytes | PurePath) -> str:
    """The name for people: ``text(name)``, with ``NOTE`` when anything was escaped.  Also
    takes a stored (already escaped) name: escapes in it are said the same way."""
    t = text(name)
    return f"{t} {NOTE}" if says_escaped(t) else t


def clean(message: str) -> str:
    """A message that may quote a raw name (a reason, a note, an error's text), made writable as
    UTF-8: bytes that are not UTF-8 as ``\\xe1``; line breaks are kept."""
    return message.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
        if any("\udc80" <= c <= "\udcff" for c in message) else \
        message.encode("utf-8", "backslashreplace").decode("utf-8")


def on_disk(stored: str) -> list[str]:
    """The raw names a stored text may stand for: itself, and with its escapes undone."""
    out = [stored]
    if _ESC.search(stored):
        def undo(m: re.Match) -> str:
            n = int(m.group(0)[2:], 16)     # \xNN above 7f: a byte; \u0080 a character
            return chr(0xDC00 + n) if m.group(0)[1] == "x" and n >= 0x80 else chr(n)
        out.append(_ESC.sub(undo, stored))
    return out


def fits(stem: str, tail: str = "") -> str:
    """``stem + tail``, the stem cut (on a character boundary, marked ``…``) so that the whole
    stays within NAME_MAX bytes: the files the pipeline names after a report
    (``NAME.reason.txt``, ``name (2).ext``) must exist even for a name of 250 bytes."""
    if len(os.fsencode(stem + tail)) <= NAME_MAX:
        return stem + tail
    room = NAME_MAX - len(os.fsencode(tail)) - len("…".encode())
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return f"{stem}…{tail}"
