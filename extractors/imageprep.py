"""Cleaning a page image before tesseract reads it.

Pure functions on numpy grayscale arrays (uint8, white paper = 255): contrast,
deskew, optional binarisation, the page's text height (to pick the render dpi)
and rotation by 90° steps.  OSD and the confidence fallback live in ocr.py
because they need the engine.
"""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image


def to_gray(im: Image.Image | np.ndarray) -> np.ndarray:
    if isinstance(im, np.ndarray):
        return im if im.ndim == 2 else cv2.cvtColor(im, cv2.COLOR_RGB2GRAY)
    if im.mode in ("RGBA", "LA", "P"):
        bg = Image.new("RGB", im.size, "white")
        bg.paste(im.convert("RGBA"), mask=im.convert("RGBA").split()[-1])
        im = bg
    return np.asarray(im.convert("L"))


def stretch_contrast(g: np.ndarray, lo_pct: float = 0.5, hi_pct: float = 99.5) -> np.ndarray:
    """Grey paper and faded ink from scanners: map the 0.5..99.5 percentiles to 0..255."""
    small = g[::4, ::4]
    lo, hi = np.percentile(small, [lo_pct, hi_pct])
    if hi - lo < 40 or (lo < 8 and hi > 247):
        return g
    lut = np.clip((np.arange(256) - lo) * 255.0 / (hi - lo), 0, 255).astype(np.uint8)
    return lut[g]


def ink_mask(g: np.ndarray, uneven: bool | None = None) -> np.ndarray:
    """255 where ink is: Otsu on even paper, adaptive where lighting varies (photos).
    ``uneven``: ``uneven_light(g)`` when the caller already knows it."""
    if uneven_light(g) if uneven is None else uneven:
        return cv2.adaptiveThreshold(g, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 41, 15)
    _, m = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return m


def uneven_light(g: np.ndarray) -> bool:
    """Paper brightness (a large closing removes text) varying by > 40 levels."""
    small = cv2.resize(g, (max(1, g.shape[1] // 8), max(1, g.shape[0] // 8)), interpolation=cv2.INTER_AREA)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    lo, hi = np.percentile(paper, [5, 95])
    return hi - lo > 40


def binarise(g: np.ndarray) -> np.ndarray:
    return 255 - ink_mask(g)


# ---- skew ---------------------------------------------------------------------

def skew_angle(g: np.ndarray, max_deg: float = 5.0) -> float:
    """Angle (degrees, counter-clockwise positive as cv2 uses) that makes text rows
    horizontal: the rotation whose row profile is sharpest."""
    scale = min(1.0, 800 / max(g.shape))
    small = cv2.resize(g, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else g
    m = ink_mask(small).astype(np.float32) / 255.0
    if m.mean() < 0.002:
        return 0.0
    h, w = m.shape
    centre = (w / 2, h / 2)

    def sharpness(a: float) -> float:
        rot = cv2.warpAffine(m, cv2.getRotationMatrix2D(centre, a, 1.0), (w, h), flags=cv2.INTER_NEAREST)
        prof = rot.sum(axis=1)
        return float(np.square(np.diff(prof)).sum())

    best = max(np.arange(-max_deg, max_deg + 1e-6, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.5 + 1e-6, 0.1), key=sharpness)
    return float(round(best, 2))


def rotate(g: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by a small angle about the centre, keeping the canvas (so boxes stay
    close to where they are on the original page) and filling with white paper."""
    if abs(angle) < 0.05:
        return g
    h, w = g.shape
    mtx = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(g, mtx, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def rotate90(g: np.ndarray, clockwise_deg: int) -> np.ndarray:
    k = {0: None, 90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    code = k[clockwise_deg % 360]
    return g if code is None else cv2.rotate(g, code)


# ---- text size -> dpi ---------------------------------------------------------

def cap_height(g: np.ndarray) -> float | None:
    """Typical height (px) of capitals/ascenders: a high percentile of letter-sized
    connected components (most components are x-height letters and diacritics)."""
    # measured on a half-size copy when the page is big: a quarter of the pixels,
    # and letters 15+ px tall still separate (the answer only picks a dpi)
    k = 2 if min(g.shape) >= 1600 else 1
    small = cv2.resize(g, (g.shape[1] // k, g.shape[0] // k), interpolation=cv2.INTER_AREA) if k > 1 else g
    m = ink_mask(small)
    n, _, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    if n < 30:
        return None
    hs, ws = stats[1:, cv2.CC_STAT_HEIGHT] * k - (k - 1), stats[1:, cv2.CC_STAT_WIDTH] * k   # -1: half-pixel rounding
    keep = (hs >= 6) & (hs <= 200) & (ws <= hs * 3) & (ws >= 2)
    if keep.sum() < 30:
        return None
    return float(np.percentile(hs[keep], 85))


def choose_dpi(g: np.ndarray, dpi: int, min_cap_px: float = 30, max_dpi: int = 450, target_px: float = 34) -> int:
    """Render dpi so capitals are about ``target_px`` tall, never above max_dpi."""
    cap = cap_height(g)
    if cap is None or cap >= min_cap_px:
        return dpi
    want = dpi * target_px / cap
    return int(min(max_dpi, round(want / 25) * 25))


def prepare(g: np.ndarray, deskew: bool = True, uneven: bool | None = None) -> tuple[np.ndarray, float]:
    """Light levelled (photos only), contrast, then deskew; returns the image and
    the angle applied.  ``uneven``: ``uneven_light(g)`` when the caller measured it
    already (a whole-page pass, ~0.04 s at 300 dpi)."""
    if uneven_light(g) if uneven is None else uneven:
        g = flatten_light(g)
    g = stretch_contrast(g)
    angle = skew_angle(g) if deskew else 0.0
    return (rotate(g, angle) if abs(angle) >= 0.15 else g), angle


def downscale(g: np.ndarray, max_side: int = 1600) -> np.ndarray:
    s = max_side / max(g.shape)
    return cv2.resize(g, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else g


# ---- phone photos -------------------------------------------------------------

def paper_light(g: np.ndarray, k: int = 8, close_px: int = 15) -> np.ndarray:
    """The paper's brightness under the page's light (text and rules closed
    away), at the size of ``g``.  Worked out at 1/``k`` size: light varies slowly."""
    h, w = g.shape
    small = cv2.resize(g, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)
    # close_px at 1/8 size = 120 px at full size: wider than a capital, so
    # letters, bold headings and rules all vanish and only the paper is left
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (close_px, close_px)))
    bg = cv2.GaussianBlur(cv2.medianBlur(bg, 5), (0, 0), 2)
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)


def flatten_light(g: np.ndarray) -> np.ndarray:
    """A photo's light fall-off and shadows divided away: the paper becomes an
    even white and the ink keeps its contrast, so the page thresholds like a
    scan.  Without it the adaptive threshold left halos of the ruling lines in
    the shaded half (painted-over rules turned into bright stripes, the rule's
    blurred edge next to them into ink), which tesseract read as letters glued
    to every cell of the lower rows."""
    return cv2.divide(g, np.maximum(paper_light(g), 1), scale=255)

# the sheet of a phone photo: its own module, named here for the callers
from extractors.sheet import _order, cut_sheet, find_sheet, flatten_page, sheet_corners  # noqa: E402,F401


# ---- speckle ------------------------------------------------------------------

def speckles(ink: np.ndarray, dpi: float = 300, max_area: float = 24, near: float = 20,
             rules: np.ndarray | None = None) -> np.ndarray:
    """Mask (255) of scanner speckle: tiny ink components with no bigger ink within
    ``near`` px (sizes given at 300 dpi, scaled to ``dpi``).  A decimal point or a
    diacritic sits next to its letters and stays; a dot alone in a cell goes, as
    tesseract reads it as a letter ('2.5' + speck -> 'gác)') and it makes an
    empty cell look inked.  With ``rules`` (the erased rules' mask) the
    remnants of the rules go too (see ``_rule_nicks``).  One labelling pass;
    the rest works on the components' boxes (per-pixel passes over a page
    cost more than the labelling)."""
    f = dpi / 300
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    out = np.zeros_like(ink)
    if n <= 1:
        return out
    st = stats[1:]
    small = st[:, cv2.CC_STAT_AREA] <= max_area * f * f
    lone = np.zeros(n - 1, bool)
    if small.any() and (~small).any():
        lone = small & ~_near(st[small], st[~small], near * f, ink.shape, out_len=n - 1, where=small)
    elif small.any():
        lone = small
    if rules is not None:
        lone |= _rule_nicks(st, rules, f)
    for i in np.flatnonzero(lone):
        x, y, w, h = st[i, :4]
        box = labels[y:y + h, x:x + w] == i + 1
        out[y:y + h, x:x + w][box] = 255
    return out


def _near(cands: np.ndarray, big: np.ndarray, r: float, shape, out_len: int, where: np.ndarray,
          cell: int = 8) -> np.ndarray:
    """For the components ``where`` selects: is a ``big`` component's box, grown
    by ``r``, over the candidate's centre?  On a coarse grid (``cell`` px):
    the box areas are summed with a summed-area table, no per-pixel pass."""
    gh, gw = shape[0] // cell + 2, shape[1] // cell + 2
    acc = np.zeros((gh + 1, gw + 1), np.int32)
    x0 = np.clip(((big[:, 0] - r) // cell).astype(int), 0, gw - 1)
    y0 = np.clip(((big[:, 1] - r) // cell).astype(int), 0, gh - 1)
    x1 = np.clip(((big[:, 0] + big[:, 2] + r) // cell).astype(int) + 1, 0, gw)
    y1 = np.clip(((big[:, 1] + big[:, 3] + r) // cell).astype(int) + 1, 0, gh)
    np.add.at(acc, (y0, x0), 1)
    np.add.at(acc, (y0, x1), -1)
    np.add.at(acc, (y1, x0), -1)
    np.add.at(acc, (y1, x1), 1)
    cover = acc.cumsum(0).cumsum(1)
    cx = ((cands[:, 0] + cands[:, 2] / 2) // cell).astype(int)
    cy = ((cands[:, 1] + cands[:, 3] / 2) // cell).astype(int)
    res = np.zeros(out_len, bool)
    res[where] = cover[cy, cx] > 0
    return res


def _rule_nicks(st: np.ndarray, rules: np.ndarray, f: float) -> np.ndarray:
    """Per component (``st``: stats without the background): a bit of a ruling
    line the erasure left (a nick, a tick, a ragged edge) rather than a glyph:
    it touches a rule and is either a solid little block or a sliver.
    tesseract read them as 'I' or '1' glued to the number ('20' -> '20 I')."""
    x, y, w, h, area = (st[:, i] for i in range(5))
    solid = (area >= 0.8 * w * h) & (np.maximum(w, h) <= 40 * f)
    sliver = np.minimum(w, h) <= 3 * f
    out = np.zeros(len(st), bool)
    H, W = rules.shape
    for i in np.flatnonzero(solid | sliver):
        out[i] = rules[max(0, y[i] - 2):min(H, y[i] + h[i] + 2), max(0, x[i] - 2):min(W, x[i] + w[i] + 2)].any()
    return out


def clean_cell(sub: np.ndarray, dpi: float = 300, thr: int = 128) -> np.ndarray:
    """A cell crop (grey, paper 255) with what is not text whitened: remains of
    the ruling lines along its edges (thin components touching the border) and
    lone specks.  Those were read as digits glued to the number ('20' -> '208')."""
    ink = (sub < thr).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return sub
    h, w = sub.shape
    x, y, cw, ch, area = (stats[1:, i] for i in range(5))
    f = dpi / 300
    touches = (x == 0) | (y == 0) | (x + cw >= w) | (y + ch >= h)
    # a rule left over: thin, or running most of the way along an edge with a
    # stroke no thicker than a rule's (an L where two rules meet)
    along = (cw >= 0.7 * w) * cw + (ch >= 0.7 * h) * ch
    shallow = ((x == 0) | (x + cw >= w)) & (cw <= 8 * f) | ((y == 0) | (y + ch >= h)) & (ch <= 8 * f)
    thin = (np.minimum(cw, ch) <= max(3, 5 * f)) | (along > 0) & (area <= along * 7 * f) | shallow
    drop = touches & thin | (area <= 4 * f * f) & ~_near_big(stats, f)
    if not drop.any():
        return sub
    out = sub.copy()
    lut = np.concatenate([[False], drop])
    out[lut[labels]] = 255
    return out


def _near_big(stats: np.ndarray, f: float) -> np.ndarray:
    """Per component (background excluded): is a component of 30+ px area within ~15 px?"""
    s = stats[1:]
    big = s[:, cv2.CC_STAT_AREA] > 30 * f * f
    if not big.any():
        return np.zeros(len(s), bool)
    gap = 15 * f
    bx0, by0 = s[big, 0] - gap, s[big, 1] - gap
    bx1, by1 = s[big, 0] + s[big, 2] + gap, s[big, 1] + s[big, 3] + gap
    cx, cy = s[:, 0] + s[:, 2] / 2, s[:, 1] + s[:, 3] / 2
    return ((cx[:, None] >= bx0) & (cx[:, None] <= bx1) & (cy[:, None] >= by0) & (cy[:, None] <= by1)).any(axis=1)


# ---- the table's own rules: perspective left after the sheet's edges --------

def _long_rules(ink: np.ndarray, horizontal: bool, min_frac: float) -> list[np.ndarray]:
    """Point sets (x, y) of the long ruling lines running one way: opened with a
    long bar, gaps closed along it, components at least ``min_frac`` of the
    page across.  A rule tilted by the perspective stays one component: the
    bar is short (1/40 of the page) next to a rule's run at a slope of a few
    degrees, and the closing bridges the steps."""
    h, w = ink.shape
    if horizontal:
        k = cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 40), 1))
        m = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_OPEN, k), cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (25, 3)))
    else:
        k = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 40)))
        m = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_OPEN, k), cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (3, 25)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    out = []
    span = w if horizontal else h
    for i in range(1, n):
        x, y, cw, ch, area = stats[i]
        length, thick = (cw, ch) if horizontal else (ch, cw)
        if length < min_frac * span or thick > 0.15 * length:
            continue
        ys, xs = np.nonzero(labels[y:y + ch, x:x + cw] == i)
        out.append(np.stack([xs + x, ys + y], axis=1).astype(np.float64))
    return out


def _fit(pts: np.ndarray, horizontal: bool) -> tuple[float, float]:
    """Line through the points: y = a x + b (horizontal) or x = a y + b."""
    u, v = (pts[:, 0], pts[:, 1]) if horizontal else (pts[:, 1], pts[:, 0])
    step = max(1, len(u) // 4000)
    a, b = np.polyfit(u[::step], v[::step], 1)
    return float(a), float(b)


def table_quad(g: np.ndarray, min_frac: float = 0.35) -> np.ndarray | None:
    """Corners (tl, tr, br, bl; float32) of the quadrilateral the table's
    outermost long rules make, or None without two long rules each way."""
    scale = min(1.0, 1200 / max(g.shape))
    small = cv2.resize(g, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else g
    ink = ink_mask(small)
    hs = _long_rules(ink, True, min_frac)
    vs = _long_rules(ink, False, min_frac * 0.6)
    if len(hs) < 2 or len(vs) < 2:
        return None
    hl = sorted(((_fit(p, True), p) for p in hs), key=lambda f: f[0][0] * small.shape[1] / 2 + f[0][1])
    vl = sorted(((_fit(p, False), p) for p in vs), key=lambda f: f[0][0] * small.shape[0] / 2 + f[0][1])
    ((ta, tb), top), ((ba, bb), bottom) = hl[0], hl[-1]
    ((la, lb), left), ((ra, rb), right) = vl[0], vl[-1]

    def meet(ha: float, hb: float, va: float, vb: float) -> tuple[float, float]:
        # y = ha x + hb and x = va y + vb
        y = (ha * vb + hb) / (1 - ha * va)
        return va * y + vb, y

    quad = np.array([meet(ta, tb, la, lb), meet(ta, tb, ra, rb), meet(ba, bb, ra, rb), meet(ba, bb, la, lb)],
                    np.float32)
    # the four rules must make the table's frame: each runs from corner to
    # corner.  A dark band along a scan's edge, a rule of another table or a
    # title's underline made a quad no table has, and the "correction" bent
    # a straight page (rows lost).
    tol = 0.03 * max(small.shape)
    for pts, (a, b), horizontal in ((top, quad[[0, 1]], True), (bottom, quad[[3, 2]], True),
                                    (left, quad[[0, 3]], False), (right, quad[[1, 2]], False)):
        k = 0 if horizontal else 1
        if pts[:, k].min() > a[k] + tol or pts[:, k].max() < b[k] - tol:
            return None
    quad /= scale
    w = np.linalg.norm(quad[1] - quad[0])
    h = np.linalg.norm(quad[3] - quad[0])
    if w < 0.3 * g.shape[1] or h < 0.1 * g.shape[0]:
        return None
    return quad


def square_table(g: np.ndarray, min_off: float = 0.0008, max_off: float = 0.08) -> tuple[np.ndarray, bool]:
    """The page warped so its table's outer rules are level and upright (a
    rectangle): the perspective the sheet's edges left, or all of it when an
    edge of the sheet is out of the picture or hidden.  The table keeps its
    top-left corner, width and height, so the page around it moves little.
    Returned unchanged (and False) when the rules already make a rectangle
    within ``min_off`` of the page's long side, or when the correction would move a corner by more
    than ``max_off`` of the page (not a table's outline)."""
    quad = table_quad(g)
    if quad is None:
        return g, False
    tl, tr, br, bl = quad
    w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    x0, y0 = (tl + bl)[0] / 2, (tl + tr)[1] / 2
    dst = np.array([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]], np.float32)
    off = np.abs(dst - quad).max()
    if off < min_off * max(g.shape) or off > max_off * max(g.shape):
        return g, False
    mtx = cv2.getPerspectiveTransform(quad, dst)
    paper = int(np.percentile(g[::8, ::8], 90))
    return cv2.warpPerspective(g, mtx, (g.shape[1], g.shape[0]), flags=cv2.INTER_LINEAR, borderValue=paper), True
