"""Small python-docx helpers shared by the sample builders.

Vietnamese administrative reports are Times New Roman 13 on A4 with wide left
margins; tables use the plain grid style.  Saving normalises the zip (fixed
timestamps, fixed core properties) so the same input gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
ZIP_TIME = (2022, 11, 15, 8, 0, 0)


@dataclass(frozen=True)
class PageSetup:
    landscape: bool = False
    font: str = "Times New Roman"
    size: float = 13
    left_cm: float = 3.0
    right_cm: float = 1.5
    top_cm: float = 2.0
    bottom_cm: float = 2.0


@dataclass(frozen=True)
class Meta:
    author: str
    title: str
    date: dt.datetime


def new_document(setup: PageSetup, meta: Meta):
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = setup.font
    normal.font.size = Pt(setup.size)
    # Word picks the East-Asian font slot for some Vietnamese runs; pin it too.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), setup.font)
    normal.paragraph_format.space_after = Pt(3)
    sec = doc.sections[0]
    w, h = Cm(21.0), Cm(29.7)
    if setup.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        w, h = h, w
    sec.page_width, sec.page_height = w, h
    sec.left_margin, sec.right_margin = Cm(setup.left_cm), Cm(setup.right_cm)
    sec.top_margin, sec.bottom_margin = Cm(setup.top_cm), Cm(setup.bottom_cm)
    cp = doc.core_properties
    cp.author = cp.last_modified_by = meta.author
    cp.title = meta.title
    cp.created = cp.modified = cp.last_printed = meta.date
    cp.revision = 1
    cp.comments = ""
    return doc


def para(doc_or_cell, text: str = "", *, bold=False, italic=False, align="left",
         size: float | None = None, style: str | None = None, space_after: float | None = None):
    p = doc_or_cell.add_paragraph(style=style) if style else doc_or_cell.add_paragraph()
    if text:
        add_runs(p, text, bold=bold, italic=italic, size=size)
    p.alignment = ALIGN[align]
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def add_runs(p, text: str, *, bold=False, italic=False, size: float | None = None):
    """Add text; ``**x**`` spans inside it are bold (as a typist would mark a figure)."""
    parts = text.split("**")
    for i, part in enumerate(parts):
        if not part:
            continue
        r = p.add_run(part)
        r.bold = bold or (i % 2 == 1)
        r.italic = italic or None
        if size:
            r.font.size = Pt(size)
    return p


def set_cell(cell, text: str, *, bold=False, italic=False, align="left", size: float | None = None):
    """Replace the cell's text; newlines become separate paragraphs."""
    lines = text.split("\n")
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.alignment = ALIGN[align]
        if line:
            add_runs(p, line, bold=bold, italic=italic, size=size)


def grid_table(doc, widths_cm: list[float], *, style="Table Grid"):
    table = doc.add_table(rows=0, cols=len(widths_cm))
    table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    return table


def add_row(table, widths_cm: list[float]):
    row = table.add_row()
    for cell, w in zip(row.cells, widths_cm):
        cell.width = Cm(w)
    return row


def repeat_header(row) -> None:
    """Mark a row as the table header Word repeats at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "nil")
        borders.append(b)
    tbl_pr.append(borders)


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def save(doc, path: Path) -> Path:
    """Save with fixed zip timestamps so rebuilding gives identical bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return path
