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


def prepare(g: np.ndarray, deskew: bool = True) -> tuple[np.ndarray, float]:
    """Light levelled (photos only), contrast, then deskew; returns the image and
    the angle applied."""
    if uneven_light(g):
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

def _order(pts: np.ndarray) -> np.ndarray:
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def sheet_corners(contour: np.ndarray, max_tilt: float = 35.0) -> np.ndarray | None:
    """The four corners (float32, 4x2) of the sheet whose outline is ``contour``.
    A shadow falling over the sheet's edge bites a dark notch out of the
    thresholded paper (a six-cornered outline, and the homography failed), so
    each side is the longest edge of the convex hull facing that way, and the
    corners are where the sides' lines meet: a bitten corner comes back."""
    hull = cv2.convexHull(contour).reshape(-1, 2).astype(np.float64)
    quad = cv2.approxPolyDP(hull.astype(np.int32), 0.02 * cv2.arcLength(hull.astype(np.int32), True), True)
    if len(quad) == 4:
        return quad.reshape(4, 2).astype(np.float32)
    if len(hull) < 4:
        return None
    cx, cy = hull.mean(axis=0)
    best: dict[str, tuple[float, np.ndarray, np.ndarray]] = {}
    for a, b in zip(hull, np.roll(hull, -1, axis=0)):
        d = b - a
        length = float(np.hypot(*d))
        ang = abs(np.degrees(np.arctan2(d[1], d[0]))) % 180
        mx, my = (a + b) / 2
        if min(ang, 180 - ang) <= max_tilt:
            side = "top" if my < cy else "bottom"
        elif abs(ang - 90) <= max_tilt:
            side = "left" if mx < cx else "right"
        else:
            continue      # a diagonal: the chord across a notch, not a side
        if length > best.get(side, (0.0,))[0]:
            best[side] = (length, a, b)
    if len(best) < 4:
        return None

    def meet(s1: str, s2: str) -> np.ndarray | None:
        _, p1, p2 = best[s1]
        _, q1, q2 = best[s2]
        d1, d2 = p2 - p1, q2 - q1
        den = d1[0] * d2[1] - d1[1] * d2[0]
        if abs(den) < 1e-6:
            return None
        t = ((q1[0] - p1[0]) * d2[1] - (q1[1] - p1[1]) * d2[0]) / den
        return p1 + t * d1

    pts = [meet("top", "left"), meet("top", "right"), meet("bottom", "right"), meet("bottom", "left")]
    if any(p is None for p in pts):
        return None
    return np.array(pts, np.float32)


_MIN_STEP = 0.06     # log-light step per px of a sheet's edge (a soft shadow's ramp: ~0.02)


def _otsu_sheet(small: np.ndarray) -> np.ndarray | None:
    """The sheet's outline as the largest bright region (Otsu on grey)."""
    blur = cv2.GaussianBlur(small, (5, 5), 0)
    _, paper = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return max(contours, key=cv2.contourArea) if contours else None


def _log_edges(small: np.ndarray, close_px: int = 15) -> np.ndarray:
    """Gradient magnitude (per px) of the log of the paper's light, text and rules
    closed away.  The padding keeps a thin strip of desk along the picture's edge
    (closing fills dark bands narrower than the kernel)."""
    p = close_px + 1
    c = cv2.morphologyEx(cv2.copyMakeBorder(small, p, p, p, p, cv2.BORDER_REPLICATE), cv2.MORPH_CLOSE,
                         np.ones((close_px, close_px), np.uint8))[p:-p, p:-p]
    c = np.log(cv2.GaussianBlur(c, (5, 5), 0).astype(np.float32) + 8)
    return np.hypot(cv2.Sobel(c, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(c, cv2.CV_32F, 0, 1, ksize=3)) / 8


def _edge_sheet(mag: np.ndarray, min_step: float = _MIN_STEP) -> np.ndarray | None:
    """The sheet's outline as the region its own edge encloses.  A hand's shadow
    multiplies paper and desk alike, so in the log of the light the sheet's
    edge is the same sharp step in the shade as in the light, while the
    shadow's edge is a soft ramp far below ``min_step`` per pixel: the shadow
    does not cut the sheet (Otsu on grey did: shaded paper fell to the desk's
    side and the sheet was cut short, its table lost)."""
    edges = cv2.dilate((mag > min_step).astype(np.uint8), np.ones((3, 3), np.uint8))
    edges[[0, -1], :] = 1           # a sheet running out of the picture is closed by the frame
    edges[:, [0, -1]] = 1
    n, labels, stats, _ = cv2.connectedComponentsWithStats(1 - edges, connectivity=4)
    h, w = edges.shape
    best, best_area = 0, 0
    for i in range(1, n):
        area = stats[i, cv2.CC_STAT_AREA]
        if area < 0.3 * h * w or area <= best_area:
            continue
        m = labels == i
        # the desk runs along the picture's edges; the sheet at most along one
        if m[1].sum() + m[-2].sum() + m[:, 1].sum() + m[:, -2].sum() > 0.25 * 2 * (h + w):
            continue
        best, best_area = i, area
    if not best:
        return None
    region = cv2.dilate((labels == best).astype(np.uint8) * 255, np.ones((5, 5), np.uint8))  # the edge's width back
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return max(contours, key=cv2.contourArea)


def _edge_support(quad: np.ndarray, strong: np.ndarray, region: np.ndarray | None = None) -> float:
    """How much of the quad's weakest side runs along the sheet's edge (``strong``:
    where the log light steps, widened by a few px).  Along the picture's frame a
    side counts where the sheet (``region``, what its edge encloses) runs out of
    the picture there: a side laid along the frame over the desk does not."""
    h, w = strong.shape
    worst = 1.0
    for a, b in zip(quad, np.roll(quad, -1, axis=0)):
        t = np.linspace(0.1, 0.9, 60)[:, None]
        pts = a + t * (b - a)
        x = np.clip(np.round(pts[:, 0]).astype(int), 0, w - 1)
        y = np.clip(np.round(pts[:, 1]).astype(int), 0, h - 1)
        at_frame = (x <= 2) | (x >= w - 3) | (y <= 2) | (y >= h - 3)
        hit = strong[y, x] > 0
        if region is not None:
            at_frame &= region[y, x] > 0
        worst = min(worst, float((hit | at_frame).mean()))
    return worst


def _sheet_quad(small: np.ndarray, min_area: float) -> np.ndarray | None:
    """Corners of the sheet in ``small``: Otsu's bright region as before, unless
    the region the sheet's own edge encloses makes a quad whose sides run along
    that edge clearly better (a shadow or a dark corner cut Otsu's region, and
    one of its sides ran across the paper)."""
    mag = _log_edges(small)
    quads = []
    outlines = (_otsu_sheet(small), _edge_sheet(mag))
    for c in outlines:
        area = cv2.contourArea(c) if c is not None else 0.0
        ok = c is not None and min_area * small.size <= area <= 0.97 * small.size
        quads.append(sheet_corners(c) if ok else None)
    otsu, edge = quads
    if edge is None:
        return otsu
    strong = cv2.dilate((mag > _MIN_STEP).astype(np.uint8), np.ones((7, 7), np.uint8))
    region = cv2.dilate(cv2.drawContours(np.zeros_like(small), [outlines[1]], -1, 255, -1),
                        np.ones((7, 7), np.uint8))
    s_edge = _edge_support(_order(edge), strong, region)
    if otsu is None:
        return edge if s_edge >= 0.6 else None
    return edge if s_edge > _edge_support(_order(otsu), strong, region) + 0.15 else otsu


def flatten_page(g: np.ndarray, min_area: float = 0.3, edge_band: float = 0.015) -> np.ndarray | None:
    """A photo of a sheet on a darker background: the sheet cut out and warped
    flat (perspective undone).  None when no clear four-cornered sheet is seen
    (a flatbed scan, or a photo filled by the page)."""
    small = downscale(g, 1000)
    f = g.shape[0] / small.shape[0]
    quad = _sheet_quad(small, min_area)
    if quad is None:
        return None
    tl, tr, br, bl = _order(quad * f)
    w = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    h = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    mtx = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl]), dst)
    flat = cv2.warpPerspective(g, mtx, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    # the corners are found to a few px: a sliver of desk along an edge became
    # a dark frame that was taken for a table's outer rules (a page-sized grid
    # swallowed the real table's words).  Margins are wider than this band.
    # Cut off, not painted white: white next to shaded paper fooled the light
    # levelling into a dark band along the edge (and a rule again)
    band = max(4, int(round(edge_band * min(w, h))))
    return flat[band:h - band, band:w - band]


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
