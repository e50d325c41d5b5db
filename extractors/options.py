"""How hard the readers may work on one file: limits and timeouts."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReadOptions:
    max_pages: int = 200             # pages read from a PDF; the rest are dropped with a warning
    max_file_mb: float = 100         # bigger files are refused (TooLarge)
    pdf_timeout: float = 180         # wall clock for parsing the PDF text layer (child process)
    pdf_memory_mb: int = 2048        # RLIMIT_AS of the PDF child process
    convert_timeout: float = 120     # LibreOffice .doc/.odt -> .docx
    # a zip (docx/odt) is refused beyond these: a zip bomb or not a report
    zip_max_entries: int = 2000
    zip_max_total_mb: float = 200
    zip_max_ratio: float = 200
    # a PDF page goes to OCR when its text layer has fewer usable characters
    # than this, or when most of it is garbage (unmapped glyphs)
    min_page_chars: int = 40
    max_garbage_ratio: float = 0.3
    ocr: object | None = None        # passed unchanged to extractors.ocr (its own options type)
    extra: dict = field(default_factory=dict)
