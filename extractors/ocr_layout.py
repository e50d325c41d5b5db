"""Lines and tables rebuilt from OCR words, in the grids ``ocr_grid.py`` found.

Words go to the grid cell holding their centre.  Words outside every grid
become Lines (tesseract's own line grouping), except runs of rows whose gaps
line up into columns with numbers in them, which become borderless Tables.
Everything here is in pixels of the image read; ``ocr.py`` converts to points
at the end.
"""
from __future__ import annotations

import re
from statistics import median

import cv2
import numpy as np

from extractors.document import Cell, Line, Table
# the grid's names stay importable from here, where callers and tests name them
from extractors.ocr_grid import Grid, detect_grids, line_masks, rule_skew  # noqa: F401
from extractors.tesseract import OcrWord


# ---- words -> blocks ------------------------------------------------------------------

def _text_of(words: list[OcrWord]) -> str:
    """Words of one cell/line in reading order: y-clustered lines, left to right."""
    if not words:
        return ""
    hs = median(w.bbox[3] - w.bbox[1] for w in words)
    lines: list[list[OcrWord]] = []
    for w in sorted(words, key=lambda w: w.cy):
        if lines and abs(w.cy - sum(v.cy for v in lines[-1]) / len(lines[-1])) <= 0.5 * hs:
            lines[-1].append(w)
        else:
            lines.append([w])
    texts = [" ".join(v.text for v in sorted(ln, key=lambda v: v.bbox[0])) for ln in lines]
    if len(texts) > 1 and all(re.fullmatch(r"[\d.]+", t) for t in texts):
        return "".join(texts)   # a code wrapped in a narrow STT column: "5.1" / "6.2" is 5.16.2
    return " ".join(texts)


def _conf(words: list[OcrWord]) -> float:
    return round(sum(w.conf for w in words) / len(words) / 100, 3) if words else 1.0


def _union(words: list[OcrWord]) -> tuple[float, float, float, float]:
    return (min(w.bbox[0] for w in words), min(w.bbox[1] for w in words),
            max(w.bbox[2] for w in words), max(w.bbox[3] for w in words))


def grid_table(grid: Grid, words: list[OcrWord], page: int, ink: np.ndarray | None = None,
               dpi: float = 300) -> Table:
    by_cell: dict[int, list[OcrWord]] = {gid: [] for gid in grid.spans}
    for w in words:
        gid = grid.cell_at(w.cx, w.cy)
        if gid is not None:
            by_cell[gid].append(w)
    rows: list[list[Cell]] = [[] for _ in range(len(grid.ys) - 1)]
    unread = _unread_ink(ink, words) if ink is not None else None
    for gid, (r0, c0, r1, c1) in grid.spans.items():
        ws = by_cell[gid]
        conf = _conf(ws)
        text = _text_of(ws)
        # ink no word covers: tesseract drops lone glyphs (a "0" alone in a cell,
        # the "= 9" ending "a = 7; b = 9"); a low confidence sends the cell to
        # the re-read
        missed = unread is not None and _inky(unread, grid.cell_box(gid), dpi=dpi)
        if missed and not any(ch.isalnum() for ch in text):
            conf = 0.3
        cell = Cell(text, tuple(map(float, grid.cell_box(gid))), conf,
                    col=c0, colspan=c1 - c0, rowspan=r1 - r0, page=page)
        # not a model field: the weakest word, so ocr_second can re-read the cell
        cell.ocr_min_conf = min((w.conf for w in ws), default=30.0 if conf < 1 else 100.0) / 100
        if missed:
            cell.ocr_min_conf = 0.3
            cell.ocr_missed = True   # not a model field either: text incomplete
        rows[r0].append(cell)
    rows = [sorted(r, key=lambda c: c.col) for r in rows if r]
    return Table(rows=rows, page=page, bbox=tuple(map(float, grid.bbox)), pages=[page])


def _unread_ink(ink: np.ndarray, words: list[OcrWord], pad: int = 6) -> np.ndarray:
    """The text ink outside every word's box (boxes grown by ``pad`` px)."""
    out = ink.copy()
    h, w = ink.shape
    for wd in words:
        x0, y0, x1, y1 = wd.bbox
        out[max(0, y0 - pad):min(h, y1 + pad), max(0, x0 - pad):min(w, x1 + pad)] = 0
    return out


def _inky(ink: np.ndarray, box: tuple[int, int, int, int], inset: int = 8, dpi: float = 300) -> bool:
    """Does the cell hold a glyph?  ``ink`` is the text's ink (rules and specks
    removed): some component of glyph size that does not touch the inset edge
    (what touches it is left of a rule, not text in the cell).  In a row
    barely taller than its text (a dense table, a photo's soft, fat glyphs) the
    digits reach into the top and bottom insets: a component crossing them
    still counts when it is glyph-shaped (taller than a rule's remains, far
    narrower than the cell)."""
    x0, y0, x1, y1 = box
    sub = ink[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
    f = dpi / 300
    if sub.size == 0 or int(np.count_nonzero(sub)) < 40 * f * f:
        return False
    n, _, st, _ = cv2.connectedComponentsWithStats((sub > 0).astype(np.uint8), connectivity=8)
    h, w = sub.shape
    for x, y, cw, ch, area in st[1:]:
        across = x > 0 and x + cw < w
        inside = across and y > 0 and y + ch < h
        if inside and area >= 30 * f * f and ch >= 10 * f:
            return True
        if across and area >= 60 * f * f and ch >= 16 * f and cw <= 0.5 * w and ch <= 3 * cw + 8 * f:
            return True
    return False


NUMERIC = re.compile(r"[\d%/.,xX×\s]*\d[\d%/.,xX×\s]*")


def looks_numeric(text: str) -> bool:
    return bool(text) and NUMERIC.fullmatch(text.strip()) is not None


def segment_lines(segd: list[list[list[OcrWord]]], page: int, skip: set[int]) -> list[Line]:
    """One Line per row segment (so a two-column letterhead gives two Lines)."""
    out = []
    for segs in segd:
        for s in segs:
            ws = [w for w in s if id(w) not in skip]
            if ws:
                out.append(Line(" ".join(w.text for w in ws), page, tuple(map(float, _union(ws))), _conf(ws)))
    return out


# ---- borderless tables -----------------------------------------------------------

def _visual_rows(words: list[OcrWord]) -> list[list[OcrWord]]:
    if not words:
        return []
    hs = median(w.bbox[3] - w.bbox[1] for w in words)
    rows: list[list[OcrWord]] = []
    for w in sorted(words, key=lambda w: w.cy):
        if rows and abs(w.cy - median(v.cy for v in rows[-1])) <= 0.45 * hs:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w.bbox[0]) for r in rows]


def _split(row: list[OcrWord], gap: float) -> list[list[OcrWord]]:
    segs = [[row[0]]]
    for w in row[1:]:
        if w.bbox[0] - segs[-1][-1].bbox[2] > gap:
            segs.append([w])
        else:
            segs[-1].append(w)
    return segs


def _rows_and_segments(words: list[OcrWord]) -> list[list[list[OcrWord]]]:
    """Visual rows top to bottom, each split into segments at column-sized gaps."""
    if not words:
        return []
    hs = median(w.bbox[3] - w.bbox[1] for w in words)
    return [_split(r, 1.6 * hs) for r in _visual_rows(words)]


def borderless_tables(segd: list[list[list[OcrWord]]], page: int, min_rows: int = 3) -> tuple[list[Table], set[int]]:
    """Tables without rules: consecutive rows whose column gaps line up and where
    some column other than the first is mostly numbers.  Returns the tables and
    the ids of the words they used."""
    tables, used = [], set()
    if sum(len(s) for s in segd) < 6:
        return tables, used
    hs = median(w.bbox[3] - w.bbox[1] for segs in segd for s in segs for w in s)
    top = [min(w.cy for s in segs for w in s) for segs in segd]
    i = 0
    while i < len(segd):
        if len(segd[i]) < 2:
            i += 1
            continue
        j = i + 1
        while j < len(segd) and len(segd[j]) >= 2 and top[j] - top[j - 1] < 3.0 * hs:
            j += 1
        if j - i >= min_rows:
            t = _columns(segd[i:j], page)
            if t is not None:
                tables.append(t)
                used.update(id(w) for segs in segd[i:j] for s in segs for w in s)
        i = j
    return tables, used


def _columns(run: list[list[list[OcrWord]]], page: int) -> Table | None:
    spans = sorted((s[0].bbox[0], s[-1].bbox[2]) for segs in run for s in segs)
    cols: list[list[float]] = []
    for a, b in spans:            # x-projection: overlapping segments share a column
        if cols and a <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    if not 2 <= len(cols) <= 12:
        return None
    grid: list[list[list[OcrWord]]] = []
    for segs in run:
        cells: list[list[OcrWord]] = [[] for _ in cols]
        for s in segs:
            k = next(k for k, (a, b) in enumerate(cols) if a <= s[0].bbox[0] <= b)
            cells[k].extend(s)
        grid.append(cells)
    filled = [sum(1 for r in grid if r[k]) for k in range(len(cols))]
    if sum(f >= 0.6 * len(grid) for f in filled) < 2:
        return None
    numeric_col = any(
        sum(looks_numeric(" ".join(w.text for w in r[k])) for r in grid if r[k]) >= 0.5 * max(1, filled[k])
        and filled[k] >= 0.5 * len(grid) for k in range(1, len(cols)))
    if not numeric_col:
        return None
    rows = []
    for r in grid:
        rows.append([Cell(" ".join(w.text for w in ws), tuple(map(float, _union(ws))) if ws else None,
                          _conf(ws), col=k, page=page) for k, ws in enumerate(r)])
    allw = [w for r in grid for ws in r for w in ws]
    return Table(rows=rows, page=page, bbox=tuple(map(float, _union(allw))), pages=[page])


# ---- the page ----------------------------------------------------------------------

JUNK = re.compile(r"[|_`~=¬'\"“”‘’!.,:;\-—–]+")


def is_junk(w: OcrWord) -> bool:
    """Remains of ruling lines and speckles: '|' is always a rule read as a letter;
    other lone punctuation and tiny words only when tesseract doubts them."""
    return (w.text.strip("|") == "" or JUNK.fullmatch(w.text) is not None and w.conf < 60
            or len(w.text) <= 2 and w.conf < 25)


def build_blocks(words: list[OcrWord], grids: list[Grid], page: int, ink: np.ndarray | None = None,
                 borderless: bool = True, dpi: float = 300) -> list:
    """Blocks (Lines and Tables, pixel bboxes) in reading order, top to bottom."""
    blocks: list = []
    rest = [w for w in words if not is_junk(w)]
    for g in grids:
        inside = [w for w in rest if g.contains(w.cx, w.cy)]
        ids = {id(w) for w in inside}
        rest = [w for w in rest if id(w) not in ids]
        blocks.append(grid_table(g, inside, page, ink, dpi))
    segd = _rows_and_segments(rest)
    used: set[int] = set()
    if borderless:
        tables, used = borderless_tables(segd, page)
        blocks += tables
    blocks += segment_lines(segd, page, used)
    blocks.sort(key=lambda b: (b.bbox[1], b.bbox[0]) if b.bbox else (0, 0))
    return blocks


def to_points(blocks: list, dpi: float) -> None:
    """Pixel bboxes -> PDF points, in place."""
    f = 72.0 / dpi

    def conv(bb):
        return None if bb is None else tuple(round(v * f, 2) for v in bb)

    for b in blocks:
        b.bbox = conv(b.bbox)
        if isinstance(b, Table):
            for r in b.rows:
                for c in r:
                    c.bbox = conv(c.bbox)
