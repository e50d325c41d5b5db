"""The version of the reading code: what every stored reading carries (``reports.reader_version``),
so ``dti reprocess`` knows which readings an improved reader has not seen yet.

It is a digest of the code and data that decide what a file reads as (extractors, matchers,
scoring, the rulesets), not a number someone must remember to raise: any change to the reader
makes the stored readings stale, a change elsewhere (the review page, this pipeline) does not.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READING_ROOMS = ("extractors", "matchers", "scoring", "rulesets")


@functools.cache
def reader_version() -> str:
    h = hashlib.sha256()
    for room in READING_ROOMS:
        for p in sorted((ROOT / room).rglob("*")):
            if p.is_file() and p.suffix in (".py", ".yaml", ".yml", ".json") and "__pycache__" not in p.parts:
                h.update(p.relative_to(ROOT).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:12]
