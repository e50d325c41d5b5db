"""Read a few table cells of an OCR'd page again, several independent ways.

Asked for by the report's arithmetic (``matchers.checksum``): when a printed
subtotal disagrees with its rows, the cells that could explain it are read
again from the page's pixels (kept on the Page by ``ocr.ocr_page`` as
``pixels``, boxes in PDF points).  Each cell is read three ways that fail
differently -- the second read's clean crop at ~28 px digits, the same crop
larger as one word, and the raw crop binarised adaptively -- all by ``eng``
restricted to digits, one strip (one tesseract call) per way for all cells.
This module only reads: it returns the texts and their confidences; deciding
what they are worth is the matcher's.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from extractors import tesseract
from extractors.document import BBox, Page
from extractors.ocr_second import WHITELIST, _crop, build_strip   # noqa: PLC2701 (same room)

INSET = 4


@dataclass
class CellRead:
    text: str
    confidence: float    # 0..1, mean of the words' confidences
    how: str


def page_image(page: Page) -> np.ndarray | None:
    """The grey page the boxes refer to, or None when it was not kept (not OCR, or a page
    rebuilt after reading)."""
    data = getattr(page, "pixels", None)
    if not data or not page.dpi:
        return None
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    return img if img is not None and img.size else None


def _px(box: BBox, dpi: int) -> tuple[float, float, float, float]:
    f = dpi / 72.0
    return tuple(v * f for v in box)   # type: ignore[return-value]


def _adaptive(img: np.ndarray, box, dpi: int) -> np.ndarray | None:
    """The raw crop (nothing erased), binarised by local mean: another failure mode than Otsu."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    sub = img[max(0, y0 + INSET):max(0, y1 - INSET), max(0, x0 + INSET):max(0, x1 - INSET)]
    if sub.size == 0 or min(sub.shape) < 8:
        return None
    block = max(15, (dpi // 10) | 1)
    b = cv2.adaptiveThreshold(sub, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 15)
    ys, xs = np.nonzero(b < 128)
    if len(ys) < 10:
        return None
    b = b[max(0, ys.min() - 3):ys.max() + 4, max(0, xs.min() - 3):xs.max() + 4]
    scale = float(np.clip(36 / max(1, ys.max() - ys.min()), 0.6, 3.0))
    return cv2.resize(b, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def _way(img: np.ndarray, box, dpi: int, how: str) -> np.ndarray | None:
    """One way's crop of a cell (see ``_ways``)."""
    if how == "adaptive":
        return _adaptive(img, box, dpi)
    clean = _crop(img, box, 0, inset=INSET, dpi=dpi)
    if how == "crop" or clean is None:
        return clean
    big = cv2.resize(clean, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    _, big = cv2.threshold(big, 127, 255, cv2.THRESH_BINARY)
    return big


def _ways(img: np.ndarray, box, dpi: int) -> dict[str, np.ndarray | None]:
    clean = _crop(img, box, 0, inset=INSET, dpi=dpi)
    big = None
    if clean is not None:
        big = cv2.resize(clean, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
        _, big = cv2.threshold(big, 127, 255, cv2.THRESH_BINARY)
    return {"crop": clean, "large": big, "adaptive": _adaptive(img, box, dpi)}


def reread_cells(page: Page, boxes: list[BBox], timeout: float = 60,
                 cache_dir: str | None = None) -> list[list[CellRead]]:
    """Per box (PDF points on ``page``), the readings of each way that read something.
    Empty lists throughout when the page's pixels were not kept."""
    out: list[list[CellRead]] = [[] for _ in boxes]
    img = page_image(page)
    if img is None or not boxes:
        return out
    dpi = int(page.dpi)
    crops = [_ways(img, _px(b, dpi), dpi) for b in boxes]
    for how in ("crop", "large", "adaptive"):
        idx = [i for i, c in enumerate(crops) if c[how] is not None]
        if not idx:
            continue
        per = _read_strip([crops[i][how] for i in idx], dpi, {"tessedit_char_whitelist": WHITELIST},
                          timeout, cache_dir, f"checksum re-read ({how})")
        for i, ws in zip(idx, per):
            if ws:
                ws.sort(key=lambda w: w.bbox[0])
                out[i].append(CellRead("".join(w.text for w in ws), _mean_conf(ws), how))
    return out


def _read_strip(crops: list[np.ndarray], dpi: int, config: dict | None, timeout: float,
                cache_dir: str | None, what: str) -> list[list]:
    """One tesseract call (psm 6) over the crops stacked in a strip: each crop's words, found
    back by the band of the strip it was put in."""
    strip, bands = build_strip(crops)
    words = tesseract.run_tsv(Image.fromarray(strip), lang="eng", psm=6, dpi=max(dpi, 300), config=config,
                              timeout=timeout, cache_dir=cache_dir, what=what)
    per: list[list] = [[] for _ in crops]
    for w in words:
        for k, (a, b) in enumerate(bands):
            if a <= w.cy < b:
                per[k].append(w)
                break
    return per


def _mean_conf(ws: list) -> float:
    return round(sum(w.conf for w in ws) / len(ws) / 100, 3)


def _line_text(ws: list) -> str:
    """Words of one crop in reading order: lines top to bottom (a figures cell wraps), each left to right."""
    ws = sorted(ws, key=lambda w: w.cy)
    lines: list[list] = []
    for w in ws:
        h = max(1.0, w.bbox[3] - w.bbox[1])
        if lines and abs(w.cy - lines[-1][-1].cy) < 0.5 * h:
            lines[-1].append(w)
        else:
            lines.append([w])
    return " ".join(" ".join(x.text for x in sorted(line, key=lambda w: w.bbox[0])) for line in lines)


def reread_figure_cells(cells: list[tuple[Page, BBox]], settled=None, timeout: float = 60,
                        cache_dir: str | None = None) -> list[list[CellRead]]:
    """As ``reread_cells`` for cells of figures written with words ("a = 22; b = 24",
    "1.570/2.000 hộ"), of any pages: no digit whitelist (it would turn letters into digits),
    the words of each crop put back in reading order over its lines.  ``settled(i, text,
    confidence)`` says a reading of cell ``i`` already confirms it: such cells are not read the
    other ways.  One tesseract call per way for all the cells (on a document read right, one)."""
    out: list[list[CellRead]] = [[] for _ in cells]
    images: dict[int, np.ndarray | None] = {}
    for page, _box in cells:
        if id(page) not in images:
            images[id(page)] = page_image(page)
    dpi = max([int(p.dpi) for p, _ in cells if images.get(id(p)) is not None] or [0])
    done: set[int] = set()
    for how in ("crop", "large", "adaptive"):
        # each way's crops made only for the cells still unsettled (most settle at the first)
        made = {i: _way(images[id(p)], _px(b, int(p.dpi)), int(p.dpi), how)
                for i, (p, b) in enumerate(cells) if i not in done and images[id(p)] is not None}
        idx = [i for i, c in made.items() if c is not None]
        if not idx:
            continue
        per = _read_strip([made[i] for i in idx], dpi, None, timeout, cache_dir, f"figures re-read ({how})")
        for i, ws in zip(idx, per):
            if ws:
                read = CellRead(_line_text(ws), _mean_conf(ws), how)
                out[i].append(read)
                if settled is not None and settled(i, read.text, read.confidence):
                    done.add(i)
    return out
