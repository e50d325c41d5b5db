"""A small real processor for the pipeline's tests: reads a text "report" and obeys it.

Lines of the file:  ``unit: NAME``, ``year: 2024``, ``row: CODE CLAIMED MAX``,
``sleep: SECONDS`` (a slow scan), ``fail: MESSAGE`` (bad input, like ExtractError),
``crash`` (the worker process dies), ``marker: PATH`` (touch PATH when work starts),
``omit: KEY`` (the answer lacks that field: a processor that breaks the contract),
``hold: MIB`` (keep that much memory after the report), ``unit-from-env: VAR`` (the unit is
the reading process's VAR).
Anything not UTF-8 text is refused, the way the real extractors refuse it.
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path


class TextError(Exception):
    def __init__(self, path, vi, en):
        super().__init__(f"{path}: {vi} / {en}")
        self.path, self.message_vi, self.message_en = path, vi, en


_held: list = []


def process(path, ruleset_id=None, times=None):
    data = Path(path).read_bytes()
    if not data:
        raise TextError(path, "Tệp rỗng", "Empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise TextError(path, "Không phải tệp văn bản", "Not a text file") from None
    unit, year, rows, flags, omit = None, None, [], [], []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "marker":
            Path(value).touch()
        elif key == "sleep":
            time.sleep(float(value))
        elif key == "fail":
            raise TextError(path, f"Hỏng: {value}", f"Broken: {value}")
        elif key == "omit":
            omit.append(value)
        elif key == "crash":
            os._exit(3)
        elif key == "hold":         # a reader that keeps what it read (a library's cache): MiB kept
            _held.append(bytearray(os.urandom(1 << 20)) * int(value))
        elif key == "unit-from-env":
            unit = os.environ.get(value, "")
        elif key == "unit":
            unit = value
        elif key == "year":
            year = int(value)
        elif key == "row":
            code, claimed, mx = value.split()
            rows.append({"label": f"Chỉ số {code}", "indicator": code, "match_score": 1.0,
                         "claimed_points": float(claimed), "max_points": float(mx), "computed_points": float(claimed),
                         "ratio": None, "numerator": None, "denominator": None, "answer": None,
                         "confidence": 1.0, "source": {"page": 1, "bbox": None}})
            if float(claimed) > float(mx):
                flags.append({"indicator": code, "code": "claimed-exceeds-max", "severity": "error",
                              "message": f"Điểm tự chấm vượt tối đa ở chỉ số {code}"})
    claimed = sum(r["claimed_points"] for r in rows)
    if times is not None:
        times.pages = 1
    out = {"file": str(path), "sha256": hashlib.sha256(data).hexdigest(), "format": "txt",
           "layout": "score-table", "ruleset": ruleset_id, "unit": {"name": unit, "level": "xa", "year": year},
           "rows": rows, "totals": {"claimed_points": claimed, "computed_points": claimed, "stated_total": None},
           "flags": flags}
    return {k: v for k, v in out.items() if k not in omit}
