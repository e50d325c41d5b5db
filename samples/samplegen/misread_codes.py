"""Printed codes as OCR misreads them, painted onto a report's page images.

The class (issue 19): a row whose STT the reader got wrong (``2.4`` read ``2.A``, ``3.1`` read
``31``, ``4.1`` read ``4.7``) or lost (a blank cell) is matched by its name alone.  The pages
are the clean report's, with the chosen rows' code cells painted over with paper and the
misreading typed in their place, so the truth stays the clean report's.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# a last digit as OCR takes it for a letter it resembles (the ones ``parse_code`` does not undo)
_LOOKALIKE = {"1": "J", "2": "Z", "3": "B", "4": "A", "5": "S", "6": "b", "7": "T", "8": "B", "9": "g", "0": "D"}
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def misread(code: str, how: str) -> str:
    """``code`` as misread: ``letter`` (2.4 → 2.A), ``nodot`` (3.1 → 31), ``digit`` (4.1 → 4.7:
    a code that contradicts the row's place), ``blank`` (nothing read)."""
    if how == "blank":
        return ""
    if how == "nodot":
        return code.replace(".", "")
    head, _, last = code.rpartition(".")
    if how == "letter":
        return f"{head}.{last[:-1]}{_LOOKALIKE[last[-1]]}" if head else _LOOKALIKE[last[-1]] + last[1:]
    d = str((int(last[-1]) + 6) % 10)          # another digit, as a smudged 1 reads 7
    return f"{head}.{last[:-1]}{d}" if head else d


def choose(codes: list[str], flagged: list[str], rng: np.random.Generator, n_other: int) -> dict[str, str]:
    """{code: misreading}: every flagged row's code, and ``n_other`` more, each misread a
    way drawn in turn (letter, no dot, digit, blank)."""
    pool = [c for c in codes if c not in flagged and "." in c]
    extra = list(rng.choice(pool, size=min(n_other, len(pool)), replace=False)) if pool else []
    ways = ["letter", "nodot", "digit", "blank"]
    start = int(rng.integers(len(ways)))
    chosen = [c for c in codes if c in flagged or c in extra]
    return {c: misread(c, ways[(start + k) % len(ways)]) for k, c in enumerate(chosen)}


def repaint(pdf: Path, pages: list[Image.Image], changes: dict[str, str], dpi: int,
            page_numbers: list[int] | None = None) -> list[Image.Image]:
    """The page images with each changed code's STT cell painted over and its misreading typed
    in; ``page_numbers``: the PDF pages the images show (1-based; default all, in order)."""
    import extractors
    f = dpi / 72
    numbers = page_numbers or list(range(1, len(pages) + 1))
    out = {n: im.copy() for n, im in zip(numbers, pages)}
    for t in extractors.read(pdf).tables():
        for row in t.rows:
            for c in row:
                code = c.text.strip().rstrip(".")
                if c.col != 0 or code not in changes or c.bbox is None:
                    continue
                im = out.get(c.page or t.page)
                if im is None:
                    continue
                x0, y0, x1, y1 = (v * f for v in c.bbox)
                draw = ImageDraw.Draw(im)
                # inside the cell's rules: the ruling stays as printed
                draw.rectangle([x0 + 3 * f, y0 + 3 * f, x1 - 3 * f, y1 - 3 * f], fill="white")
                text = changes[code]
                if text:
                    size = int(10 * f)
                    font = ImageFont.truetype(_FONT, size)
                    w = draw.textlength(text, font=font)
                    draw.text(((x0 + x1) / 2 - w / 2, y0 + 4 * f), text, fill="black", font=font)
    return [out[n] for n in numbers]
