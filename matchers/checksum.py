"""The report's own arithmetic as a checksum of an OCR reading.

A printed pillar subtotal (or the total) that disagrees with the self-scores
read for its rows first asks which cell, read again, would make it agree.  The
self-score cells of the rows that could explain the gap are read again from the
page's pixels, several ways (``reread``: given by the caller, which owns the
files -- matchers never open one); a re-read is taken only when the ways agree,
are confident, differ from the first reading, and one cell (or a pair) read so
closes the gap exactly.  The row keeps the original reading in its reasons
(``corrected-by-checksum``).  What no confident re-read closes is left as read:
scoring then flags it if every cell was read surely, or sends it to review with
the arithmetic.  A sum that already agrees confirms its rows: nothing is re-read.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Callable

from extractors.document import Cell, Document
from matchers.figures import parse_number, parse_points
from matchers.report import Report, Row
from matchers.trust import OCR_FORMATS, ReviewConfig, add_reason
from rulesets.model import Ruleset
from rulesets.numbers import vn_number

EPS = 0.1 + 1e-9          # as scoring's POINTS_EPS: sums agree within a tenth of a point
MIN_CONF = 0.75           # each agreeing way at least this sure
MIN_AGREE = 2             # ways (of three) that must read the same number
MAX_CELLS = 60            # cells re-read per report at most (one strip per way: cheap)
TAG = "corrected-by-checksum"

# (page, [cell boxes]) -> per box, the ways' readings [(text, confidence)]
Reread = Callable[[int, list], list[list[tuple[str, float]]]]


@dataclass
class _Gap:
    key: str                  # pillar code, or "total"
    label: str                # "tổng mục 5" / "tổng điểm"
    printed: float
    rows: list[Row]           # every row the sum adds
    suspects: list[Row]       # those whose cells may explain it


def _scored_rows(report: Report, ruleset: Ruleset) -> list[tuple[Row, str]]:
    out = []
    for r in report.rows:
        ind = ruleset.indicator(r.indicator) if r.indicator else None
        if ind is not None and not ind.heading:
            out.append((r, ind.pillar))
    return out


def _sum(rows: list[Row]) -> float:
    return sum(r.claimed_points for r in rows if r.claimed_points is not None)


def _gaps(report: Report, ruleset: Ruleset, config: ReviewConfig) -> list[_Gap]:
    rows = _scored_rows(report, ruleset)
    out, balanced = [], set()
    for key, printed in (report.stated_subtotals or {}).items():
        pc = ruleset.pillar_code(key)
        if pc is None or printed is None or report.stated_confidence.get(key, 1.0) < config.sure:
            continue            # an unsure printed sum checks nothing
        mine = [r for r, p in rows if p == pc]
        if not mine:
            continue
        if abs(printed - _sum(mine)) <= EPS and all(r.claimed_points is not None for r in mine):
            balanced.add(pc)
        else:
            out.append(_Gap(pc, f"tổng mục {pc}", printed, mine, mine))
    stated = report.totals.stated_total
    if stated is not None and report.stated_confidence.get("total", 1.0) >= config.sure:
        every = [r for r, _ in rows]
        if abs(stated - _sum(every)) > EPS or any(r.claimed_points is None for r in every):
            # rows of a pillar whose printed subtotal agrees are confirmed: not suspects
            out.append(_Gap("total", "tổng điểm", stated, every, [r for r, p in rows if p not in balanced]))
    return out


def _claimed_cell(doc: Document, row: Row, known_cols: dict[int, int]) -> tuple[int, Cell, int] | None:
    """(page, the row's self-score cell, table id) on the page where the row was read: the cell
    of the row's band holding the number read as its self-score (the rightmost such), or,
    when none was read, the cell of the column the table's other self-scores stand in."""
    if row.source.page is None or row.source.bbox is None:
        return None
    x0, y0, x1, y1 = row.source.bbox
    for t in doc.tables():
        band: list[Cell] = []
        for r in t.rows:
            for c in r:
                page = c.page or t.page
                if page != row.source.page or c.bbox is None:
                    continue
                cy = (c.bbox[1] + c.bbox[3]) / 2
                if y0 - 1 <= cy <= y1 + 1:
                    band.append(c)
        if not band:
            continue
        if row.claimed_points is not None:
            same = [c for c in band if _value(c.text) is not None
                    and abs(_value(c.text) - row.claimed_points) < 1e-6]
            if same:
                cell = max(same, key=lambda c: c.bbox[0])
                known_cols[id(t)] = cell.col
                return row.source.page, cell, id(t)
        col = known_cols.get(id(t))
        if col is not None:
            at = [c for c in band if c.col <= col < c.col + c.colspan]
            if at:
                return row.source.page, at[0], id(t)
    return None


def _value(text: str) -> float | None:
    t = text.strip()
    if not t:
        return None
    v = parse_points(t)
    return v if v is not None else parse_number(t)


def _consensus(reads: list[tuple[str, float]]) -> tuple[float, float, str] | None:
    """(number, confidence, text) that at least MIN_AGREE confident ways read alike."""
    votes: dict[float, list[tuple[str, float]]] = {}
    for text, conf in reads:
        # a number never starts or ends with its separator: a speck of dust beside it does
        text = text.strip(" .,")
        v = _value(text)
        if v is not None and conf >= MIN_CONF:
            votes.setdefault(round(v, 2), []).append((text, conf))
    best = max(votes.items(), key=lambda kv: len(kv[1]), default=None)
    if best is None or len(best[1]) < MIN_AGREE:
        return None
    if sum(len(v) >= MIN_AGREE for v in votes.values()) > 1:
        return None             # the ways split: no reading stands out
    v, agreeing = best
    return v, round(min(c for _, c in agreeing), 3), agreeing[0][0]


def recheck(doc: Document, report: Report, ruleset: Ruleset, reread: Reread,
            config: ReviewConfig | None = None) -> int:
    """Re-read the cells that could close each disagreeing printed sum; apply the re-reads
    that close it.  Returns how many rows were corrected.  Only OCR'd table rows."""
    config = config or ReviewConfig()
    if report.format not in OCR_FORMATS or report.layout == "narrative":
        return 0
    gaps = _gaps(report, ruleset, config)
    if not gaps:
        return 0
    known: dict[int, int] = {}
    # the located cells of every suspect row, found once; rows with a read self-score first so
    # the column of the table's self-scores is known for the unread ones
    suspects = {id(r): r for g in gaps for r in g.suspects}
    order = sorted(suspects.values(), key=lambda r: r.claimed_points is None)
    where = {id(r): loc for r in order if (loc := _claimed_cell(doc, r, known)) is not None}
    if not where or len(where) > MAX_CELLS:
        return 0
    by_page: dict[int, list[Row]] = {}
    for r in order:
        if id(r) in where:
            by_page.setdefault(where[id(r)][0], []).append(r)
    fresh: dict[int, tuple[float, float, str]] = {}
    unsure: set[int] = set()      # read again, no way stood out, one contradicts the first reading
    for page, rows in by_page.items():
        reads = reread(page, [where[id(r)][1].bbox for r in rows])
        for r, rs in zip(rows, reads):
            if not rs:
                continue          # nothing to read again with (the page's pixels were not kept)
            got = _consensus(rs)
            if got is None:
                if _contradicted(r, rs):
                    unsure.add(id(r))
            elif r.claimed_points is None or abs(got[0] - r.claimed_points) > 1e-6:
                fresh[id(r)] = got
    fixed = 0
    for g in gaps:
        diff = g.printed - _sum(g.rows)
        unread = [r for r in g.rows if r.claimed_points is None]
        changes = [r for r in g.suspects if id(r) in fresh and _fits(r, fresh[id(r)][0], ruleset)]
        pick = _closing(changes, fresh, diff, unread)
        if pick is None:
            if abs(diff) > EPS:
                _doubt(g, fresh, unsure, where, config)
            continue
        for r in pick:
            fixed += _apply(r, fresh.pop(id(r)), g.label, where[id(r)][1])
            _requeue(report, r, config)
    return fixed


def _contradicted(row: Row, reads: list[tuple[str, float]]) -> bool:
    """A way of the re-read confidently reads another number than the first reading (ways that
    read the same text less surely are no evidence against it)."""
    for text, conf in reads:
        v = _value(text.strip(" .,"))
        if conf >= MIN_CONF and v is not None and row.claimed_points is not None \
                and abs(v - row.claimed_points) > 1e-6:
            return True
    return False


def _doubt(g: _Gap, fresh: dict, unsure: set, where: dict, config: ReviewConfig) -> None:
    """A sum still apart whose cells, read again, did not confirm their first reading: those
    cells are not read surely, so the sum is no accusation (scoring shows the arithmetic)."""
    for r in g.suspects:
        if r.claimed_points is None or (id(r) not in fresh and id(r) not in unsure):
            continue
        first = where[id(r)][1].text.strip()
        why = (f"đọc lại ô điểm tự chấm được “{fresh[id(r)][2]}”, khác lần đầu “{first}”" if id(r) in fresh
               else f"đọc lại ô điểm tự chấm “{first}” không ra một số chắc chắn")
        add_reason(r, why)
        fc = dict(r.field_confidence)
        fc["claimed_points"] = min(fc.get("claimed_points", 1.0), round(config.sure - 0.05, 3))
        r.field_confidence = fc


def _requeue(report: Report, row: Row, config: ReviewConfig) -> None:
    """The matcher queued the row for the cell now read again: queue it only if still unsure."""
    from matchers.assemble import low_confidence_flag
    report.flags = [f for f in report.flags if not (f.code == "low-confidence" and f.indicator == row.indicator)]
    if row.confidence < config.low_confidence or row.match_score < config.low_match:
        report.flags.append(low_confidence_flag(row, config))


def _fits(row: Row, value: float, ruleset: Ruleset) -> bool:
    ind = ruleset.indicator(row.indicator) if row.indicator else None
    top = ind.max_points if ind is not None and ind.max_points is not None else row.max_points
    return value >= 0 and (top is None or value <= top + EPS)


def _closing(changes: list[Row], fresh: dict, diff: float, unread: list[Row]) -> list[Row] | None:
    """The one set of one or two re-read rows whose new values close ``diff`` (every unread
    self-score of the sum among them), or None when none or several do."""
    for size in (1, 2):
        found = []
        for combo in combinations(changes, size):
            if any(u not in combo for u in unread):
                continue
            delta = sum(fresh[id(r)][0] - (r.claimed_points or 0.0) for r in combo)
            if abs(delta - diff) <= EPS:
                found.append(list(combo))
        if len(found) == 1:
            return found[0]
        if found:
            return None         # two different cells would do: the arithmetic cannot choose
    return None


def _apply(row: Row, got: tuple[float, float, str], label: str, cell: Cell) -> int:
    value, conf, text = got
    first = cell.text.strip()
    was = (f"chưa đọc được (ô đọc lần đầu “{first}”)" if row.claimed_points is None and first else
           "chưa đọc được" if row.claimed_points is None else f"đọc lần đầu “{first}”")
    add_reason(row, f"{TAG}: điểm tự chấm {was}, đọc lại ô trên ảnh trang được “{text}” = "
                    f"{vn_number(value)}, khớp {label}")
    row.claimed_points = value
    fc = dict(row.field_confidence)
    fc["claimed_points"] = round(conf, 3)
    row.field_confidence = fc
    counted = [v for f, v in fc.items() if not (f == "figures" and row.answer in ("yes", "no"))]
    row.confidence = round(max(0.0, min([1.0, *counted])), 3)
    return 1
