"""Word -> PDF through LibreOffice, and PDF pages -> images through pdfium.

LibreOffice runs headless with its own throw-away profile so it neither
touches the user's profile nor collides with another soffice running on the
machine (a shared profile makes a second instance exit silently).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image


class ConvertError(RuntimeError):
    pass


def soffice_binary() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConvertError("LibreOffice (soffice) không có trên máy / soffice not found")


def to_pdf(docx_files: list[Path], out_dir: Path, timeout: float = 240) -> list[Path]:
    """Convert all files in one soffice run (start-up dominates the cost)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        cmd = [soffice_binary(), f"-env:UserInstallation=file://{prof}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir),
               *[str(p) for p in docx_files]]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    pdfs = [out_dir / (Path(p).stem + ".pdf") for p in docx_files]
    missing = [p for p in pdfs if not p.exists()]
    if proc.returncode != 0 or missing:
        raise ConvertError(f"soffice failed ({proc.returncode}): {proc.stderr.strip()} missing={missing}")
    return pdfs


def rasterise(pdf: Path, dpi: int, *, grayscale: bool = False, pages: list[int] | None = None) -> list[Image.Image]:
    """Render pages (0-based indices, default all) at ``dpi``."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        idx = range(len(doc)) if pages is None else pages
        out = []
        for i in idx:
            bitmap = doc[i].render(scale=dpi / 72, grayscale=grayscale)
            img = bitmap.to_pil()
            out.append(img.convert("L" if grayscale else "RGB"))
        return out
    finally:
        doc.close()
