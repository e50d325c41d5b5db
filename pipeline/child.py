"""A worker process: reads one request per line on stdin, runs the processor, answers one line.

Run as ``python -m pipeline.child PROCESSOR [MEMORY_MB]``.  Each report is read in a
process of its own so a report that hangs (a scanner's 400-page PDF, a
tesseract that never returns) can be killed at its timeout, and one that
explodes in memory (a zip bomb) hits this process's memory cap, not the
pipeline's.  The protocol is JSON lines on a private copy of stdout; whatever
the libraries print goes to stderr.  A reply is ``{"ok": true, "report": <the
contract document, matchers.report_codec.encode>, "times": <StageTimes>,
"seconds": ...}`` or ``{"ok": false, <the reason in both languages>}``; the
parent (``pipeline.workers``) decodes it back into a ``Reading`` and checks it.
Every reply also says how much memory the process still holds once the report's
garbage is given back (``rss_mb``), so the parent can replace a process that grew.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable

# rooms worth importing before the first report, so its timing is the report's
PRELOAD = {"pipeline.stages": ("extractors", "matchers", "scoring", "rulesets")}


def load_processor(spec: str) -> Callable[..., Any]:
    """``module:function`` or ``/path/to/file.py:function``."""
    target, _, name = spec.rpartition(":")
    if not target or not name:
        raise ValueError(f"processor must be 'module:function', got {spec!r}")
    if target.endswith(".py"):
        path = Path(target)
        mod_name = f"dti_processor_{abs(hash(str(path.resolve())))}"
        mspec = importlib.util.spec_from_file_location(mod_name, path)
        if mspec is None or mspec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(mspec)
        sys.modules[mod_name] = module
        mspec.loader.exec_module(module)
    else:
        module = importlib.import_module(target)
        for dep in PRELOAD.get(target, ()):
            try:
                importlib.import_module(dep)
            except Exception:       # a room not there yet fails on the report, with its message
                pass
    return getattr(module, name)


def error_payload(e: BaseException) -> dict:
    """What failed, in Vietnamese and English (ExtractError carries both)."""
    vi = getattr(e, "message_vi", None)
    en = getattr(e, "message_en", None)
    if not vi:
        vi = f"Lỗi khi đọc/xử lý tệp ({type(e).__name__}: {e})"
    if not en:
        en = f"Processing failed ({type(e).__name__}: {e})"
    return {"ok": False, "error_type": type(e).__name__, "message": str(e), "message_vi": vi, "message_en": en,
            "expected": hasattr(e, "message_vi"), "traceback": traceback.format_exc(limit=8)}


def _limit_memory(mb: int) -> None:
    if mb <= 0:
        return
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))
    except (ImportError, ValueError, OSError):
        pass


def handle(processor: Callable[..., Any], req: dict) -> dict:
    from pipeline.stages import StageTimes      # imported before "ready" (see main): not timed here
    times = StageTimes()
    t0 = time.perf_counter()
    try:
        from matchers.report import Report
        from matchers.report_codec import encode
        report = processor(req["path"], ruleset_id=req.get("ruleset_id"), times=times)
        # a processor may answer with a plain dict (tests, plug-ins): sent as it is, the parent checks it
        doc = encode(report) if isinstance(report, Report) else dict(report)
    except MemoryError as e:
        out = error_payload(e)
        out.update(message_vi="Tệp cần quá nhiều bộ nhớ để đọc (có thể là tệp nén độc hại)",
                   message_en="The file needs too much memory to read (possibly a decompression bomb)")
        return out
    except Exception as e:
        return error_payload(e)
    return {"ok": True, "report": doc, "seconds": time.perf_counter() - t0, "times": times.to_dict()}


def held_mb() -> float:
    """Resident MiB after giving freed memory back: glibc keeps a freed page image's heap for
    reuse, so without the trim a reader that read one big scan looks (and stays) big.  No
    gc.collect(): page images go at once by reference counting, and a full collection of the
    matcher's objects cost 200-400 ms a report (the trim: under 15 ms)."""
    from pipeline.memory import give_back, resident_mb
    give_back()
    return resident_mb()


def main(argv: list[str]) -> int:
    # keep the protocol channel private; anything printed by libraries lands on stderr
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _limit_memory(int(argv[1]) if len(argv) > 1 else 0)
    from pipeline.memory import limit_arenas
    limit_arenas()      # the OCR page threads' arenas would each keep a page's worth of free heap
    try:
        import pipeline.stages  # noqa: F401  (its imports belong to start-up, not to the first report's timeout)
        processor = load_processor(argv[0])
    except Exception as e:
        proto.write(json.dumps({"ready": False, **error_payload(e)}, ensure_ascii=False) + "\n")
        return 1
    proto.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        reply = handle(processor, json.loads(line))
        reply["rss_mb"] = round(held_mb(), 1)
        try:
            proto.write(json.dumps(reply, ensure_ascii=False, default=str) + "\n")
        except (BrokenPipeError, OSError):
            return 0        # the pipeline went away; nothing to tell anyone
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
