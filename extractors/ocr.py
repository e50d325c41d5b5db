"""Scanned PDF pages and photos -> Pages of the Document model, via tesseract.

Per page: draw it at the resolution it was captured at (a scan's or photo's
own pixels; ``dpi`` for a vector page); only if its capitals measure under
~30 px re-draw it larger (capitals ~34 px, at least ``dpi``, at most 450); contrast and
deskew; find ruling lines (levelling the page by them when they are still tilted) and erase them with the scanner's specks and the nicks
the rules leave (tesseract reads cells better without them); one tesseract
TSV call; rebuild tables and lines, marking cells with ink no word covers; a
re-read of weak text cells and a second read of numeric cells (one call each
at most).  A page whose first read is poor (rotated
scan, photo on its side) is turned by OSD, or by trying 90° steps on a small
copy when osd data is missing, and read again.  Pages run in parallel, one
tesseract per core (OMP_THREAD_LIMIT=1 in the child, see tesseract.py).
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from extractors import imageprep, ocr_grid, ocr_layout, ocr_profile, ocr_second, render, tesseract
from extractors.ocr_profile import step
from extractors.document import Line, Page, Table
from extractors.errors import ToolMissing
from extractors.ocr_second import SecondReadOptions, second_read
from settings.settings import current


def _cache_dir() -> str | None:
    folder = current().ocr_cache
    return str(folder) if folder else None


@dataclass
class OcrOptions:
    lang: str = "vie"
    dpi: int = 300
    max_dpi: int = 450
    min_cap_px: float = 30           # capitals under this many px: enlarge the page (to ~34 px)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout_per_page: float = 120
    cache_dir: str | None = field(default_factory=_cache_dir)
    second_read: bool = True
    second_read_doubtful_only: bool = True   # reread numeric cells the first read may have got wrong, not all
    retry_weak_cells: bool = True    # re-read short low-confidence cells (STT numbers) in one strip
    psm: int = 11                    # sparse text: measured better than 3 inside ruled cells, as good on prose
    deskew: bool = True
    square_table: bool = True        # perspective left after the sheet's edges undone by the table's outer rules
    fix_rotation: bool = True
    poor_conf: float = 75.0          # under this a page may be upside down (read so, vie gives ~50-57; upright ~90)
    osd_min_conf: float = 3.0        # below this OSD's answer is a guess: try the four turns instead
    binarise: bool = False           # tesseract's own Otsu is enough on scans; True helps uneven photos
    borderless_tables: bool = True
    image_dir: str | None = None     # keep the upright page image here (Page.image_path) for review crops
    profile: bool = False            # seconds per step in Page.ocr_stats["steps"] (dti bench extract --profile)


@dataclass
class _Read:
    blocks: list
    words: list
    gray: np.ndarray       # the cleaned image tesseract read
    mean_conf: float
    upright: np.ndarray | None = None   # the page as read, before cleaning
    rule_angle: float = 0.0


@dataclass
class CleanPage:
    grids: list
    clean: np.ndarray      # what tesseract reads: rules and specks painted with the paper's grey
    text_ink: np.ndarray   # 255 where the text's own ink is (no rules, no specks)
    gray: np.ndarray       # the page the boxes refer to (turned when its rules were tilted)
    rule_angle: float = 0.0


def clean_page(gray: np.ndarray, dpi: int, binarise: bool = False, level_rules: bool = True,
               min_angle: float = 0.25) -> CleanPage:
    """Ruled tables found, their rules and the scanner's specks erased.  The ink
    mask is computed once here and reused for everything.  Rules still tilted
    after the text deskew (``min_angle``+ degrees) are levelled first."""
    uneven = imageprep.uneven_light(gray)
    ink = imageprep.ink_mask(gray, uneven)
    hor, ver = ocr_grid.line_masks(ink)
    turned = 0.0
    angle = ocr_grid.rule_skew(hor) if level_rules else None
    if angle is not None and min_angle <= abs(angle) <= 5:
        gray = imageprep.rotate(gray, angle)
        ink = imageprep.ink_mask(gray, uneven)
        hor, ver = ocr_grid.line_masks(ink)
        turned = angle
    grids, rules = ocr_grid.detect_grids(ink, (hor, ver))
    # erase rules with the paper's own grey: pure white stripes on grey paper
    # read as edges and cost tesseract words next to them
    paper = int(np.median(gray[::4, ::4][ink[::4, ::4] == 0])) if ink.any() else 255
    gone = cv2.dilate(rules, np.ones((5, 5), np.uint8))
    # the text's own ink tells an empty cell from one whose lone "0" tesseract dropped
    text_ink = ink.copy()
    text_ink[gone > 0] = 0
    specks = imageprep.speckles(text_ink, dpi, rules=gone)
    text_ink[specks > 0] = 0
    gone |= specks
    clean = gray.copy()
    clean[gone > 0] = paper
    if binarise or uneven:
        clean = np.where(clean == 255, 255, imageprep.binarise(clean)).astype(np.uint8)
    return CleanPage(grids, clean, text_ink, gray, turned)


def _read(gray: np.ndarray, dpi: int, number: int, o: OcrOptions) -> _Read:
    with step("clean"):
        cp = clean_page(gray, dpi, o.binarise)
    with step("ocr"):
        words = tesseract.run_tsv(Image.fromarray(cp.clean), lang=o.lang, psm=o.psm, dpi=dpi,
                                  timeout=o.timeout_per_page, cache_dir=o.cache_dir, what=f"page {number}")
    with step("layout"):
        blocks = ocr_layout.build_blocks(words, cp.grids, number, cp.text_ink, borderless=o.borderless_tables,
                                         dpi=dpi)
    return _Read(blocks, words, cp.clean, _mean_conf(words), cp.gray, cp.rule_angle)


def _mean_conf(words) -> float:
    n = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / n if n else 0.0


def _upright_turn(gray: np.ndarray, o: OcrOptions) -> int:
    """Clockwise degrees that make the page upright: OSD, else best confidence of
    the four turns of a downscaled copy."""
    # OSD needs the text large: at 1800 px a 450-dpi page gave confidence ~1.5
    # and the wrong answer for an upside-down page; at 3000 px, 14-16 and right
    osd = tesseract.osd_rotation(Image.fromarray(imageprep.downscale(gray, 3000)), timeout=o.timeout_per_page)
    if osd is not None and osd[1] >= o.osd_min_conf:
        return osd[0]
    small = imageprep.downscale(gray, 1800)
    best, best_conf = 0, -1.0
    for turn in (0, 90, 180, 270):
        ws = tesseract.run_tsv(Image.fromarray(imageprep.rotate90(small, turn)), lang=o.lang, psm=o.psm,
                               timeout=o.timeout_per_page, cache_dir=o.cache_dir, what="rotation")
        c = _mean_conf(ws) * min(1.0, len(ws) / 20)
        if c > best_conf:
            best, best_conf = turn, c
    return best


def start_dpi(src: render.PageSource, o: OcrOptions) -> int:
    """The resolution a page is first drawn at: the one it was captured at (a scan's
    or photo's own pixels; a scanned PDF page's picture), ``o.dpi`` for a page
    drawn from vectors.  Drawing a 200-dpi scan at 300 gave tesseract 2.25 times
    the pixels and no letter it did not have; ``choose_dpi`` still enlarges a page
    whose capitals measure too small to read."""
    native = src.native_dpi if src.meta.get("image") else render.page_image_dpi(src)
    if not native:
        return o.dpi
    return int(min(o.max_dpi, max(100, round(native))))


def _enlarged(gray: np.ndarray, dpi: int, o: OcrOptions) -> int:
    """The dpi to draw the page at when its capitals are too small at ``dpi``: never
    under ``o.dpi`` then (a 200-dpi scan read at 275 lost 3 % of its confident cells
    against 300 on the sample scan's last page); ``dpi`` when they are big enough."""
    better = imageprep.choose_dpi(gray, dpi, o.min_cap_px, o.max_dpi)
    return max(better, o.dpi) if better > dpi else dpi


def _load(src: render.PageSource, o: OcrOptions, turn: int = 0) -> tuple[np.ndarray, int, bool, bool | None]:
    """The page upright by ``turn``, at its captured resolution or, when its capitals
    are too small to read there, enlarged; whether it is a photo (its sheet was cut out of the
    background); and whether its light is uneven (None when not known for the image returned)."""
    dpi = start_dpi(src, o)
    gray = imageprep.rotate90(imageprep.to_gray(src.render(dpi)), turn)
    cut = bool(src.meta.get("sheet_cut"))
    if not src.meta.get("image"):
        photo = _photo_page(src, gray, dpi, turn)
        if photo is not None:
            src, turn, cut = photo, 0, bool(photo.meta.get("sheet_cut"))     # the sheet is upright already
            dpi = start_dpi(photo, o)
            gray = imageprep.to_gray(photo.render(dpi))
    better = _enlarged(gray, dpi, o)
    if better > dpi:
        dpi = better
        gray = None      # the first render's memory back before the bigger one is drawn
        gray = imageprep.rotate90(imageprep.to_gray(src.render(dpi)), turn)
    uneven = imageprep.uneven_light(gray)
    if o.square_table and (cut or uneven):
        # photos only (a cut-out sheet, or a photo filling the frame, told by
        # its uneven light): a scan has no perspective, its tilt is the deskew's.
        # The light is levelled first: a shadow's edge across the sheet is a long
        # dark line the table's rules were fitted to (a page warped 5° off)
        if uneven:
            gray = imageprep.flatten_light(gray)
        gray, _ = imageprep.square_table(gray)
        uneven = None      # a new image: measured again by prepare
    return gray, dpi, cut, uneven


def _photo_page(src: render.PageSource, gray: np.ndarray, dpi: int, turn: int) -> render.PageSource | None:
    """A PDF page that is a phone photo (a scanning app's PDF, photos printed to PDF),
    told by its pixels (a sheet on a background): a source of its sheet cut out of the
    desk, read from here on as a photo file is (``render.image_source``: the sheet
    sized as A4; the page's own dpi measured the whole photo, desk included, and left
    the sheet's text too small for the grid and the reader).  None for any other page.
    Looked for on the page as first drawn, at its picture's own pixels, before any
    enlarging: the sheet is found once, on the pixels it is cut from (found again in
    ``image_source``, after an enlarged draw thrown away, it cost a tenth of a photo page)."""
    corners = imageprep.find_sheet(gray)
    if corners is None:
        return None
    native = render.page_image_dpi(src)
    if not native or dpi == round(native):
        sheet = gray        # drawn at the picture's own pixels already
    else:                   # a picture outside the dpi range drawn first
        sheet = imageprep.rotate90(imageprep.to_gray(src.render(round(native))), turn)
        corners = corners * np.float32(sheet.shape[0] / gray.shape[0])
    return render.image_source(Image.fromarray(sheet), src.label, sheet=imageprep.cut_sheet(sheet, corners))


def ocr_page(src: render.PageSource, number: int, o: OcrOptions) -> Page:
    with ocr_profile.page(o.profile) as rec:
        page = _ocr_page(src, number, o)
    if rec is not None:
        page.ocr_stats["steps"] = {k: round(v, 4) for k, v in rec.steps.items()}
        page.ocr_stats["seconds"] = round(rec.total, 4)
    return page


def _ocr_page(src: render.PageSource, number: int, o: OcrOptions) -> Page:
    t0 = time.perf_counter()
    with step("load"):
        gray, dpi, cut, uneven = _load(src, o)
    with step("prepare"):
        gray, angle = imageprep.prepare(gray, deskew=o.deskew, uneven=uneven)
    r = _read(gray, dpi, number, o)
    turn = 0
    if o.fix_rotation and (r.mean_conf < o.poor_conf or len(r.words) < 5):
        with step("orientation", whole=True):
            turn = _upright_turn(gray, o)
            if turn:
                # start again from the unrotated render: the skew and text size
                # measured on a page lying on its side mean nothing
                g2, dpi2, _, uneven2 = _load(src, o, turn)
                g2, angle2 = imageprep.prepare(g2, deskew=o.deskew, uneven=uneven2)
                r2 = _read(g2, dpi2, number, o)
                if r2.mean_conf > r.mean_conf:
                    r, gray, dpi, angle = r2, g2, dpi2, angle2
                else:
                    turn = 0
    disputed = 0
    # weak cells of numeric columns ride in the numeric second read's strip; only
    # the others (text columns) cost the vie retry call, and only when there are any
    with step("separators"):
        if o.second_read:
            ocr_second.mark_dropped_separators(ocr_second.numeric_cells(r.blocks),
                                               r.upright if r.upright is not None else r.gray, dpi)
        numeric = ocr_second.numeric_cells(r.blocks, doubtful_only=o.second_read_doubtful_only) \
            if o.second_read else []
    if o.retry_weak_cells:
        with step("retry-weak"):
            ocr_second.retry_weak(r.blocks, r.gray, dpi, o.lang, o.timeout_per_page, o.cache_dir,
                                  skip={id(c) for c in numeric})
    if o.second_read:
        with step("second-read"):
            disputed = second_read(r.blocks, r.gray, dpi,
                                   SecondReadOptions(timeout=o.timeout_per_page, cache_dir=o.cache_dir),
                                   cells_in=numeric)
    with step("finish"):
        page = _finish(r, src, gray, dpi, angle, number, o)
    # not a Page field: extractors.read may copy it into Document.meta
    page.ocr_stats = {"seconds": round(time.perf_counter() - t0, 3), "dpi": dpi, "skew": round(angle + r.rule_angle, 2),
                      "turn": turn, "mean_conf": round(r.mean_conf, 1), "disputed": disputed,
                      "sheet_cut": cut}
    return page


def _finish(r: _Read, src, gray, dpi: int, angle: float, number: int, o: OcrOptions) -> Page:
    quality = page_quality(r.blocks)
    ocr_layout.to_points(r.blocks, dpi)
    gray = r.upright if r.upright is not None else gray
    h, w = gray.shape
    page = Page(number=number, width=round(w * 72 / dpi, 2), height=round(h * 72 / dpi, 2),
                blocks=r.blocks, ocr=True, dpi=dpi, quality=quality)
    if o.image_dir:
        Path(o.image_dir).mkdir(parents=True, exist_ok=True)
        p = Path(o.image_dir) / f"page-{number:03d}.png"
        Image.fromarray(gray).save(p)
        page.image_path = str(p)
    # not a Page field: the page as its boxes refer to it, for a checksum re-read of a cell
    # (extractors.cell_reread); kept only while the report is processed.  PNG with Huffman
    # coding only: on a 300-dpi page 0.13 s and 3.3 MB against 0.18 s and 3.9 MB for
    # deflate level 1 (lossless either way; a tenth of a scanned page's own Python time)
    page.pixels = cv2.imencode(".png", gray, [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_STRATEGY,
                                              cv2.IMWRITE_PNG_STRATEGY_HUFFMAN_ONLY])[1].tobytes()
    return page


def page_quality(blocks: list, min_conf: float = 0.6) -> float | None:
    """Share of the page's table cells holding text (or ink) that were read with
    confidence: at least ``min_conf`` (the review threshold) and not disputed
    by the numeric second read.  A cell with ink but no text counts (as not
    read) unless the re-read filled it.  Without tables, the share of lines.
    None when the page has neither."""
    cells = [c for b in blocks if isinstance(b, Table) for r in b.rows for c in r
             if c.text.strip() or getattr(c, "ocr_missed", False)]
    if cells:
        good = sum(c.confidence >= min_conf and not c.disputed for c in cells)
        return round(good / len(cells), 3)
    lines = [b for b in blocks if isinstance(b, Line) and b.text.strip()]
    if lines:
        return round(sum(ln.confidence >= min_conf for ln in lines) / len(lines), 3)
    return None


def _check(o: OcrOptions) -> None:
    ok, msg = tesseract.is_available(o.lang)
    if not ok:
        vi, _, en = msg.partition(" / ")
        raise ToolMissing("tesseract", vi, en)


def ocr_sources(sources: list[render.PageSource], numbers: list[int], options: OcrOptions | None = None) -> list[Page]:
    o = options or OcrOptions()
    _check(o)
    if len(sources) <= 1 or o.jobs <= 1:
        return [ocr_page(s, n, o) for s, n in zip(sources, numbers)]
    # threads suffice: the work is in the tesseract child and in opencv/numpy,
    # which release the GIL; pdfium calls are serialised by render.PDFIUM_LOCK
    with ThreadPoolExecutor(max_workers=min(o.jobs, len(sources))) as ex:
        return list(ex.map(lambda sn: ocr_page(sn[0], sn[1], o), zip(sources, numbers)))


def ocr_pdf_pages(path: str | Path, page_numbers: list[int], options: OcrOptions | None = None) -> list[Page]:
    """OCR the given 1-based pages of a PDF (scanned pages)."""
    sources = render.pdf_page_sources(path, page_numbers)
    return ocr_sources(sources, list(page_numbers), options)


def ocr_image_file(path: str | Path, options: OcrOptions | None = None) -> list[Page]:
    """A photo or scan (PNG, JPEG, multi-page TIFF): one Page per frame, EXIF orientation honoured."""
    sources = render.image_file_sources(path)
    return ocr_sources(sources, list(range(1, len(sources) + 1)), options)


def ocr_images(images, first_page: int = 1, options: OcrOptions | None = None) -> list[Page]:
    """In-memory images (PIL, numpy) or image paths, numbered from ``first_page``."""
    sources = [render.as_source(im, f"image {i}") for i, im in enumerate(images)]
    return ocr_sources(sources, list(range(first_page, first_page + len(sources))), options)


def engine_meta(options: OcrOptions | None = None) -> dict:
    o = options or OcrOptions()
    return {"ocr_engine": "tesseract", "ocr_version": tesseract.version(), "ocr_lang": o.lang}
