"""Writing the office's Word documents (the giải trình letter, the approval decision) with python-docx:
Times New Roman throughout, fixed table widths, A4 pages, the two-column heading of a Vietnamese
administrative document (Nghị định 30/2020/NĐ-CP: issuing body | national motto)."""
from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

C, L, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def run(par, text: str, bold=False, italic=False, size=13, underline=False):
    r = par.add_run(text)
    r.bold, r.italic, r.underline = bold, italic, underline
    r.font.size = Pt(size)
    r.font.name = "Times New Roman"
    r._element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    return r


def para(container, text: str = "", align=L, **kw):
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(2)
    if text:
        run(p, text, **kw)
    return p


def widths(table, cm: tuple[float, ...]) -> None:
    """Fixed column widths; Word reads the cells', LibreOffice the grid's, so set both."""
    table.autofit = False
    for col, w in zip(table.columns, cm):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, cm):
            cell.width = Cm(w)


def first(cell, text: str, align, **kw):
    """Write into a table cell's own first paragraph (a new cell already has one, empty)."""
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(2)
    run(p, text, **kw)
    return p


def cell_text(cell, text: str, bold=False, align=L, size=11):
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    run(p, text, bold=bold, size=size)


def times(doc, size: int = 13) -> None:
    """Times New Roman for everything not written through ``run`` (page breaks, empty cells)."""
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(size)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")


def a4(section, landscape: bool = False) -> None:
    """A4 with the margins of an administrative document (left 3 cm, others 2 cm)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.left_margin, section.right_margin = (Cm(2), Cm(2)) if landscape else (Cm(3), Cm(2))
    section.top_margin = section.bottom_margin = Cm(2)


def heading(doc, body_lines: list[tuple[str, bool]], number: str, dated: str, subject: str | None = None,
            cm: tuple[float, float] = (6.2, 9.8)):
    """The two-column heading: issuing body (lines, bold or not), its number and subject | the motto and
    the place and date."""
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    widths(head, cm)
    for i, (text, bold) in enumerate(body_lines):
        (first if i == 0 else para)(left, text, C, bold=bold, size=13 if bold else 12)
    para(left, number, C, size=13)
    if subject:
        para(left, subject, C, italic=True, size=12)
    first(right, MOTTO[0], C, bold=True, size=12)
    para(right, MOTTO[1], C, bold=True, underline=True, size=13)
    para(right, dated, C, italic=True, size=13)
    return head
