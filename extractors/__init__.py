"""extractors: any report file -> one ``Document`` (see document.py).

    from extractors import read
    doc = read("inbox/baocao.docx")

The type comes from the file's bytes, never its extension.  Refusals are
``extractors.errors.ExtractError`` subclasses with a one-line Vietnamese and
English message.
"""
from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from .document import Cell, Document, Line, Page, Table
from .errors import (CorruptFile, EmptyFile, EncryptedFile, ExtractError, ToolMissing,
                     ToolTimeout, TooLarge, UnsafeFile, UnsupportedType)
from .options import ReadOptions

__all__ = ["read", "ReadOptions", "Document", "Page", "Line", "Table", "Cell", "ExtractError",
           "EmptyFile", "CorruptFile", "EncryptedFile", "UnsupportedType", "TooLarge",
           "UnsafeFile", "ToolMissing", "ToolTimeout"]


def read(path: str | Path, options: ReadOptions | None = None) -> Document:
    from . import detect

    options = options or ReadOptions()
    p = Path(path)
    started = time.monotonic()
    kind = detect.sniff(p, options)
    sha = detect.sha256_file(p)
    if kind == "docx":
        doc = _read_word(p, sha, "docx")
    elif kind in ("doc", "odt"):
        doc = _read_via_libreoffice(p, sha, kind, options)
    elif kind == "docx-strict":     # LibreOffice reads Strict OOXML and writes the usual .docx
        doc = _read_via_libreoffice(p, sha, "docx", options)
        doc.meta["ooxml"] = "strict"
    elif kind == "pdf":
        from .pdf import read_pdf
        doc = read_pdf(p, sha, options)
    elif kind == "image":
        doc = _read_image(p, sha, options)
    else:
        doc = _read_text(p, sha)
    doc.path = str(path)
    doc.meta.setdefault("seconds", round(time.monotonic() - started, 3))
    return doc


def _read_word(p: Path, sha: str, fmt: str, shown: str | None = None) -> Document:
    from .word import read_docx
    try:
        return read_docx(p, sha, fmt, shown_path=shown)
    except ExtractError:
        raise
    except Exception as e:  # python-docx/lxml on a broken part
        raise CorruptFile(shown or p, "Tệp Word bị hỏng, không mở được", "The Word file is damaged",
                          detail=repr(e)) from None


def _read_via_libreoffice(p: Path, sha: str, kind: str, options: ReadOptions) -> Document:
    from . import libreoffice
    ok, missing = libreoffice.is_available()
    if not ok:
        raise ToolMissing(p, "Máy chưa cài LibreOffice nên không đọc được tệp .doc/.odt/Strict Open XML",
                          "LibreOffice is not installed, so .doc/.odt/Strict Open XML files cannot be read",
                          detail=missing)
    with libreoffice.convert(p, "docx", timeout=options.convert_timeout, input_suffix="." + kind) as out:
        from . import detect
        detect.check_zip(out, options)
        doc = _read_word(out, sha, kind, shown=str(p))
    doc.meta["converted_with"] = "libreoffice"
    return doc


def _read_image(p: Path, sha: str, options: ReadOptions) -> Document:
    from PIL import Image
    try:
        with Image.open(p) as im:
            im.verify()
            fmt = im.format
    except Image.DecompressionBombError:
        raise UnsafeFile(p, "Ảnh có kích thước quá lớn bất thường, đã từ chối",
                         "The image is abnormally large; refused") from None
    except Exception as e:
        raise CorruptFile(p, "Tệp ảnh bị hỏng, không mở được", "The image file is damaged",
                          detail=repr(e)) from None
    if fmt not in ("PNG", "JPEG", "TIFF", "MPO"):
        raise UnsupportedType(p)
    ocr_image_file = _ocr_entry("ocr_image_file", p)
    pages = ocr_image_file(str(p), options.ocr)
    return Document(path=str(p), sha256=sha, format="image", pages=list(pages),
                    meta={"image_format": fmt})


def _ocr_entry(name: str, p: Path):
    try:
        from . import ocr
        return getattr(ocr, name)
    except (ImportError, AttributeError) as e:
        raise ToolMissing(p, "Chưa có bộ nhận dạng chữ (OCR) để đọc bản quét/ảnh chụp",
                          "The OCR reader for scans/photos is not available", detail=repr(e)) from None


def _read_text(p: Path, sha: str) -> Document:
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "utf-16") if not raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-16",):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnsupportedType(p, "Tệp văn bản không theo mã Unicode (UTF-8), hãy lưu lại dạng UTF-8 hoặc .docx",
                              "The text file is not UTF-8; save it as UTF-8 or .docx")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    pages = []
    for n, chunk in enumerate(text.split("\f"), 1):  # form feed = page break in text exports
        lines = [Line(text=t.strip(), page=n) for t in chunk.split("\n") if t.strip()]
        pages.append(Page(number=n, blocks=list(lines)))
    return Document(path=str(p), sha256=sha, format="txt", pages=pages)
