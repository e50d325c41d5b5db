"""Page images the OCR tests draw themselves (DejaVu fonts, ~300 dpi)."""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DPI = 300


def font(size_pt: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), int(round(size_pt * DPI / 72)))


def ruled_table(rows: list[list[str]], col_widths: list[int], size_pt: float = 11,
                row_h: int = 110, margin: int = 60, title: str | None = None,
                merge_first_row: bool = False) -> tuple[Image.Image, list[int], list[int]]:
    """A white page with a ruled table; returns the image and its x/y rule positions.
    ``merge_first_row`` draws the first row as one cell across all columns."""
    f = font(size_pt)
    top = margin + (120 if title else 0)
    xs = [margin]
    for w in col_widths:
        xs.append(xs[-1] + w)
    ys = [top + i * row_h for i in range(len(rows) + 1)]
    im = Image.new("L", (xs[-1] + margin, ys[-1] + margin), 255)
    d = ImageDraw.Draw(im)
    if title:
        d.text((margin, margin), title, font=font(size_pt, bold=True), fill=0)
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for i, x in enumerate(xs):
        inner = 0 < i < len(xs) - 1
        y0 = ys[1] if (merge_first_row and inner) else ys[0]
        d.line([(x, y0), (x, ys[-1])], fill=0, width=3)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                d.text((xs[c] + 20, ys[r] + (row_h - f.size) // 2 - 4), text, font=f, fill=0)
    im.info["dpi"] = (DPI, DPI)
    return im, xs, ys


def text_page(lines: list[str], size_pt: float = 12, width: int = 1800) -> Image.Image:
    f = font(size_pt)
    step = int(f.size * 1.8)
    im = Image.new("L", (width, 120 + step * len(lines) + 120), 255)
    d = ImageDraw.Draw(im)
    for i, ln in enumerate(lines):
        d.text((100, 120 + i * step), ln, font=f, fill=0)
    im.info["dpi"] = (DPI, DPI)
    return im


def scanned(im: Image.Image, paper: int = 225, noise: float = 10, specks: int = 0, seed: int = 1,
            keep_clear: list[tuple[int, int, int, int]] | None = None) -> Image.Image:
    """``im`` as a cheap scanner gives it back: grey paper, noisy pixels and lone
    specks of dust (2-3 px dots), none inside the ``keep_clear`` boxes."""
    import numpy as np
    rng = np.random.default_rng(seed)
    a = np.asarray(im.convert("L")).astype(np.float32)
    a = paper - (255 - a) * (paper / 255) + rng.normal(0, noise, a.shape)
    h, w = a.shape
    placed = 0
    while placed < specks:
        x, y = int(rng.integers(5, w - 5)), int(rng.integers(5, h - 5))
        if keep_clear and any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in keep_clear):
            continue
        r = int(rng.integers(2, 4))
        a[y:y + r, x:x + r] = 40
        placed += 1
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    out.info["dpi"] = (DPI, DPI)
    return out
