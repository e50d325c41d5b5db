"""Page images: PDF pages rendered by pdfium, photos and scans loaded by Pillow.

A ``PageSource`` can draw its page at any dpi, so the OCR step can ask again
at a higher resolution when the text turns out small.  pdfium is not
thread-safe: every call into it holds ``PDFIUM_LOCK``.
"""
from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image, ImageOps, ImageSequence

from extractors.errors import CorruptFile, EncryptedFile, TooLarge

MAX_PIXELS = 120_000_000           # ~ A3 at 600 dpi; anything bigger is a bomb or a mistake
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
PDFIUM_LOCK = threading.RLock()
A4_SHORT_INCH = 8.27


@dataclass
class PageSource:
    """One page that can be drawn at a requested dpi."""
    draw: Callable[[int], Image.Image]
    width_pt: float
    height_pt: float
    native_dpi: float | None = None     # pixels per inch of a photo/scan; None for PDF vector pages
    label: str = ""
    meta: dict = field(default_factory=dict)

    def render(self, dpi: int) -> Image.Image:
        return self.draw(dpi)


def _too_large(path, w, h) -> TooLarge:
    return TooLarge(path, f"Ảnh quá lớn ({w}x{h} điểm ảnh, tối đa {MAX_PIXELS // 1_000_000} triệu)",
                    f"Image too large ({w}x{h} pixels, limit {MAX_PIXELS // 1_000_000} MP)")


# ---- PDF -----------------------------------------------------------------

def _open_pdf(path: str | Path):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise EncryptedFile(path, detail=str(e)) from None
        raise CorruptFile(path, detail=str(e)) from None


def pdf_page_sources(path: str | Path, page_numbers: list[int] | None = None) -> list[PageSource]:
    """Sources for the 1-based ``page_numbers`` (all pages when None)."""
    with PDFIUM_LOCK:
        pdf = _open_pdf(path)
        n = len(pdf)
        numbers = page_numbers or list(range(1, n + 1))
        sizes = {}
        for no in numbers:
            if not 1 <= no <= n:
                raise CorruptFile(path, f"Tệp PDF không có trang {no}", f"The PDF has no page {no}")
            sizes[no] = pdf[no - 1].get_size()

    def drawer(no: int):
        def draw(dpi: int) -> Image.Image:
            w, h = sizes[no]
            if w * h * (dpi / 72) ** 2 > MAX_PIXELS:
                raise _too_large(path, int(w * dpi / 72), int(h * dpi / 72))
            with PDFIUM_LOCK:
                page = pdf[no - 1]
                try:
                    bitmap = page.render(scale=dpi / 72, grayscale=True)
                    return bitmap.to_pil().convert("L")
                finally:
                    page.close()
        return draw

    return [PageSource(drawer(no), float(sizes[no][0]), float(sizes[no][1]), None, f"{path}#{no}",
                       meta={"pdf": pdf, "page": no}) for no in numbers]


def page_image_dpi(src: PageSource) -> float | None:
    """The resolution of the one picture a PDF page is made of (a scanning app's or a phone's
    PDF), None when the page holds anything else.  Read there, a photographed page gives the
    same pixels as the photo file it was made from."""
    pdf, no = src.meta.get("pdf"), src.meta.get("page")
    if pdf is None or no is None:
        return None
    import pypdfium2.raw as raw
    with PDFIUM_LOCK:
        page = pdf[no - 1]
        try:
            imgs = [o for o in page.get_objects() if o.type == raw.FPDF_PAGEOBJ_IMAGE]
            if len(imgs) != 1:
                return None
            d = imgs[0].get_metadata().horizontal_dpi
        finally:
            page.close()
    return float(d) if 50 <= d <= 1200 else None


# ---- images ----------------------------------------------------------------

def _checked_open(path: str | Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLarge(path, "Ảnh quá lớn", "Image too large") from None
    except FileNotFoundError:
        raise
    except OSError as e:
        raise CorruptFile(path, "Tệp ảnh bị hỏng, không mở được", "The image file is damaged", detail=str(e)) from None
    if im.width * im.height > MAX_PIXELS:
        raise _too_large(path, im.width, im.height)
    return im


def image_dpi(im: Image.Image) -> float | None:
    dpi = im.info.get("dpi")
    try:
        d = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        d = 0.0
    return d if 50 <= d <= 2400 else None   # 72/96 "dpi" of phone photos is meaningless but harmless


def guess_dpi(w: int, h: int) -> float:
    """No usable dpi: assume the page is A4 across its short side."""
    return max(50.0, min(w, h) / A4_SHORT_INCH)


def image_source(im: Image.Image, label: str = "", sheet: np.ndarray | None = None) -> PageSource:
    """A source for an in-memory, already upright image.  ``sheet``: the sheet
    already cut out of ``im`` by the caller (a photographed PDF page, whose sheet
    ``ocr`` found to tell it a photo): finding it again cost a second detection."""
    if im.width * im.height > MAX_PIXELS:
        raise _too_large(label or "image", im.width, im.height)
    im = im.convert("L") if im.mode != "L" else im
    dpi = image_dpi(im)
    # a photo of a sheet on a desk: cut the sheet out of the background, undo
    # the perspective and size it as an A4 page.  Tried whatever dpi the file
    # states: phones and chat apps write 72, 96 or 220-240 "dpi" into photos,
    # which says nothing of the paper (a stated 220 dpi once kept the desk and
    # the slanted rules, and the grid lost a row in six).  A flatbed scan has
    # no sheet edge inside the picture and comes back unchanged.
    from extractors import imageprep
    flat = sheet if sheet is not None else imageprep.flatten_page(np.asarray(im))
    if flat is not None:
        im = Image.fromarray(flat)
        dpi = guess_dpi(*im.size)
    elif dpi is None or dpi < 100:
        dpi = guess_dpi(*im.size)

    def draw(target: int, _im=im, _dpi=dpi) -> Image.Image:
        f = target / _dpi
        if abs(f - 1) < 0.02:
            return _im
        return _im.resize((max(1, round(_im.width * f)), max(1, round(_im.height * f))), Image.LANCZOS)

    return PageSource(draw, im.width * 72 / dpi, im.height * 72 / dpi, dpi, label,
                      meta={"sheet_cut": flat is not None, "image": True})


def image_file_sources(path: str | Path) -> list[PageSource]:
    """One source per frame (multi-page TIFF), each turned upright by its EXIF tag."""
    im = _checked_open(path)
    out = []
    try:
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            try:
                fr = ImageOps.exif_transpose(frame.copy())
            except OSError as e:
                raise CorruptFile(path, "Tệp ảnh bị hỏng, không đọc hết được", "The image file is truncated",
                                  detail=str(e)) from None
            fr.info.setdefault("dpi", frame.info.get("dpi") or im.info.get("dpi"))
            out.append(image_source(fr, f"{path}#{i + 1}"))
    finally:
        im.close()
    return out


def as_source(obj, label: str = "") -> PageSource:
    """Accept a PageSource, a PIL image, a numpy array or a path to an image file."""
    if isinstance(obj, PageSource):
        return obj
    if isinstance(obj, Image.Image):
        return image_source(obj, label)
    if isinstance(obj, (str, Path)):
        srcs = image_file_sources(obj)
        return srcs[0]
    try:
        import numpy as np
        if isinstance(obj, np.ndarray):
            return image_source(Image.fromarray(obj), label)
    except ImportError:  # pragma: no cover
        pass
    raise TypeError(f"not an image: {type(obj).__name__}")
