"""Ruled tables found in a page's ink, before any word is read.

The page's ink alone (no OCR) gives the ruling lines: opencv morphology keeps
the long horizontal and vertical strokes, their positions give a grid, and a
missing internal rule between two grid cells means a merged cell
(colspan/rowspan).  ``ocr.py`` needs this before tesseract runs (to level
tilted rules and erase them from the image it reads), so it stands apart from
``ocr_layout.py``, which fills the grids with the words read.  Pixels of the
image read throughout.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import cv2
import numpy as np


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
