"""A weak scan of a decision: the office copier at its worst — faint toner (low contrast), the
page fed crooked (2–3° of skew) and saved as a small JPEG.  Built on ``degrade.scan_page``."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

from . import degrade, render

WEAK = replace(degrade.ScanNoise(), min_angle=2.0, max_angle=3.0, jpeg_quality=35, grain_sigma=7.0)
INK = 0.55      # toner left: black prints as ~115 grey, before the paper tone darkens it further


def faint(img: Image.Image, ink: float = INK) -> Image.Image:
    a = np.asarray(img.convert("L"), dtype=np.float32)
    return Image.fromarray(np.clip(255.0 - (255.0 - a) * ink, 0, 255).astype(np.uint8), "L")


def weak_scan(pdf: Path, target: Path, seed: int) -> Path:
    """``pdf`` printed faint, scanned crooked, saved as a low-quality JPEG PDF at ``target``."""
    rng = np.random.default_rng(seed)
    pages = [degrade.scan_page(faint(p), rng, WEAK) for p in render.rasterise(pdf, WEAK.dpi, grayscale=True)]
    return degrade.images_to_pdf(pages, target, dpi=WEAK.dpi, quality=WEAK.jpeg_quality, title=target.stem)
