"""The Document model: what every extractor returns, whatever the file was.

A Document is a list of pages; each page holds its blocks in reading order,
each block either a ``Line`` of text or a ``Table`` (rows of ``Cell``).  Every
element carries where it was found (page, bbox in PDF points, or None for Word
files) and how sure the reading is (1.0 for digital text, tesseract's word
confidence, averaged, for OCR).  All text is Unicode NFC.

Matchers read only this model; they never open files.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterator, Union

BBox = tuple[float, float, float, float]  # x0, y0 (top), x1, y1 (bottom), PDF points


@dataclass
class Line:
    text: str
    page: int                      # 1-based
    bbox: BBox | None = None
    confidence: float = 1.0
    style: dict = field(default_factory=dict)  # bold/italic/size where known (Word, PDF)
    kind: str = "line"


@dataclass
class Cell:
    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    col: int = 0                   # grid column where the cell starts
    colspan: int = 1
    rowspan: int = 1
    page: int | None = None        # for tables joined across pages
    # a second independent read of a numeric cell disagreed with the first
    # (OCR only); matchers lower the row's confidence when True
    disputed: bool = False


@dataclass
class Table:
    rows: list[list[Cell]]
    page: int                      # page where the table starts
    bbox: BBox | None = None
    pages: list[int] = field(default_factory=list)  # every page it spans
    kind: str = "table"

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for r in self.rows for c in r), default=0)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in r] for r in self.rows]


Block = Union[Line, Table]


@dataclass
class Page:
    number: int                    # 1-based
    width: float | None = None     # points; None for Word files
    height: float | None = None
    blocks: list[Block] = field(default_factory=list)
    ocr: bool = False              # text came from OCR
    dpi: int | None = None         # render dpi where OCR'd
    image_path: str | None = None  # cached page image for review crops, if kept
    # OCR pages: the share (0..1) of the page's table cells with text that were
    # read with confidence (>= 0.6, not disputed by the second read; a cell with
    # ink and no text counts as not read); lines stand in on a page without tables.  None where the text
    # came from a text layer or a Word file (nothing to doubt) or the page has
    # no text.  A low value means the page as a whole was read badly.
    quality: float | None = None


@dataclass
class Document:
    path: str
    sha256: str
    format: str                    # docx, doc, odt, pdf-text, pdf-scanned, image, txt
    pages: list[Page] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # timings, ocr engine/version, source of header text

    def blocks(self) -> Iterator[Block]:
        for p in self.pages:
            yield from p.blocks

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks() if isinstance(b, Table))

    def lines(self) -> Iterator[Line]:
        return (b for b in self.blocks() if isinstance(b, Line))

    def text(self) -> str:
        out: list[str] = []
        for b in self.blocks():
            if isinstance(b, Line):
                out.append(b.text)
            else:
                out.extend(" | ".join(c.text for c in r) for r in b.rows)
        return "\n".join(out)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        pages = []
        for p in d.get("pages", []):
            blocks: list[Block] = []
            for b in p.get("blocks", []):
                if b.get("kind") == "table":
                    rows = [[Cell(**{**c, "bbox": _bb(c.get("bbox"))}) for c in r] for r in b["rows"]]
                    blocks.append(Table(rows=rows, page=b["page"], bbox=_bb(b.get("bbox")),
                                        pages=list(b.get("pages", []))))
                else:
                    blocks.append(Line(**{**b, "bbox": _bb(b.get("bbox"))}))
            pages.append(Page(**{**p, "blocks": blocks}))
        return cls(path=d["path"], sha256=d["sha256"], format=d["format"], pages=pages,
                   warnings=list(d.get("warnings", [])), meta=dict(d.get("meta", {})))


def _bb(v) -> BBox | None:
    return tuple(v) if v is not None else None  # type: ignore[return-value]
