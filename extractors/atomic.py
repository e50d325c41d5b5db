"""Files that appear whole or not at all: written beside the target, then renamed over it.

One writer for every room (the OCR cache, imported rulesets, ruleset sheets): a reader, a
parallel page or a crash in the middle never sees half a file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def replace_atomically(out: Path, write: Callable[[Path], None], suffix: str = ".part") -> Path:
    """``write`` fills a temporary file beside ``out``, which then replaces ``out`` in one rename.
    ``suffix`` is the temporary file's (a writer that goes by the extension needs ``out``'s)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=suffix, dir=out.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def write_text_atomically(out: Path, text: str) -> Path:
    return replace_atomically(out, lambda p: p.write_text(text, encoding="utf-8"))
