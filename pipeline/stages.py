"""One report's life, as a short chain of named stages over one typed object.

    read (extractors) → match (matchers) → checksum → score (scoring) → Report

``checksum`` (OCR'd tables only) reads again, from the page images the reading
kept, the self-score cells that could explain a printed sum disagreeing with its
rows, and takes a re-read that makes it agree (``matchers.checksum``); then the figures
cells of rows whose own arithmetic would accuse (counts above their whole, a self-score
the rule does not give) are read again before any flag rests on them
(``matchers.figure_check``).

Each stage is a pure step from the previous one's output; timings are kept in a
``StageTimes`` beside the Report so the benchmark can show where time goes (a
worker process sends both back as one ``Reading``, see ``pipeline.workers``).  I/O happens
only in ``read`` (the file) and in the pipeline's store, never in between.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from matchers.report import Report


@dataclass
class StageTimes:
    read: float = 0.0
    match: float = 0.0
    score: float = 0.0
    pages: int = 0
    extras: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"read": self.read, "match": self.match, "score": self.score, "pages": self.pages,
                "extras": dict(self.extras)}

    @classmethod
    def from_dict(cls, d: dict) -> "StageTimes":
        """Raises TypeError/ValueError on what is not a time (a processor may have set them)."""
        return cls(read=float(d.get("read", 0.0)), match=float(d.get("match", 0.0)),
                   score=float(d.get("score", 0.0)), pages=int(d.get("pages", 0)), extras=dict(d.get("extras") or {}))


@dataclass
class Reading:
    """One report as a worker process gives it back: the Report, its stages' times and the
    worker's whole time for it (``seconds``, start-up excluded)."""
    report: Report
    times: StageTimes = field(default_factory=StageTimes)
    seconds: float = 0.0


def _read_options():
    """Default reading, with OCR on the cores this process was given (``DTI_READER_CORES``, set by
    ``pipeline.workers`` for its reading processes); None: extractors' own defaults."""
    from settings.settings import current
    cores = current().reader_cores
    if not cores:
        return None
    from extractors.ocr import OcrOptions
    from extractors.options import ReadOptions
    return ReadOptions(ocr=OcrOptions(jobs=cores))


def process_file(path: str | Path, ruleset_id: str | None = None, times: StageTimes | None = None) -> Report:
    """Read, match and score one report file. Raises extractors.errors.ExtractError on bad input."""
    import extractors
    import matchers
    import rulesets
    import scoring

    times = times if times is not None else StageTimes()
    t0 = time.perf_counter()
    doc = extractors.read(path, _read_options())
    t1 = time.perf_counter()
    report = matchers.match(doc, ruleset_id=ruleset_id)
    if report.ruleset:
        times.extras["checksum_corrected"] = checksum(doc, report)
    t2 = time.perf_counter()
    if report.ruleset:
        report = scoring.score_report(report, rulesets.load(report.ruleset))
    report = _titled(doc, report)
    t3 = time.perf_counter()
    report.file = str(path)
    times.read, times.match, times.score = t1 - t0, t2 - t1, t3 - t2
    times.pages = len(doc.pages)
    return report


def checksum(doc, report: Report) -> int:
    """The report's arithmetic as a checksum of its OCR reading: rows corrected in place."""
    if not any(p.ocr for p in doc.pages):
        return 0
    import rulesets
    from extractors.cell_reread import reread_cells, reread_figure_cells
    from matchers import figure_check
    from scoring.rules import compute_points
    from extractors.ocr import _cache_dir
    from matchers.checksum import recheck

    pages = {p.number: p for p in doc.pages}

    def reread(number: int, boxes: list) -> list[list[tuple[str, float]]]:
        page = pages.get(number)
        if page is None:
            return [[] for _ in boxes]
        return [[(r.text, r.confidence) for r in reads]
                for reads in reread_cells(page, boxes, cache_dir=_cache_dir())]

    def reread_figures(cells: list, settled) -> list[list[tuple[str, float]]]:
        at = [i for i, (n, _b) in enumerate(cells) if n in pages]
        reads = reread_figure_cells([(pages[cells[i][0]], cells[i][1]) for i in at],
                                    lambda k, text, conf: settled(at[k], text, conf), cache_dir=_cache_dir())
        out: list[list[tuple[str, float]]] = [[] for _ in cells]
        for i, rs in zip(at, reads):
            out[i] = [(r.text, r.confidence) for r in rs]
        return out

    def compute(row, ind):
        return compute_points(ind, row.figures())

    ruleset = rulesets.load(report.ruleset)
    fixed = recheck(doc, report, ruleset, reread)
    return fixed + figure_check.check(doc, report, ruleset, reread_figures, compute)


def _titled(doc, report: Report) -> Report:
    """A file whose title says it is a DTI report stays one however little of it was read."""
    from matchers.unit import header_lines
    from matchers import kinds
    import rulesets

    if kinds.not_a_report(report) is None:
        return report
    wanted = len(rulesets.load(report.ruleset).scorable()) if report.ruleset else 0
    return kinds.keep_titled(report, kinds.titled_report(header_lines(doc, 40)), wanted)
