"""What a file really is, from its bytes, and whether it is safe to open.

Communes rename files freely (``baocao.pdf`` that is a Word file, a scan saved
as ``.doc``), so the extension is never trusted: the type comes from magic
bytes and, for zips, from the members inside.
"""
from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from .errors import (CorruptFile, EmptyFile, EncryptedFile, TooLarge, UnsafeFile,
                     UnsupportedType)
from .options import ReadOptions

ODT_MIME = b"application/vnd.oasis.opendocument.text"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sniff(path: Path, options: ReadOptions) -> str:
    """One of docx, docx-strict, odt, doc, pdf, image, txt; raises an ExtractError otherwise."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise CorruptFile(path, "Không tìm thấy tệp", "File not found") from None
    if size == 0:
        raise EmptyFile(path)
    if size > options.max_file_mb * 1024 * 1024:
        raise TooLarge(path, f"Tệp quá lớn ({size / 1048576:.0f} MB, tối đa {options.max_file_mb:g} MB)",
                       f"The file is too large ({size / 1048576:.0f} MB, limit {options.max_file_mb:g} MB)")
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head.strip(b" \t\r\n\x00"):
        raise EmptyFile(path)
    # PDF readers accept junk before the header, so do we (within 1 KiB)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path, options)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path)
    if head.startswith(_EXECUTABLE):
        raise UnsafeFile(path, "Tệp là chương trình chạy được, không phải báo cáo; đã từ chối",
                         "The file is an executable program, not a report; refused")
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith(b"{\\rtf"):
        raise UnsupportedType(path, "Tệp RTF chưa được hỗ trợ, hãy lưu lại dưới dạng .docx",
                              "RTF is not supported; save the file as .docx")
    if head.startswith(b"PK"):
        raise CorruptFile(path)
    if _looks_like_text(head):
        return "txt"
    raise UnsupportedType(path)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # a multi-byte character cut at the end of the 4 KiB sample is fine
        if e.start < len(head) - 4:
            return False
    return True


def _sniff_ole(path: Path) -> str:
    # Word 97-2003 keeps its text in a "WordDocument" stream; an encrypted
    # .docx is an OLE box holding "EncryptionInfo"; anything else (xls, ppt,
    # msg) is not a report we read.  Directory entry names are UTF-16LE.
    data = path.read_bytes()
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedFile(path, "Tệp Word có mật khẩu, không mở được", "The Word file is password-protected")
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    raise UnsupportedType(path, "Tệp Office không phải Word (Excel/PowerPoint?), chưa được hỗ trợ",
                          "An Office file that is not a Word document (Excel/PowerPoint?) is not supported")


def _sniff_zip(path: Path, options: ReadOptions) -> str:
    names = check_zip(path, options)
    with zipfile.ZipFile(path) as z:
        if "word/document.xml" in names:
            return "docx-strict" if _is_strict(z) else "docx"
        if "mimetype" in names and z.read("mimetype").strip() == ODT_MIME:
            return "odt"
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedType(path, "Tệp Excel chưa được hỗ trợ, hãy gửi báo cáo dạng Word hoặc PDF",
                              "Excel files are not supported; send the report as Word or PDF")
    raise UnsupportedType(path)


# "Strict Open XML" (a Save-As choice in Word): the same parts as a .docx, other namespaces,
# which python-docx does not know; the package relationships say which one it is
_STRICT = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


def _is_strict(z: zipfile.ZipFile) -> bool:
    try:
        with z.open("_rels/.rels") as f:
            return _STRICT in f.read(1 << 16)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False


def check_zip(path: Path, options: ReadOptions) -> set[str]:
    """Refuse zip bombs and XML with DTDs (entity expansion, external entities)
    before any library parses the file.  Returns the member names."""
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise CorruptFile(path, detail=str(e)) from None
    with z:
        infos = z.infolist()
        if len(infos) > options.zip_max_entries:
            raise UnsafeFile(path, f"Tệp nén có quá nhiều thành phần ({len(infos)}), đã từ chối",
                             f"The archive has too many entries ({len(infos)}); refused")
        total = sum(i.file_size for i in infos)
        if total > options.zip_max_total_mb * 1024 * 1024:
            raise UnsafeFile(path, "Tệp giải nén ra quá lớn (nghi tệp bom nén), đã từ chối",
                             "The file expands to an excessive size (suspected zip bomb); refused")
        for i in infos:
            if i.flag_bits & 0x1:
                raise EncryptedFile(path)
            ratio = i.file_size / max(i.compress_size, 1)
            if i.file_size > 1 << 16 and ratio > options.zip_max_ratio:
                raise UnsafeFile(path, "Tệp có thành phần nén bất thường (nghi tệp bom nén), đã từ chối",
                                 "The file has an abnormally compressed part (suspected zip bomb); refused")
        for i in infos:
            if i.filename.endswith((".xml", ".rels")) or i.filename == "content.xml":
                try:
                    if _has_dtd(z, i):
                        raise UnsafeFile(path, "Tệp chứa khai báo XML nguy hiểm (DOCTYPE/ENTITY), đã từ chối",
                                         "The file contains a dangerous XML declaration (DOCTYPE/ENTITY); refused")
                except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
                    raise CorruptFile(path, detail=str(e)) from None
        return {i.filename for i in infos}


def _has_dtd(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    # "<!" cannot occur in well-formed XML content outside a DTD, comment or
    # CDATA, so a plain scan (chunked, with overlap) is enough and cheap
    tail = b""
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            buf = tail + chunk
            if _DTD.search(buf) or _DTD.search(buf.replace(b"\x00", b"")):
                return True
            tail = buf[-32:]
    return False
