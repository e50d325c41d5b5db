"""``dti bench extract [FILES…] [--profile]``: the reading benchmark (``extractors.bench``),
registered here because its profile times the matching of each document too,
which the extractors know nothing of."""
from __future__ import annotations

import os


def register(sub) -> None:  # only a bench command
    pass


def register_bench(bench_sub) -> None:
    p = bench_sub.add_parser("extract", help="tốc độ đọc tệp / extraction speed per format")
    p.add_argument("files", nargs="*", help="files (default: scans in samples/, else a generated page)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="trang đọc cùng lúc / pages read at a time (both sides)")
    p.add_argument("--no-ratio", action="store_true", help="skip the plain-tesseract comparison")
    p.add_argument("--profile", action="store_true", help="thời gian từng bước của từng trang / "
                   "seconds per page and step (load, prepare, OCR, layout, orientation, re-reads, match)")
    p.set_defaults(handler=_run)
    from deploy import bench_run
    bench_run.add_parser(bench_sub)


def _match(doc) -> None:
    """Matching as a report's life does it: the checksum re-reads of an OCR'd page with it."""
    import matchers
    from pipeline import stages
    report = matchers.match(doc)
    if report.ruleset:
        stages.checksum(doc, report)


def _run(args) -> int:
    from extractors import bench
    return bench.run_bench(args, match=_match)
