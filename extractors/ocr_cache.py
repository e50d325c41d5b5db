"""tesseract's TSV output kept on disk, so reruns and tests skip the engine.

The key covers everything that changes the answer: the exact image bytes, the
arguments (language, psm, dpi, config) and the tesseract version.  Writes go
through a temporary file and a rename so parallel pages never read half a file.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from extractors.atomic import write_text_atomically


def key(image_bytes: bytes, args: list[str], version: str) -> str:
    h = hashlib.sha256(image_bytes)
    h.update(b"\0" + "\x1f".join(args).encode() + b"\0" + version.encode())
    return h.hexdigest()


def _path(cache_dir: str | Path, k: str) -> Path:
    return Path(cache_dir) / k[:2] / f"{k}.tsv"


def get(cache_dir: str | Path | None, k: str) -> str | None:
    if not cache_dir:
        return None
    try:
        return _path(cache_dir, k).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def put(cache_dir: str | Path | None, k: str, text: str) -> None:
    if not cache_dir:
        return
    write_text_atomically(_path(cache_dir, k), text)
