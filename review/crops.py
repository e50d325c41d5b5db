"""The source of a row: the page image cropped around its bbox, the cell outlined.

Only ids reach this module from a request (report id, row position); the file
comes from what the store recorded, and a candidate is used only when its
SHA-256 equals the stored report's, so no request can make us read another file.

Where the original is, is ``store.originals.original_path`` (``dti reprocess`` needs it too).
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from store.originals import original_path  # noqa: F401  (the page's route asks here)

PDF_FORMATS = ("pdf-text", "pdf-scanned")
IMAGE_FORMATS = ("image",)
def _page_image(path: Path, fmt: str | None, page: int, dpi: int) -> tuple[Image.Image, float]:
    """The page drawn at ``dpi``, and the scale from PDF points to its pixels.

    The extractors' own page sources are used, so points mean exactly what they
    meant when the bbox was measured (a photo's assumed dpi included)."""
    from extractors import render
    if fmt in PDF_FORMATS or path.suffix.lower() == ".pdf":
        src = render.pdf_page_sources(path, [page])[0]
    else:
        sources = render.image_file_sources(path)
        if not 1 <= page <= len(sources):
            raise ValueError("page out of range")
        src = sources[page - 1]
    im = src.render(dpi)
    scale = im.width / src.width_pt if src.width_pt else dpi / 72
    return im.convert("RGB"), scale


def crop_png(path: Path, fmt: str | None, page: int, bbox: list[float], dpi: int = 110,
             margin_pt: float = 36.0) -> bytes:
    """PNG bytes: the page around ``bbox`` (PDF points), the row outlined and tinted."""
    im, scale = _page_image(path, fmt, page, dpi)
    x0, y0, x1, y1 = (float(v) * scale for v in bbox)
    box = [max(0, min(x0, x1)), max(0, min(y0, y1)), min(im.width, max(x0, x1)), min(im.height, max(y0, y1))]
    overlay = Image.new("RGBA", im.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle(box, fill=(255, 200, 0, 60), outline=(220, 30, 30, 255), width=3)
    im = Image.alpha_composite(im.convert("RGBA"), overlay).convert("RGB")
    m = margin_pt * scale
    crop = im.crop((max(0, int(box[0] - m)), max(0, int(box[1] - m)),
                    min(im.width, int(box[2] + m)), min(im.height, int(box[3] + m))))
    buf = io.BytesIO()
    crop.save(buf, "PNG", optimize=True)
    return buf.getvalue()
