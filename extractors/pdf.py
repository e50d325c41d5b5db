"""PDF -> Document: the text layer in a fenced child process, scans to OCR.

The child (``pdf_worker``) gets a wall-clock timeout and an address-space
limit (RLIMIT_AS): pdfminer on a hostile file can loop or allocate without
bound.  Pages without a usable text layer come back as a list and are read
by ``extractors.ocr.ocr_pdf_pages`` here in the parent (OCR manages its own
processes).  The format is ``pdf-scanned`` when most pages were OCR'd.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from .document import Document, Page
from .pdf_join import join_ocr_continuations
from .errors import CorruptFile, EncryptedFile, ToolMissing, ToolTimeout, UnsafeFile
from .options import ReadOptions
from extractors.procs import kill_group


# what running into RLIMIT_AS looks like from outside the child
_OUT_OF_MEMORY = ("MemoryError", "failed to map segment", "Cannot allocate memory", "bad_alloc")


def read_pdf(path: Path, sha256: str, options: ReadOptions) -> Document:
    result = _run_worker(path, options)
    doc = Document.from_dict(result["doc"])
    doc.path, doc.sha256 = str(path), sha256
    n_pages = result["n_pages"]
    if n_pages > options.max_pages:
        doc.warnings.append(f"Chỉ đọc {options.max_pages}/{n_pages} trang đầu / "
                            f"only the first {options.max_pages} of {n_pages} pages were read")
    doc.meta["pages_total"] = n_pages
    ocr_numbers = list(result["ocr_pages"])
    if ocr_numbers:
        _ocr_into(doc, path, ocr_numbers, options)
    read = len(doc.pages) or 1
    doc.format = "pdf-scanned" if len(ocr_numbers) * 2 > read else "pdf-text"
    doc.meta["ocr_pages"] = ocr_numbers
    return doc


def _ocr_into(doc: Document, path: Path, numbers: list[int], options: ReadOptions) -> None:
    try:
        from .ocr import ocr_pdf_pages
    except ImportError as e:
        if len(numbers) == len(doc.pages):
            raise ToolMissing(path, "Chưa có bộ nhận dạng chữ (OCR) để đọc bản PDF scan",
                              "The OCR reader for scanned PDFs is not available", detail=repr(e)) from None
        doc.warnings.append(f"Trang {numbers} là ảnh scan nhưng chưa có OCR / pages {numbers} are scans "
                            f"but OCR is not available")
        return
    ocr_pages: list[Page] = ocr_pdf_pages(str(path), numbers, options.ocr)
    by_number = {p.number: p for p in ocr_pages}
    doc.pages = [by_number.get(p.number, p) for p in doc.pages]
    order = join_ocr_continuations(doc.pages)
    if order:
        seq = ", ".join(map(str, order))
        doc.warnings.append(f"Các trang không theo thứ tự; đã đọc theo thứ tự mã chỉ số: trang {seq} / "
                            f"pages out of order; read in the order of their indicator codes: pages {seq}")


def _limit_memory(mb: int):
    def apply() -> None:
        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def _run_worker(path: Path, options: ReadOptions) -> dict:
    cmd = [sys.executable, "-m", "extractors.pdf_worker", str(path), str(options.max_pages),
           str(options.min_page_chars), str(options.max_garbage_ratio)]
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
           "OMP_THREAD_LIMIT": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=env, start_new_session=True,
                            preexec_fn=_limit_memory(options.pdf_memory_mb))
    try:
        out, err = proc.communicate(timeout=options.pdf_timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise ToolTimeout(path, f"Đọc tệp PDF quá {options.pdf_timeout:g} giây, đã dừng",
                          f"Reading the PDF took over {options.pdf_timeout:g} s and was stopped") from None
    finally:
        kill_group(proc)
    try:
        result = json.loads(out.decode("utf-8"))
    except ValueError:
        detail = err.decode("utf-8", "replace")[-800:]
        if proc.returncode and (any(m in detail for m in _OUT_OF_MEMORY)
                                or proc.returncode in (-signal.SIGKILL, -signal.SIGSEGV)):
            raise UnsafeFile(path, "Tệp PDF cần quá nhiều bộ nhớ để đọc, đã từ chối",
                             "The PDF needs too much memory to read; refused", detail=detail) from None
        raise CorruptFile(path, "Tệp PDF bị hỏng, không mở được", "The PDF is damaged", detail=detail) from None
    if result.get("ok"):
        return result
    kind, detail = result.get("error"), result.get("detail")
    if kind == "encrypted":
        raise EncryptedFile(path, "Tệp PDF có mật khẩu, không mở được", "PDF is password-protected", detail=detail)
    if kind == "memory":
        raise UnsafeFile(path, "Tệp PDF cần quá nhiều bộ nhớ để đọc, đã từ chối",
                         "The PDF needs too much memory to read; refused", detail=detail)
    raise CorruptFile(path, "Tệp PDF bị hỏng, không mở được", "The PDF is damaged", detail=detail)


