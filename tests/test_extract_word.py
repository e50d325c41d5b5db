"""Word reading (.docx directly; .odt/.doc through LibreOffice) into the Document model."""
from __future__ import annotations

import copy
import shutil
import unicodedata
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from extractors import Line, Table, read
from extractors import libreoffice

UNIT = "UBND XÃ HOÀNG XÁ"
NFD_LABEL = unicodedata.normalize("NFD", "Tỷ lệ hộ gia đình có kết nối Internet cáp quang")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXTBOX_XML = (
    f'<w:p xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict>'
    '<v:shape style="width:200pt;height:30pt"><v:textbox><w:txbxContent>'
    '<w:p><w:r><w:t>Số: 121/BC-UBND</w:t></w:r></w:p>'
    '</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')


def build_report_docx(path: Path) -> Path:
    d = DocxDocument()
    d.sections[0].header.paragraphs[0].text = UNIT
    d.element.body.insert(0, parse_xml(TEXTBOX_XML))
    title = d.add_paragraph()
    title.add_run("BÁO CÁO TỰ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ").bold = True
    note = d.add_paragraph()
    note.add_run("(Kèm theo Báo cáo số 121/BC-UBND)").italic = True
    t = d.add_table(rows=5, cols=4)
    t.style = "Table Grid"
    head = ["STT", "Tiêu chí", "Điểm", ""]
    for i, text in enumerate(head):
        t.cell(0, i).text = text
    t.cell(0, 2).merge(t.cell(0, 3))                      # gridSpan
    rows = [["1.1", "Thành lập Ban chỉ đạo", "30", "30"],
            ["", "Ban hành kế hoạch", "Có", "20"],
            ["2.1", NFD_LABEL, "85% x 10", "8,5"],
            ["2.2", "Hệ thống camera", "", "10"]]
    for r, vals in enumerate(rows, 1):
        for c, text in enumerate(vals):
            if text:
                t.cell(r, c).text = text
    t.cell(1, 0).merge(t.cell(2, 0))                      # vMerge
    inner = t.cell(4, 2).add_table(rows=2, cols=2)        # nested table
    for (r, c), text in {(0, 0): "a = 45", (0, 1): "b = 50", (1, 0): "Đạt", (1, 1): "90%"}.items():
        inner.cell(r, c).text = text
    d.add_paragraph("Kết luận: xã đạt mức khá.")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("Nơi nhận: UBND huyện Thanh Thủy")
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory) -> Path:
    return build_report_docx(tmp_path_factory.mktemp("word") / "baocao.docx")


@pytest.fixture(scope="module")
def doc(report_docx):
    return read(report_docx)


def _table(doc) -> Table:
    tables = list(doc.tables())
    assert len(tables) == 1
    return tables[0]


def _cell(table: Table, row: int, col: int):
    return next(c for c in table.rows[row] if c.col == col)


def test_header_and_textbox_come_first_on_page_one(doc):
    first = doc.pages[0].blocks[:2]
    assert [b.text for b in first] == [UNIT, "Số: 121/BC-UBND"]
    assert [b.style["source"] for b in first] == ["header", "textbox"]
    # the text box text is not repeated inside its anchoring body paragraph
    assert sum("121/BC-UBND" in ln.text for ln in doc.lines()) == 2  # text box + the italic note


def test_body_in_document_order_with_styles(doc):
    body = [b for b in doc.pages[0].blocks if not isinstance(b, Line) or b.style.get("source") == "body"]
    kinds = [("T" if isinstance(b, Table) else b.text[:8]) for b in body]
    assert kinds == ["BÁO CÁO ", "(Kèm the", "T", "Kết luận"]
    assert body[0].style["bold"] and not body[0].style["italic"]
    assert body[1].style["italic"] and not body[1].style["bold"]
    assert all(b.bbox is None and b.confidence == 1.0 for b in doc.lines())


def test_explicit_page_break_starts_page_two(doc):
    assert len(doc.pages) == 2
    assert [b.text for b in doc.pages[1].blocks] == ["Nơi nhận: UBND huyện Thanh Thủy"]
    assert doc.pages[1].blocks[0].page == 2


def test_merged_cells_given_once_with_spans(doc):
    t = _table(doc)
    header = t.rows[0]
    assert [(c.text, c.col, c.colspan) for c in header] == [("STT", 0, 1), ("Tiêu chí", 1, 1), ("Điểm", 2, 2)]
    merged = _cell(t, 1, 0)
    assert (merged.text, merged.rowspan) == ("1.1", 2)
    assert [c.col for c in t.rows[2]] == [1, 2, 3]       # the continuation is not repeated
    assert t.n_cols == 4 and len(t.rows) == 5


def test_nested_table_flattened_into_its_cell(doc):
    t = _table(doc)
    assert _cell(t, 4, 2).text.splitlines() == ["a = 45 | b = 50", "Đạt | 90%"]
    assert _cell(t, 4, 3).text == "10"


def test_decomposed_unicode_comes_out_nfc(doc):
    label = _cell(_table(doc), 3, 1).text
    assert label == unicodedata.normalize("NFC", NFD_LABEL)
    assert label != NFD_LABEL
    for text in [ln.text for ln in doc.lines()] + [c.text for r in _table(doc).rows for c in r]:
        assert unicodedata.is_normalized("NFC", text)


def test_type_from_content_not_extension(report_docx, tmp_path):
    renamed = tmp_path / "baocao.pdf"
    shutil.copy(report_docx, renamed)
    d = read(renamed)
    assert d.format == "docx" and d.path == str(renamed)
    assert len(d.sha256) == 64 and d.sha256 == read(report_docx).sha256


def test_docx_roundtrips_through_dict(doc):
    from extractors.document import Document
    again = Document.from_dict(copy.deepcopy(doc.to_dict()))
    assert again.text() == doc.text()
    assert _table(again).rows[0][2].colspan == 2


# ---- LibreOffice: .odt and .doc go through soffice, then word.py -------------

needs_soffice = pytest.mark.skipif(not libreoffice.is_available()[0], reason="LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def converted(report_docx, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("lo")
    odt = libreoffice.convert_many([report_docx], "odt", out)[0]
    doc = libreoffice.convert_many([report_docx], "doc", out)[0]
    return {"odt": odt, "doc": doc}


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("fmt", ["odt", "doc"])
def test_odt_and_doc_read_via_libreoffice(converted, fmt, tmp_path):
    src = tmp_path / "bao cao (ban cuoi).bin"  # odd name, no telling extension
    shutil.copy(converted[fmt], src)
    d = read(src)
    assert d.format == fmt and d.path == str(src)
    t = _table(d)
    assert _cell(t, 0, 2).text == "Điểm" and _cell(t, 0, 2).colspan == 2
    assert _cell(t, 1, 0).rowspan == 2
    assert _cell(t, 3, 1).text == unicodedata.normalize("NFC", NFD_LABEL)
    assert "Kết luận: xã đạt mức khá." in [ln.text for ln in d.lines()]
    assert UNIT in [ln.text for ln in d.lines()]


@needs_soffice
def test_libreoffice_timeout_kills_and_cleans(report_docx, tmp_path, monkeypatch):
    import tempfile
    from extractors.errors import ToolTimeout
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(ToolTimeout) as e:
        with libreoffice.convert(report_docx, "odt", timeout=0.05):
            pass
    assert "LibreOffice" in str(e.value)
    assert list(tmp_path.iterdir()) == []
