"""A second, independent read of the table cells that hold numbers.

Measured on an 8 pt table: ``vie`` at 300 dpi read ``645/645`` as ``615/645``
in 12 of 30 rows, with *higher* confidence than the correct rows, while
``eng`` at 400 dpi read all 30 right.  So every numeric-looking cell is
cropped, cleaned (rule remnants, specks), binarised, scaled so its digits are
~28 px tall (what 400 dpi gives an 8 pt table; bigger hurt 11 pt scans), and
read again by ``eng`` restricted to digits and ``%/.,x``.  All crops of a page are stacked into one strip so the page
costs one extra (small) tesseract call; psm 6 reads the strip line by line and
each word goes back to the crop whose band holds it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from extractors import imageprep, tesseract
from extractors.document import Cell, Table
from extractors.ocr_layout import _text_of, looks_numeric

WHITELIST = "0123456789%/.,x"
TARGET_DPI = 400   # nominal: crops are scaled by glyph height (GLYPH_PX), not by dpi
GLYPH_PX = 28


@dataclass
class SecondReadOptions:
    lang: str = "eng"
    timeout: float = 60
    cache_dir: str | None = None
    disputed_conf: float = 0.5
    punct_conf: float = 0.8
    add_sep_conf: float = 0.7      # a separator only the second read saw is taken from this confidence
    min_second_conf: float = 0.6   # under this the second read only disputes, never replaces
    prefer: str = "second"   # text kept when reads disagree: "second" (measured more accurate) or "first"


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("×", "x").replace("X", "x")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _weak(c: Cell, max_conf: float = 0.6) -> bool:
    return min(c.confidence, getattr(c, "ocr_min_conf", 1.0)) < max_conf


def _mangled(text: str) -> bool:
    """A short number with a letter or two in it ('2Ð' for 25, '5.1 Á' for 5.14):
    tesseract is often confident about these, so confidence alone misses them."""
    t = normalise(text)
    return 0 < len(t) <= 6 and any(ch.isdigit() for ch in t) and sum(ch.isalpha() for ch in t) <= 1


def mark_dropped_separators(cells: list[Cell], img: np.ndarray, dpi: int) -> int:
    """Cells read as a plain run of digits whose pixels show a decimal mark
    between two digits get ``sep_seen`` = (digits before it, ',' or '.'): a
    doubtful read, which the second read looks at again.  ``img`` is the page
    before its rules and specks were erased: a comma sitting low in a tight
    row, next to the rule under it, was erased with the rule's nicks, and
    '8,2' came back '82' from both reads (82 points for a 10-point row)."""
    n = 0
    for c in cells:
        t = normalise(c.text)
        if c.bbox is None or not t.isdigit() or len(t) < 2:
            continue
        crop = _crop(img, c.bbox, 0, dpi=dpi)
        where = separator_gap(crop) if crop is not None else None
        if where is not None:
            c.sep_seen = where    # not a model field: (digits before it, the mark)
            n += 1
    return n


def numeric_cells(blocks: list, doubtful_only: bool = False, sure: float = 0.93) -> list[Cell]:
    """Cells that look numeric, plus weak or mangled cells of columns that are
    mostly numeric (an STT column where ``5.1`` came back as ``Si``).  With
    ``doubtful_only``, only those a second read may change (``_doubtful``):
    reading every numeric cell twice cost ~0.15 of plain tesseract's time per
    page, and a clean confident ``20`` gains nothing from it."""
    out = []
    for b in blocks:
        if not isinstance(b, Table):
            continue
        cols: dict[int, list[Cell]] = {}
        for r in b.rows:
            for c in r:
                cols.setdefault(c.col, []).append(c)
        for cells in cols.values():
            filled = [c for c in cells if c.text]
            mostly = len(filled) >= 3 and sum(looks_numeric(c.text) for c in filled) >= 0.4 * len(filled)
            picked = [c for c in cells if c.bbox is not None
                      and (looks_numeric(c.text) or mostly and len(c.text) <= 12 and (_weak(c) or _mangled(c.text)))]
            if doubtful_only:
                nums = [c for c in filled if sum(ch.isdigit() for ch in c.text) >= 2]
                sep_col = bool(nums) and sum(bool(re.search(r"[.,]", c.text)) for c in nums) >= 0.3 * len(nums)
                picked = [c for c in picked if _doubtful(c, sep_col, sure)]
            out += picked
    return out


def _sep_less(text: str) -> bool:
    """Two or more digits and no separator at all ('78' for '7,8')."""
    t = normalise(text)
    return sum(ch.isdigit() for ch in t) >= 2 and not re.search(r"[.,/%x]", t)


def separator_gap(crop: np.ndarray) -> tuple[int, str] | None:
    """In a binarised crop of a plain number (ink < 128): a decimal mark the
    read may have dropped -- a small blob low between two digits.  Returns
    (how many digits stand before it, ',' or '.'), or None.  Only when every
    digit is its own component (the count of digits is then known) and there
    is exactly one such blob (bits of a mark within a few px count as one);
    a comma reaches below the digits' foot or is taller than wide, a point
    is round and sits on it."""
    n, _, st, _ = cv2.connectedComponentsWithStats((crop < 128).astype(np.uint8), connectivity=8)
    if n <= 2:
        return None
    st = st[1:]
    H = int(st[:, cv2.CC_STAT_HEIGHT].max())
    if H < 12:
        return None
    tall = st[st[:, cv2.CC_STAT_HEIGHT] >= 0.6 * H]
    small = _merge_bits(st[st[:, cv2.CC_STAT_HEIGHT] < 0.6 * H], 0.12 * H)
    small = small[(small[:, 3] <= 0.45 * H) & (small[:, 2] <= 0.45 * H) & (small[:, 3] >= 0.12 * H)
                  & (small[:, 4] >= 0.02 * H * H)]     # a mark's size, not a speck of dust
    if len(tall) < 2:
        return None
    tall = tall[np.argsort(tall[:, 0])]
    top = float(np.median(tall[:, 1]))
    foot = float(np.median(tall[:, 1] + tall[:, 3]))
    found = []
    for x, y, w, h, _a in small:
        cx = x + w / 2
        if y < top + 0.5 * (foot - top):
            continue            # not low: a diacritic, a speck above
        k = int(np.searchsorted(tall[:, 0] + tall[:, 2] / 2, cx))
        if not 0 < k < len(tall):
            continue            # not between two digits
        if tall[k - 1, 0] + tall[k - 1, 2] - 1 > x + 1 or tall[k, 0] < x + w - 1:
            continue            # touches a digit: part of it
        # a comma hangs below the foot, or is at least taller than wide (a
        # soft photo's comma hardly descends); a point is round
        found.append((k, "," if y + h > foot + 0.12 * H or h >= 1.4 * w else "."))
    return found[0] if len(found) == 1 else None


def _merge_bits(st: np.ndarray, gap: float) -> np.ndarray:
    """Components (x, y, w, h, area rows) whose boxes lie within ``gap`` of
    each other joined into one: a thin comma on a soft, downscaled photo
    binarises into three or four specks of 3-5 px."""
    boxes = [[int(v) for v in r[:5]] for r in st]
    merged = True
    while merged and len(boxes) > 1:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if (b[0] - (a[0] + a[2]) <= gap and a[0] - (b[0] + b[2]) <= gap
                        and b[1] - (a[1] + a[3]) <= gap and a[1] - (b[1] + b[3]) <= gap):
                    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
                    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
                    boxes[i] = [x0, y0, x1 - x0, y1 - y0, a[4] + b[4]]
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return np.array(boxes, dtype=np.int64).reshape(-1, 5)


def _insert_sep(text: str, where: tuple[int, str]) -> str | None:
    """``text`` (digits only) with the separator after ``where[0]`` digits."""
    t = normalise(text)
    if not t.isdigit() or not 0 < where[0] < len(t):
        return None
    return t[:where[0]] + where[1] + t[where[0]:]


def _doubtful(c: Cell, sep_col: bool, sure: float) -> bool:
    """Worth a second read: the first read is not sure of a word (under
    ``sure``), or is not a clean number (mangled, a weak read of a numeric
    column), or holds a fraction (vie misread ``645/645`` as ``615/645`` with
    high confidence), or is a number without a separator in a column where
    many numbers have one (a dropped comma: ``7,8`` read ``78`` on a soft photo)."""
    return (_weak(c, sure) or not looks_numeric(c.text) or "/" in c.text
            or sep_col and _sep_less(c.text) or getattr(c, "sep_seen", False))


def _crop(img: np.ndarray, box, scale: float, inset: int = 4, dpi: float = 300) -> np.ndarray | None:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    sub = img[y0 + inset:max(y0 + inset + 1, y1 - inset), x0 + inset:max(x0 + inset + 1, x1 - inset)]
    if sub.size == 0:
        return None
    # rule remnants along the edges and specks would widen the crop and be read
    # as digits glued to the number ("20" -> "208")
    sub = imageprep.clean_cell(sub, dpi)
    # black on white: on a small crop of grey, noisy paper tesseract's own
    # thresholding fails badly (a clean "3.1" read as "CỐ (", "2.5" as "2.0");
    # Otsu here made vie and eng read all of them right
    if np.count_nonzero(sub < 128) < 10:
        return None
    _, sub = cv2.threshold(sub, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    ink = sub < 128
    ys, xs = np.nonzero(ink)
    if len(ys) < 10:
        return None
    sub = sub[max(0, ys.min() - 3):ys.max() + 4, max(0, xs.min() - 3):xs.max() + 4]
    if sub.shape[0] > 400 or sub.shape[1] > 2500:
        return None   # not a short value: a merged block or a photo's shadow
    if scale <= 0:
        scale = _scale_to(sub, GLYPH_PX)
    if abs(scale - 1) > 0.05:
        sub = cv2.resize(sub, None, fx=scale, fy=scale,
                         interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    return sub


def _scale_to(binary: np.ndarray, target: float) -> float:
    """Scale that makes the crop's tallest glyph ``target`` px high.  Measured on
    scans: eng read clean 11 pt "5.4" as "3.4" and dropped lone "5"s once digits
    were 45 px tall (a fixed 400 dpi), and dropped decimal points under ~24 px;
    ~28 px read them all."""
    n, _, st, _ = cv2.connectedComponentsWithStats((binary < 128).astype(np.uint8), connectivity=8)
    hs = st[1:, cv2.CC_STAT_HEIGHT][st[1:, cv2.CC_STAT_AREA] >= 20]
    if not len(hs):
        return 1.0
    return float(np.clip(target / max(hs), 0.6, 2.0))


def build_strip(crops: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Crops stacked top to bottom on white, with the y band each occupies."""
    pad = 20
    gap = 40
    width = max(c.shape[1] for c in crops) + 2 * pad
    height = pad + sum(c.shape[0] + gap for c in crops) + pad
    strip = np.full((height, width), 255, np.uint8)
    bands, y = [], pad
    for c in crops:
        strip[y:y + c.shape[0], pad:pad + c.shape[1]] = c
        bands.append((y - gap // 2, y + c.shape[0] + gap // 2))
        y += c.shape[0] + gap
    return strip, bands


def weak_cells(blocks: list, max_conf: float = 0.6, max_len: int = 12) -> list[Cell]:
    """Short cells tesseract's sparse page read got wrong or missed (STT numbers
    like ``2.5`` read as ``PẪ-)``): low confidence, or ink but no text."""
    return [c for b in blocks if isinstance(b, Table) for r in b.rows for c in r
            if c.bbox is not None and (len(c.text) <= max_len or getattr(c, "ocr_missed", False)
                                       and len(c.text) <= 4 * max_len)
            and min(c.confidence, getattr(c, "ocr_min_conf", 1.0)) < max_conf]


def retry_weak(blocks: list, img: np.ndarray, dpi: int, lang: str = "vie", timeout: float = 60,
               cache_dir: str | None = None, skip: set[int] | None = None) -> int:
    """Read weak cells again one strip per page (psm 6, cell by cell); keep the new
    text where it is more confident.  Cells whose id is in ``skip`` are left out
    (the numeric second read covers them: no need for a call on their account).
    Returns how many cells changed."""
    cells, crops = [], []
    for c in weak_cells(blocks):
        if skip and id(c) in skip:
            continue
        crop = _crop(img, c.bbox, 1.0, dpi=dpi)   # words: the page's own scale read them
        if crop is not None:
            cells.append(c)
            crops.append(crop)
    if not cells:
        return 0
    changed = 0
    for cell, ws in zip(cells, _read_strip(crops, lang, 6, dpi, None, timeout, cache_dir, "retry")):
        if not ws:
            continue
        conf = sum(w.conf for w in ws) / len(ws) / 100
        text = _text_of(ws)
        if getattr(cell, "ocr_missed", False) and cell.text:
            # the page read left ink unread: take a confident read that is longer,
            # or surer than the words it had
            if conf >= 0.7 and (len(normalise(text)) > len(normalise(cell.text)) or conf > cell.confidence + 0.1):
                cell.text, cell.confidence = text, round(min(conf, cell.confidence), 3)
                changed += 1
            continue
        if conf > min(cell.confidence, getattr(cell, "ocr_min_conf", 1.0)) + 0.1:
            cell.text = text
            cell.confidence = round(conf, 3)
            changed += 1
    return changed


MAX_STRIP_PX = 30000   # tesseract refuses images taller than 32767 px


def _read_strip(crops, lang, psm, dpi, config, timeout, cache_dir, what) -> list[list]:
    """Words per crop; crops go in as few strips (tesseract calls) as fit."""
    reads: list[list] = []
    batch: list = []
    height = 0
    for c in crops + [None]:
        if batch and (c is None or height + c.shape[0] + 40 > MAX_STRIP_PX):
            reads += _read_one_strip(batch, lang, psm, dpi, config, timeout, cache_dir, what)
            batch, height = [], 0
        if c is not None:
            batch.append(c)
            height += c.shape[0] + 40
    return reads


def _read_one_strip(crops, lang, psm, dpi, config, timeout, cache_dir, what) -> list[list]:
    strip, bands = build_strip(crops)
    words = tesseract.run_tsv(Image.fromarray(strip), lang=lang, psm=psm, dpi=dpi, config=config,
                              timeout=timeout, cache_dir=cache_dir, what=what)
    reads: list[list] = [[] for _ in crops]
    for w in words:
        for k, (a, b) in enumerate(bands):
            if a <= w.cy < b:
                reads[k].append(w)
                break
    for ws in reads:
        ws.sort(key=lambda w: (round(w.cy / 40), w.bbox[0]))
    return reads


def second_read(blocks: list, img: np.ndarray, dpi: int, opts: SecondReadOptions | None = None,
                cells_in: list[Cell] | None = None) -> int:
    """Re-read numeric cells (pixel bboxes) of ``blocks`` in place (``cells_in``:
    the cells ``numeric_cells`` chose, when the caller already has them); returns
    how many were disputed."""
    opts = opts or SecondReadOptions()
    cells, crops = [], []
    scale = max(1.0, TARGET_DPI / dpi)
    for c in numeric_cells(blocks) if cells_in is None else cells_in:
        crop = _crop(img, c.bbox, 0, dpi=dpi)
        if crop is not None:
            cells.append(c)
            crops.append(crop)
    if not cells:
        return 0
    reads = _read_strip(crops, opts.lang, 6, int(dpi * scale), {"tessedit_char_whitelist": WHITELIST},
                        opts.timeout, opts.cache_dir, "second-read")
    disputed = 0
    for cell, ws, crop in zip(cells, reads, crops):
        text2 = _text_of(ws)
        if getattr(cell, "sep_seen", False) and _digits(text2) in ("", _digits(cell.text)) \
                and not re.search(r"[.,]", text2):
            # neither read has the mark the pixels show: put it where it is,
            # and leave the cell short of sure (a reviewer sees it if in doubt)
            fixed = _insert_sep(cell.text, cell.sep_seen)
            if fixed:
                cell.text = fixed
                cell.confidence = min(cell.confidence, opts.punct_conf)
            continue
        if getattr(cell, "sep_seen", False) and _digits(text2) == _digits(cell.text) and re.search(r"[.,]", text2):
            cell.text = text2       # the second read saw the mark the first dropped
            cell.confidence = min(cell.confidence, opts.punct_conf)
            continue
        if normalise(text2) == normalise(cell.text):
            continue
        if not looks_numeric(cell.text):
            # a weak non-numeric read in a numeric column: take a confident numeric one
            conf2 = sum(w.conf for w in ws) / len(ws) / 100 if ws else 0.0
            if looks_numeric(text2) and conf2 >= 0.7:
                cell.text, cell.confidence = text2, round(min(0.8, conf2), 3)
            continue
        if _digits(text2) == _digits(cell.text):
            # only '.'/',' differ: the eng read drops and swaps separators (3.3 -> 33,
            # 4.2 -> 4,2) more often than vie does, so keep the first text ...
            conf2 = sum(w.conf for w in ws) / len(ws) / 100 if ws else 0.0
            if not re.search(r"[.,]", cell.text) and re.search(r"[.,]", text2) and conf2 >= opts.add_sep_conf:
                # ... unless the first read has none and eng saw one: a dropped
                # point is the usual loss (soft photo dots: "1.5" read "15"),
                # a point made up from clean paper is not
                cell.text = text2
            cell.confidence = min(cell.confidence, opts.punct_conf)
            continue
        disputed += 1
        cell.disputed = True
        # the first read's weakest word: a cell whose average is 0.92 but whose
        # "85%" came back "5%" at 0.3 is not a confident read
        first_conf = min(cell.confidence, getattr(cell, "ocr_min_conf", 1.0))
        cell.confidence = min(cell.confidence, opts.disputed_conf)
        conf2 = sum(w.conf for w in ws) / len(ws) / 100 if ws else 0.0
        # a doubtful second read does not overrule a confident first one
        # (eng read a clean "10" as "0" at 38 %): keep the text, flag the cell
        if conf2 < opts.min_second_conf and first_conf >= 0.9:
            continue
        if opts.prefer == "second" and text2 and looks_numeric(text2):
            cell.text = text2
    return disputed
