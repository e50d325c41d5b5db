"""A phone photo's sheet found on its background and warped flat.

The sheet is the largest bright region (Otsu on grey) as it always was, unless
a hand's shadow or a dark corner cut that region: then the region the sheet's
own edge encloses in the log of the light, whose sides run along that edge.
"""
from __future__ import annotations

import cv2
import numpy as np


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


def find_sheet(g: np.ndarray, min_area: float = 0.3) -> np.ndarray | None:
    """Corners (top-left, top-right, bottom-right, bottom-left) of a photographed
    sheet in ``g``'s pixels; None when no clear four-cornered sheet is seen (a
    flatbed scan, or a photo filled by the page).  Apart from ``cut_sheet`` so a
    caller that found the sheet once passes it on instead of finding it again."""
    from extractors.imageprep import downscale     # imageprep names this module's functions
    small = downscale(g, 1000)
    quad = _sheet_quad(small, min_area)
    return None if quad is None else _order(quad * (g.shape[0] / small.shape[0]))


def cut_sheet(g: np.ndarray, corners: np.ndarray, edge_band: float = 0.015) -> np.ndarray:
    """The sheet at ``corners`` (``find_sheet``) cut out of ``g`` and warped flat."""
    tl, tr, br, bl = np.asarray(corners, np.float32)
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


def flatten_page(g: np.ndarray, min_area: float = 0.3, edge_band: float = 0.015) -> np.ndarray | None:
    """A photo of a sheet on a darker background: the sheet cut out and warped
    flat (perspective undone).  None when no clear four-cornered sheet is seen."""
    corners = find_sheet(g, min_area)
    return None if corners is None else cut_sheet(g, corners, edge_band)
