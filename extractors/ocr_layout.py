"""Lines and tables rebuilt from OCR words and the page's ruling lines.

Ruled tables: opencv morphology finds the horizontal and vertical rules; their
positions give a grid, and a missing internal rule between two grid cells
means a merged cell (colspan/rowspan).  Words go to the cell holding their
centre.  Words outside every grid become Lines (tesseract's own line
grouping), except runs of rows whose gaps line up into columns with numbers
in them, which become borderless Tables.  Everything here is in pixels of the
image read; ``ocr.py`` converts to points at the end.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from statistics import median

import cv2
import numpy as np

from extractors.document import Cell, Line, Table
from extractors.tesseract import OcrWord


@dataclass
class Grid:
    bbox: tuple[int, int, int, int]
    ys: list[int]                     # row boundaries (n_rows + 1)
    xs: list[int]                     # column boundaries (n_cols + 1)
    groups: dict[tuple[int, int], int] = field(default_factory=dict)  # (r, c) -> merged-cell id
    spans: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)  # id -> r0, c0, r1, c1

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        return x0 <= x <= x1 and y0 <= y <= y1

    def cell_at(self, x: float, y: float) -> int | None:
        c = bisect.bisect_right(self.xs, x) - 1
        r = bisect.bisect_right(self.ys, y) - 1
        if 0 <= r < len(self.ys) - 1 and 0 <= c < len(self.xs) - 1:
            return self.groups[(r, c)]
        return None

    def cell_box(self, gid: int) -> tuple[int, int, int, int]:
        r0, c0, r1, c1 = self.spans[gid]
        return self.xs[c0], self.ys[r0], self.xs[c1], self.ys[r1]


# ---- ruling lines -----------------------------------------------------------------

def line_masks(ink: np.ndarray, min_len: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    h, w = ink.shape
    hl = min_len or max(40, w // 35)
    vl = min_len or max(40, h // 60)
    hor = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hl, 1)))
    ver = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vl)))
    # bridge small breaks from scanning so a rule stays one segment
    hor = cv2.morphologyEx(hor, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 3)))
    ver = cv2.morphologyEx(ver, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 15)))
    # a short bar that meets no rule across is a glyph ("TT", "Ш", a bold dash),
    # not a rule: erasing it cost the header cell its text
    return _drop_short(hor, ver, 2 * hl, True), _drop_short(ver, hor, 2 * vl, False)


def _half(mask: np.ndarray) -> np.ndarray:
    """A binary mask at half size, nothing lost (any ink in a 2x2 block)."""
    h, w = mask.shape
    return (cv2.resize(mask, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA) > 0).astype(np.uint8)


def _drop_short(mask: np.ndarray, other: np.ndarray, min_len: int, horizontal: bool) -> np.ndarray:
    # labelled at half size: only lengths and boxes are needed, and a page-size
    # labelling costs ~70 ms
    n, _, stats, _ = cv2.connectedComponentsWithStats(_half(mask), connectivity=8)
    if n <= 1:
        return mask
    st = stats[1:] * 2
    length = st[:, 2] if horizontal else st[:, 3]
    out = None
    H, W = mask.shape
    for i in np.flatnonzero(length < min_len):
        x, y, w, h = st[i, :4]
        pad = 10
        if other[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad].any():
            continue   # meets a rule across: part of the grid
        if out is None:
            out = mask.copy()
        out[max(0, y - 2):min(H, y + h + 2), max(0, x - 2):min(W, x + w + 2)] = 0
    return mask if out is None else out


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[float, int, int]]:
    """(position across, start, end along) of each rule segment (labelled at half
    size: ±1 px is plenty for rules clustered with a 10 px tolerance)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(_half(mask), connectivity=8)
    out = []
    for x, y, w, h, _a in stats[1:] * 2:
        if horizontal and w > 3 * h:
            out.append((y + h / 2, int(x), int(x + w)))
        elif not horizontal and h > 3 * w:
            out.append((x + w / 2, int(y), int(y + h)))
    return out


def _cluster(values: list[float], tol: float) -> list[int]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [int(round(sum(c) / len(c))) for c in out]


def _coverage(mask: np.ndarray, horizontal: bool, pos: int, a: int, b: int, band: int = 4) -> float:
    if b - a <= 2:
        return 1.0
    if horizontal:
        strip = mask[max(0, pos - band):pos + band + 1, a:b]
        return float((strip.max(axis=0) > 0).mean()) if strip.size else 0.0
    strip = mask[a:b, max(0, pos - band):pos + band + 1]
    return float((strip.max(axis=1) > 0).mean()) if strip.size else 0.0


def rule_skew(hor: np.ndarray, min_frac: float = 0.2, max_thick: float = 10) -> float | None:
    """Angle (degrees, cv2's sense: positive turns the image counter-clockwise)
    that levels the long horizontal rules, or None when the page has none.
    Rules are straighter than text: a table tilted ~1° under a level letterhead
    fooled the text-profile deskew, and its sloping rules broke into a grid of
    merged cells (rows lost)."""
    h, w = hor.shape
    # at half size: the slope of a rule hundreds of px long needs no more
    n, labels, stats, _ = cv2.connectedComponentsWithStats(_half(hor), connectivity=8)
    angles, weights = [], []
    for i in range(1, n):
        x, y, cw, ch, area = stats[i]
        # long and thin: a rule, not the dark band a scanner leaves at the edge
        if 2 * cw < max(300, min_frac * w) or area / cw > max_thick / 2 + 1:
            continue
        ys, xs = np.nonzero(labels[y:y + ch, x:x + cw] == i)
        slope = np.polyfit(xs[::7], ys[::7], 1)[0]
        angles.append(float(np.degrees(np.arctan(slope))))
        weights.append(cw)
    if not angles:
        return None
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights)[order])
    return round(angles[order[np.searchsorted(cum, cum[-1] / 2)]], 2)   # weighted median


def detect_grids(ink: np.ndarray, masks: tuple[np.ndarray, np.ndarray] | None = None
                 ) -> tuple[list[Grid], np.ndarray]:
    """Ruled tables on the page, and the mask of all rules (to erase before OCR).
    ``masks``: the (horizontal, vertical) rule masks when the caller has them."""
    hor, ver = masks if masks is not None else line_masks(ink)
    rules = cv2.bitwise_or(hor, ver)
    joined = cv2.dilate(_half(rules), np.ones((4, 4), np.uint8))   # half size: only boxes are needed
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids = []
    H, W = rules.shape
    for x, y, w, h, _a in stats[1:]:
        x, y = max(0, 2 * x - 1), max(0, 2 * y - 1)
        w, h = min(W - x, 2 * w + 2), min(H - y, 2 * h + 2)
        if w < 150 or h < 60:
            continue
        g = _grid_in(hor[y:y + h, x:x + w], ver[y:y + h, x:x + w])
        if g is None:
            continue
        grids.append(_shift(g, x, y))
    return grids, rules


def _grid_in(hor: np.ndarray, ver: np.ndarray) -> Grid | None:
    h, w = hor.shape
    tol = 10
    vsegs = _segments(ver, horizontal=False)
    hsegs = _segments(hor, horizontal=True)
    xs = _cluster([s[0] for s in vsegs], tol)
    # a real rule ends on a vertical rule (or the table edge); underlines don't
    ends = xs + [0, w - 1]
    hsegs = [s for s in hsegs if min(abs(s[1] - e) for e in ends) <= 2 * tol
             and min(abs(s[2] - e) for e in ends) <= 2 * tol and s[2] - s[1] > 25]
    ys = _cluster([s[0] for s in hsegs], tol)
    if xs and xs[0] > 2 * tol:
        xs.insert(0, 0)
    if xs and xs[-1] < w - 1 - 2 * tol:
        xs.append(w - 1)
    if len(xs) < 3 or len(ys) < 3:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            pad_y = min(tol, (ys[r + 1] - ys[r]) // 4)
            pad_x = min(tol, (xs[c + 1] - xs[c]) // 4)
            if c + 1 < nc and _coverage(ver, False, xs[c + 1], ys[r] + pad_y, ys[r + 1] - pad_y) < 0.6:
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and _coverage(hor, True, ys[r + 1], xs[c] + pad_x, xs[c + 1] - pad_x) < 0.6:
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    groups, spans = {}, {}
    for r in range(nr):
        for c in range(nc):
            gid = find(r * nc + c)
            groups[(r, c)] = gid
            r0, c0, r1, c1 = spans.get(gid, (r, c, r + 1, c + 1))
            spans[gid] = (min(r0, r), min(c0, c), max(r1, r + 1), max(c1, c + 1))
    if len(spans) < 2:
        return None
    return Grid((xs[0], ys[0], xs[-1], ys[-1]), ys, xs, groups, spans)


def _shift(g: Grid, dx: int, dy: int) -> Grid:
    g.xs = [x + dx for x in g.xs]
    g.ys = [y + dy for y in g.ys]
    x0, y0, x1, y1 = g.bbox
    g.bbox = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
    return g


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
