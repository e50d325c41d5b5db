"""PDF reading: ruled and aligned tables, tables joined across pages, lines
with bboxes in reading order, the fenced child process, the hand-off to OCR.
PDFs are made from Word files by LibreOffice once per session."""
from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.shared import Pt

from extractors import Line, ReadOptions, read
from extractors import libreoffice
from extractors.errors import ToolTimeout, UnsafeFile

pytestmark = pytest.mark.skipif(not libreoffice.is_available()[0], reason="LibreOffice (soffice) not installed")

N_ROWS = 70
PILLARS = ["Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng",
           "Hoạt động chính quyền số", "Hoạt động kinh tế số"]


def _row_values(i: int) -> list[str]:
    pillar = PILLARS[i % len(PILLARS)]
    return [f"{i // 10 + 1}.{i % 10 + 1}", f"Tỷ lệ hồ sơ {pillar.lower()} số {i}", f"{50 + i % 50}%", f"{i % 20},5"]


def _long_table_docx(path: Path) -> None:
    d = DocxDocument()
    d.add_paragraph("UBND XÃ TRUNG MINH")
    d.add_paragraph("BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHUYỂN ĐỔI SỐ")
    t = d.add_table(rows=2 + N_ROWS, cols=4)
    t.style = "Table Grid"
    for c, text in enumerate(["STT", "Tiêu chí", "Điểm", ""]):
        t.cell(0, c).text = text
    t.cell(0, 2).merge(t.cell(0, 3))
    for c, text in enumerate(["", "", "Tỷ lệ", "Điểm tự chấm"]):
        if text:
            t.cell(1, c).text = text
    t.cell(0, 0).merge(t.cell(1, 0))
    t.cell(0, 1).merge(t.cell(1, 1))
    for r in (0, 1):  # repeat both header rows on every page, as reports do
        tr_pr = t.rows[r]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
    for i in range(N_ROWS):
        for c, text in enumerate(_row_values(i)):
            t.cell(2 + i, c).text = text
    d.add_paragraph("Tổng điểm tự chấm: 645,5 điểm")
    d.save(str(path))


def _aligned_table_docx(path: Path) -> None:
    # a table without any borders: only the text alignment shows the columns
    d = DocxDocument()
    d.add_paragraph("Kết quả các chỉ tiêu của xã như sau:")
    t = d.add_table(rows=6, cols=4)
    data = [["STT", "Chỉ tiêu", "Kết quả", "Điểm"]] + [
        [str(i), f"Chỉ tiêu số {i}", f"{60 + i}%", f"{i}0"] for i in range(1, 6)]
    for r, vals in enumerate(data):
        for c, text in enumerate(vals):
            t.cell(r, c).text = text
    d.add_paragraph("Ủy ban nhân dân xã báo cáo để Phòng Văn hóa và Thông tin huyện tổng hợp.")
    d.save(str(path))


def _prose_docx(path: Path) -> None:
    d = DocxDocument()
    for k in range(12):
        p = d.add_paragraph(
            f"Tiêu chí {k + 1}: xã đã triển khai đầy đủ các nhiệm vụ chuyển đổi số, tỷ lệ cán bộ công chức "
            f"sử dụng thư điện tử đạt {80 + k}%, các thôn xóm đều có tổ công nghệ số cộng đồng hoạt động.")
        p.paragraph_format.alignment = 3  # justified: the worst case for text alignment
        p.runs[0].font.size = Pt(13)
    d.save(str(path))


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    src = tmp_path_factory.mktemp("pdf-src")
    makers = {"long": _long_table_docx, "aligned": _aligned_table_docx, "prose": _prose_docx}
    docs = []
    for name, make in makers.items():
        make(src / f"{name}.docx")
        docs.append(src / f"{name}.docx")
    out = libreoffice.convert_many(docs, "pdf", tmp_path_factory.mktemp("pdf"))  # one soffice start
    return {p.stem: p for p in out}


@pytest.fixture(scope="session")
def long_doc(pdfs):
    return read(pdfs["long"])


def _cell(row, col):
    return next(c for c in row if c.col == col)


@pytest.mark.slow
def test_table_over_pages_is_joined_once(long_doc):
    assert long_doc.format == "pdf-text" and len(long_doc.pages) >= 2
    tables = list(long_doc.tables())
    assert len(tables) == 1
    t = tables[0]
    assert t.pages == list(range(1, len(long_doc.pages) + 1))
    assert len(t.rows) == 2 + N_ROWS                       # repeated header rows dropped
    codes = [_cell(r, 0).text for r in t.rows[2:]]
    assert codes == [_row_values(i)[0] for i in range(N_ROWS)]
    assert {c.page for c in t.rows[-1]} == {len(long_doc.pages)}


@pytest.mark.slow
def test_merged_cells_in_pdf_table(long_doc):
    t = next(long_doc.tables())
    head = t.rows[0]
    diem = next(c for c in head if c.text == "Điểm")
    assert (diem.col, diem.colspan) == (2, 2)
    stt = _cell(head, 0)
    assert (stt.text, stt.rowspan) == ("STT", 2)
    assert [c.text for c in t.rows[1] if c.text] == ["Tỷ lệ", "Điểm tự chấm"]
    assert t.n_cols == 4


@pytest.mark.slow
def test_vietnamese_text_intact_and_nfc(long_doc):
    t = next(long_doc.tables())
    for i in (0, 33, N_ROWS - 1):
        cells = sorted(t.rows[2 + i], key=lambda c: c.col)
        assert [" ".join(c.text.split()) for c in cells] == _row_values(i)  # wrapped lines keep "\n"
    for text in [ln.text for ln in long_doc.lines()] + [c.text for r in t.rows for c in r]:
        assert unicodedata.is_normalized("NFC", text)


@pytest.mark.slow
def test_lines_have_bboxes_and_reading_order(long_doc):
    first = long_doc.pages[0]
    texts = [b.text if isinstance(b, Line) else "<table>" for b in first.blocks]
    assert texts[:3] == ["UBND XÃ TRUNG MINH", "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHUYỂN ĐỔI SỐ", "<table>"]
    title = first.blocks[0]
    x0, top, x1, bottom = title.bbox
    assert 0 < x0 < x1 < first.width and 0 < top < bottom < first.height / 4  # top-based points
    last_page = long_doc.pages[-1]
    assert [b.text for b in last_page.blocks if isinstance(b, Line)][-1] == "Tổng điểm tự chấm: 645,5 điểm"
    t = next(long_doc.tables())
    assert t.bbox[1] > bottom                              # table below the title


@pytest.mark.slow
def test_borderless_table_found_by_alignment(pdfs):
    d = read(pdfs["aligned"])
    tables = list(d.tables())
    assert len(tables) == 1
    rows = [[c.text for c in r] for r in tables[0].rows]
    assert rows[0] == ["STT", "Chỉ tiêu", "Kết quả", "Điểm"]
    assert rows[-1] == ["5", "Chỉ tiêu số 5", "65%", "50"]
    lines = [ln.text for ln in d.lines()]
    assert lines[0] == "Kết quả các chỉ tiêu của xã như sau:"
    assert lines[-1].startswith("Ủy ban nhân dân xã báo cáo")


@pytest.mark.slow
def test_justified_prose_is_not_a_table(pdfs):
    d = read(pdfs["prose"])
    assert list(d.tables()) == []
    text = " ".join(ln.text for ln in d.lines())
    assert "tỷ lệ cán bộ công chức" in text and "đạt 91%" in text


@pytest.mark.slow
def test_pdf_detected_by_content(pdfs, tmp_path):
    renamed = tmp_path / "baocao.docx"
    shutil.copy(pdfs["aligned"], renamed)
    assert read(renamed).format == "pdf-text"


@pytest.mark.slow
def test_child_timeout_and_memory_limit(pdfs, tmp_path, monkeypatch):
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(ToolTimeout):
        read(pdfs["long"], ReadOptions(pdf_timeout=0.05))
    with pytest.raises(UnsafeFile):
        read(pdfs["long"], ReadOptions(pdf_memory_mb=40))
    assert list(tmp_path.iterdir()) == []


def _image_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw
    im = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(im).rectangle((100, 100, 700, 160), outline="black", width=3)
    im.save(path, "PDF", resolution=100)
    return path


def test_scanned_pages_go_to_ocr(tmp_path, monkeypatch):
    """The code path: pages without a text layer are handed to ocr_pdf_pages."""
    from extractors import ocr
    from extractors.document import Page
    calls = []

    def fake(path, page_numbers, options=None):
        calls.append((path, list(page_numbers)))
        return [Page(number=n, ocr=True, blocks=[Line(text="BÁO CÁO", page=n, confidence=0.9)])
                for n in page_numbers]

    monkeypatch.setattr(ocr, "ocr_pdf_pages", fake)
    src = _image_pdf(tmp_path / "scan.pdf")
    d = read(src)
    assert calls == [(str(src), [1])]
    assert d.format == "pdf-scanned" and d.pages[0].ocr
    assert [ln.text for ln in d.lines()] == ["BÁO CÁO"]


def test_images_go_to_ocr(tmp_path, monkeypatch):
    from PIL import Image
    from extractors import ocr
    from extractors.document import Page
    calls = []
    monkeypatch.setattr(ocr, "ocr_image_file",
                        lambda path, options=None: calls.append(path) or [Page(number=1, ocr=True)])
    for ext, fmt in (("png", "PNG"), ("jpg", "JPEG"), ("tif", "TIFF")):
        p = tmp_path / f"anh.{ext}"
        Image.new("RGB", (60, 40), "white").save(p, fmt)
        renamed = p.with_suffix(".pdf")  # the extension lies; the bytes decide
        p.rename(renamed)
        assert read(renamed).format == "image"
    assert len(calls) == 3
