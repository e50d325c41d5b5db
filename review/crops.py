"""The source of a row: the page image cropped around its bbox, the cell outlined.

Only ids reach this module from a request (report id, row position); the file
comes from what the store recorded, and a candidate is used only when its
SHA-256 equals the stored report's, so no request can make us read another file.

Where is the original?  The store does not (yet) record the archived path:
``reports.file_names`` hold the names relative to the inbox, ``runs.inbox`` the
inbox, and the pipeline moves each file to ``<inbox>/archive/YYYY-MM-DD/<name>``
(``name (2).ext`` when taken).  `original_path` is the one place that knows this.
"""
from __future__ import annotations

import io
import re
import threading
from pathlib import Path

from PIL import Image, ImageDraw

from extractors.detect import sha256_file as sha256_of  # the report's identity, one definition

PDF_FORMATS = ("pdf-text", "pdf-scanned")
IMAGE_FORMATS = ("image",)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_found: dict[tuple[int, str], Path] = {}
_lock = threading.Lock()


def _inside(root: Path, rel: str) -> Path | None:
    """root/rel when rel stays inside root (a stored name is data, never trusted as a path)."""
    if not rel or Path(rel).is_absolute() or ".." in Path(rel).parts:
        return None
    return root / rel


def _variants(path: Path) -> list[Path]:
    """The name and the `name (2).ext` forms the archive uses when a name is taken."""
    return [path] + [path.with_name(f"{path.stem} ({i}){path.suffix}") for i in range(2, 6)]


def _candidates(report: dict, archive_roots: list[Path]) -> list[Path]:
    names = [n for n in [*(report.get("file_names") or []), report.get("file_name"),
                         (report.get("original") or report.get("document") or {}).get("file")] if n]
    out: list[Path] = []
    for name in dict.fromkeys(names):
        p = Path(name)
        if p.is_absolute():
            out.append(p)         # a file processed in place (`dti extract`, tests): still hash-checked
        for root in archive_roots:
            if not root.is_dir():
                continue
            days = sorted((d for d in root.iterdir() if d.is_dir() and _DAY.match(d.name)), reverse=True)
            for day in days:
                base = _inside(day, name)
                if base is not None:
                    out.extend(_variants(base))
        if not p.is_absolute():
            out.append(p)         # relative to where the server runs
    return out


def archive_roots(report: dict, run_inbox: str | None, configured: list[Path]) -> list[Path]:
    roots = [Path(p) for p in configured]
    if run_inbox:
        roots.append(Path(run_inbox) / "archive")
    return roots


def original_path(report: dict, run_inbox: str | None = None, configured: list[Path] | None = None) -> Path | None:
    """The stored original of a report (``Store.get_report`` dict), or None when it cannot be found."""
    key = (int(report["id"]), report["sha256"])
    with _lock:
        hit = _found.get(key)
    if hit is not None and hit.is_file():
        return hit
    for cand in _candidates(report, archive_roots(report, run_inbox, configured or [])):
        try:
            if cand.is_file() and not cand.is_symlink() and sha256_of(cand) == report["sha256"]:
                with _lock:
                    _found[key] = cand
                return cand
        except OSError:
            continue
    return None


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
