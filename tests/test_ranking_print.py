"""The ranking workbook as printed: LibreOffice renders it to PDF; A4 landscape, the table one page
wide with its header on every page, the chart whole on a page of its own, then the notes sheets.
(Before: 10 A4 portrait pages for 12 communes, the chart cut in half.)  The export fits the width."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from extractors.libreoffice import convert
from scoring import rank, write_ranking_xlsx
from test_scoring_batch import RULESET, unit

A4_LANDSCAPE = (842, 595)       # PDF points


def _pages(xlsx) -> list[tuple[tuple[int, int], str]]:
    with convert(xlsx, "pdf", timeout=180) as pdf_path:
        pdf = pdfium.PdfDocument(str(pdf_path))
        out = [(tuple(round(x) for x in page.get_size()), page.get_textpage().get_text_range())
               for page in pdf]
        pdf.close()
    return out


@pytest.mark.parametrize("n", [12, 60])
def test_ranking_prints_one_page_wide_landscape_with_the_chart_on_its_own_page(tmp_path, n):
    names = [f"UBND xã Thử Nghiệm {i:02d}" for i in range(1, n + 1)]
    table = rank([unit(name, amount=10 * i, onetouch=(100 * i, 8000), manual_claim=5 if i % 3 == 0 else None)
                  for i, name in enumerate(names, start=1)], RULESET)
    xlsx = write_ranking_xlsx(table, tmp_path / "xep-hang.xlsx",
                              versions=[(name, i, f"{i}.docx", "bản duy nhất") for i, name in enumerate(names, 1)])
    pages = _pages(xlsx)
    assert all(size == A4_LANDSCAPE for size, _ in pages)
    # the table: every commune on it; each of its pages one page wide (its last column, "Xếp hạng", on
    # it) and carrying the header rows; 12 communes on one page
    chart_at = next(i for i, (_, text) in enumerate(pages) if "Điểm theo chỉ số chính" in text)
    table_pages = [text for _, text in pages[:chart_at]]
    assert all(any(name in text for text in table_pages) for name in names)
    assert all("Tên đơn vị" in text and "Xếp hạng" in text and "BẢNG CÒN ĐIỂM TẠM TÍNH" in text for text in table_pages)
    assert len(table_pages) == 1 if n <= 25 else 1 < len(table_pages) <= n // 20 + 1
    # the chart: one page of its own, holding no table
    chart = [text for _, text in pages if "Điểm theo chỉ số chính" in text]
    assert len(chart) == 1 and "Tên đơn vị" not in chart[0]
    # then the notes (provisional points) and the versions counted, one page each for 12 communes
    rest = len(pages) - chart_at - 1
    assert rest == 2 if n <= 25 else 2 <= rest <= 2 + n // 25
    ws = load_workbook(xlsx)["Xếp hạng"]
    assert ws.print_title_rows.replace("$", "") == "1:2" and ws.page_setup.fitToWidth == 1


def test_export_fits_the_width(tmp_path):
    from outputs.exporting import write_xlsx
    from reviewkit import processed
    _data, doc = processed("hungson-2022.docx")
    wb = load_workbook(write_xlsx([doc], tmp_path / "bc.xlsx"))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows.replace("$", "") == "1:1"
