"""`dti rulesets import` on the layouts added last to samples/samplegen/decision_layouts.py (``NEW``),
each measured blind before the importer learnt from it: a table with no header row at all, a
landscape annex flowing over pages with its header on the first only, the maximum written
"Điểm tối đa 20" as the method's first line with "NAME: 90 điểm" pillar rows — as Word, text PDF
and weak scans (faint, 2–3° skew, JPEG 35; OCR cached in tests/ocr_cache).  Plus the table-level
readings they needed: column roles from the cells, a sub-group whose numeral OCR lost."""
from __future__ import annotations

from pathlib import Path

import pytest

from settings import settings
from commands.cli import main
from rulesets import load, load_file
from decision_import.diff import diff
from samples.samplegen import decision_layouts as L
from test_rulesets_import import _user_dir  # noqa: F401  (autouse: a throwaway user rulesets folder)

NEW = {lay.name: (lay, rid) for lay, rid in L.NEW}
CACHE = Path(__file__).resolve().parent / "ocr_cache"


@pytest.fixture(scope="module")
def decisions(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("unseen")
    return {name: L.write(load(rid), d / f"{name}.docx", lay) for name, (lay, rid) in NEW.items()}


def _import(path: Path, out: Path, capsys) -> tuple[object, str]:
    capsys.readouterr()
    assert main(["rulesets", "import", str(path), "--out", str(out)]) == 0
    drafts = sorted(out.glob("*.yaml"))
    assert len(drafts) == 1, drafts
    return load_file(drafts[0]), capsys.readouterr().out


def _every_code_and_maximum(rid: str, new) -> None:
    d = diff(load(rid), new)
    f = d.figures()
    assert f["codes_pct"] == 100 and f["maxima_pct"] == 100 and d.codes_extra == 0, d.lines
    assert not d.rules_wrong, d.lines


@pytest.mark.parametrize("name", list(NEW))
def test_every_code_and_maximum_of_a_word_decision(decisions, tmp_path, capsys, name):
    new, out = _import(decisions[name], tmp_path / "d", capsys)
    _every_code_and_maximum(NEW[name][1], new)
    assert "0 dòng cần người xếp" in out
    if name == "no-header":         # the summary's notes say the columns were read from their cells
        assert any("không có dòng tiêu đề" in n for n in new.notes), new.notes


def test_text_pdfs_of_the_layouts(decisions, tmp_path, capsys):
    from samples.samplegen.render import to_pdf
    pdfs = to_pdf(list(decisions.values()), tmp_path / "pdf")
    for pdf, (lay, rid) in zip(pdfs, NEW.values()):
        new, _ = _import(pdf, tmp_path / pdf.stem, capsys)
        _every_code_and_maximum(rid, new)


@pytest.mark.parametrize("name, least", [("no-header", 1.0), ("method-toida", 0.95)])
def test_a_weak_scan(decisions, tmp_path, capsys, monkeypatch, name, least):
    """Faint, crooked, JPEG 35: every code, and maxima to at least ``least``; where a maximum
    stays unread (a unit OCR lost), nothing is invented for it."""
    from samples.samplegen.render import to_pdf
    from samples.samplegen.scan_weak import weak_scan
    monkeypatch.setenv("DTI_OCR_CACHE", str(CACHE))
    settings.reload()
    pdf = to_pdf([decisions[name]], tmp_path / "pdf")[0]
    scan = weak_scan(pdf, tmp_path / f"{name}-weak-scan.pdf", 2023_1153)
    new, out = _import(scan, tmp_path / "d", capsys)
    d = diff(load(NEW[name][1]), new)
    assert d.codes_same == d.codes_old and d.codes_extra == 0, d.lines
    assert d.figures()["maxima_pct"] >= 100 * least and not d.rules_wrong, d.lines
    assert "tìm thấy" in out


def _table(*rows, header=None):
    from extractors.document import Cell, Table
    body = [[Cell(text=c, col=n) for n, c in enumerate(r)] for r in rows]
    return Table(rows=([[Cell(text=c, col=n) for n, c in enumerate(header)]] if header else []) + body, page=1)


def test_column_roles_from_what_the_cells_hold():
    from decision_import.annex_columns import infer_roles
    t = _table(("1", "NHẬN THỨC SỐ", "100", "", ""),
               ("1.1", "Ban chỉ đạo", "30", "Có: Điểm tối đa; Không: 0 điểm", "Văn bản, quyết định"),
               ("1.2", "Kế hoạch", "40", "Tỷ lệ = a/b", "Báo cáo số liệu"),
               ("1.3", "Chuyên mục", "30", "Đạt: Điểm tối đa", "Văn bản chứng minh"))
    assert infer_roles(t.rows, 5) == {0: "code", 1: "name", 2: "max", 3: "method", 4: "evidence"}
    # method before the name, no points column
    t = _table(("1.1", "Có: Điểm tối đa; Không: 0 điểm", "Ban chỉ đạo (20đ)"),
               ("1.2", "Tỷ lệ = a/b, tối đa", "Kế hoạch (10đ)"), ("1.3", "Đạt: 10 điểm", "Chuyên mục (10đ)"))
    assert infer_roles(t.rows, 3) == {0: "code", 1: "method", 2: "name"}
    # prose is no indicator table
    assert infer_roles(_table(("Nơi nhận:", "KT. CHỦ TỊCH"), ("- Như Điều 3;", "PHÓ CHỦ TỊCH")).rows, 2) is None


def test_a_points_header_the_body_contradicts_gives_way():
    """OCR cut "Phương pháp chấm | điểm": the last word read as a points header over method text."""
    from decision_import.annex_draft import Draft
    from decision_import.annex_table import read_table
    d = Draft("xa", "", "I", 1)
    read_table(d, _table(("1", "THỂ CHẾ SỐ: 30 điểm", ""),
                          ("1.1", "Ban chỉ đạo", "Điểm tối đa 20 - Có: Điểm tối đa"),
                          ("1.2", "Kế hoạch", "Điểm tối đa 10 - Có: Điểm tối đa"),
                          ("1.3", "Quy chế", "Điểm tối đa 10 - Có: Điểm tối đa"),
                          header=("TT", "Nội dung chỉ số", "chấm điểm")), 1)
    assert [i.method[:1] for i in d.indicators] == [["Điểm tối đa 20 - Có: Điểm tối đa"], ["Điểm tối đa 10 - Có: "
                                                    "Điểm tối đa"], ["Điểm tối đa 10 - Có: Điểm tối đa"]]
    assert d.pillars[0].max_points == 30 and d.pillars[0].name == "Thể chế số"


def test_a_sub_group_whose_numeral_ocr_lost_stays_in_its_pillar():
    from decision_import.annex_draft import Draft
    from decision_import.annex_table import read_table
    d = Draft("so", "", "I", 1)
    read_table(d, _table(("6", "HOẠT ĐỘNG CHÍNH QUYỀN SỐ", "70"), ("6.1", "Trang thông tin", "40"),
                          ("H", "Dịch vụ công trực tuyến (30 điểm)", ""), ("6.2", "Tỷ lệ DVCTT", "30"),
                          ("", "NHÂN LỰC SỐ (100 điểm)", ""), ("7.1", "Cán bộ chuyên trách", "100"),
                          header=("STT", "Chỉ số thành phần", "Điểm")), 1)
    # ... while a pillar whose STT OCR lost, followed by a new prefix, is a pillar (taking that prefix)
    assert [p.code for p in d.pillars] == ["6", "7"] and d.pillars[1].max_points == 100
    assert [(i.code, i.pillar, i.group) for i in d.indicators] == [
        ("6.1", "6", None), ("6.2", "6", "Dịch vụ công trực tuyến"), ("7.1", "7", None)]
    assert d.group_sums == [(1, "6", "Dịch vụ công trực tuyến", 30)]


def test_a_maximum_without_unit_on_a_line_of_its_own():
    from decision_import.maxima import from_method
    assert from_method(["Điểm tối đa 20\nCó: Điểm tối đa"]) == (["Có: Điểm tối đa"], 20)
    assert from_method(["- Điểm tối éa 10 - Đã có: Điểm tối đa"]) == (["- Đã có: Điểm tối đa"], 10)
    cap = ["Mỗi bài được 2 điểm, tối đa 10"]
    assert from_method(cap) == (cap, None)


def test_a_wrapped_code_and_a_merged_method_cut_by_a_page_break():
    """A narrow STT cell wraps "3.10" as "3.1" over "0": after 3.9 it is 3.10.  A method cell merged
    over 3.9 and 3.10, cut by the page break: its rest belongs to both."""
    from extractors.document import Cell, Table
    from decision_import.annex_draft import Draft
    from decision_import.annex_table import read_table
    d = Draft("xa", "", "I", 1)
    hdr = [Cell("STT", col=0), Cell("Nội dung", col=1), Cell("Điểm", col=2), Cell("Cách tính điểm", col=3)]
    read_table(d, Table(rows=[hdr, [Cell("3", col=0), Cell("HẠ TẦNG SỐ", col=1), Cell("30", col=2)],
                               [Cell("3.9", col=0), Cell("Tỷ lệ hồ sơ", col=1), Cell("10", col=2),
                                Cell("Tỷ lệ = a/b", col=3, rowspan=2)],
                               [Cell("3.1\n0", col=0), Cell("Tỷ lệ văn bản", col=1), Cell("20", col=2)]], page=1), 1)
    read_table(d, Table(rows=[[Cell("", col=0, page=2), Cell("", col=1, page=2), Cell("", col=2, page=2),
                                Cell("Đơn vị không có DVCTT: lấy điểm chỉ số 6.2", col=3, page=2)]], page=2), 2)
    assert [i.code for i in d.indicators] == ["3.9", "3.10"]
    assert all(i.method[-1].startswith("Đơn vị không có DVCTT") for i in d.indicators), [i.method for i in d.indicators]
