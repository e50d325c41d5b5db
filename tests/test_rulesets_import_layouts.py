"""`dti rulesets import` on the layouts provinces publish (samples/samplegen/decision_layouts.py):
no max column (maxima after the name or in the method), pillar rows in one cell, lettered
sub-groups with their own sums, heading rows, merged method cells, numbering restarted per
pillar, tables cut at a page break with or without their header, notes after the table.
The held-out layouts of that module are not used here (they are only measured)."""
from __future__ import annotations

from pathlib import Path

import pytest

from settings import settings
from commands.cli import main
from rulesets import load, load_file
from decision_import.diff import diff
from samples.samplegen import decision_layouts as L
from test_rulesets_import import _user_dir  # noqa: F401  (autouse: a throwaway user rulesets folder)

TUNED = {lay.name: (lay, rid) for lay, rid in L.LAYOUTS}


@pytest.fixture(scope="module")
def decisions(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("layouts")
    return {name: L.write(load(rid), d / f"{name}.docx", lay) for name, (lay, rid) in TUNED.items()}


def _import(path: Path, tmp_path: Path, capsys) -> tuple[object, str]:
    target = tmp_path / "draft.yaml"
    capsys.readouterr()
    assert main(["rulesets", "import", str(path), "--out", str(target)]) == 0
    return load_file(target), capsys.readouterr().out


@pytest.mark.parametrize("name, where", [("suffix-colon", "cuối tên 40"), ("lettered-heading", "cuối tên 52"),
                                         ("method-restart", "trong cách tính 61")])
def test_every_code_and_maximum_of_a_word_decision(decisions, tmp_path, capsys, name, where):
    new, out = _import(decisions[name], tmp_path, capsys)
    d = diff(load(TUNED[name][1]), new)
    f = d.figures()
    assert f["codes_pct"] == 100 and f["maxima_pct"] == 100 and d.codes_extra == 0, d.lines
    assert not d.rules_wrong and f["kinds_pct"] >= 90, d.lines
    assert where in out, out       # the summary says where the maxima came from
    assert "0 dòng cần người xếp" in out
    if name == "lettered-heading":   # Phú Thọ's own sums do not close (its hand-written set says so too)
        assert "tổng in 1000, các trụ cột cộng 945" in out and "pillars add up to 945" in out
    else:
        assert "chỉ số cộng đúng trụ cột, trụ cột cộng đúng tổng" in out


def test_text_pdfs_of_the_layouts(decisions, tmp_path, capsys):
    from samples.samplegen.render import to_pdf
    pdfs = to_pdf(list(decisions.values()), tmp_path / "pdf")
    for pdf, (lay, rid) in zip(pdfs, TUNED.values()):
        new, _ = _import(pdf, tmp_path, capsys)
        d = diff(load(rid), new)
        f = d.figures()
        assert f["codes_pct"] == 100 and f["maxima_pct"] == 100 and d.codes_extra == 0, (pdf.name, d.lines)
        assert not d.rules_wrong, (pdf.name, d.lines)


def test_lettered_groups_headings_and_restarted_numbering(decisions, tmp_path, capsys):
    new, _ = _import(decisions["lettered-heading"], tmp_path, capsys)
    assert new.indicator("5.16").heading and new.indicator("5.16.4").parent == "5.16"
    assert new.indicator("5.3").group == "Dịch vụ công trực tuyến"        # "b) Dịch vụ công … (170 điểm)"
    assert new.total == 1000
    new, _ = _import(decisions["method-restart"], tmp_path, capsys)
    assert [i.code for i in new.indicators if i.pillar == "2"][:3] == ["2.1", "2.2", "2.3"]
    assert any("đánh số lại từ 1" in n for n in new.notes)


def test_a_group_sum_that_does_not_close_is_reported(decisions, tmp_path, capsys):
    from docx import Document
    doc = Document(decisions["lettered-heading"])
    cell = next(c for t in doc.tables for r in t.rows for c in r.cells if c.text.startswith("Dịch vụ công trực tuyến ("))
    cell.paragraphs[0].runs[0].text = "Dịch vụ công trực tuyến (160 điểm)"
    path = tmp_path / "typo.docx"
    doc.save(path)
    new, _ = _import(path, tmp_path, capsys)
    assert any("nhóm «Dịch vụ công trực tuyến» (trụ cột 5) in 160 điểm nhưng các chỉ số cộng 170" in n
               for n in new.notes), new.notes


@pytest.mark.parametrize("name, mx", [("Kế hoạch chuyển đổi số (20 điểm)", 20), ("Kế hoạch (10đ)", 10),
                                      ("Kế hoạch - 15 điểm", 15), ("Kế hoạch (tối đa 5 điểm)", 5),
                                      ("Tỷ lệ hồ sơ (cả trực tuyến)", None), ("(20 điểm)", None),
                                      ("Nghị định 42 (2022)", None), ("Kế hoạch (20đ)_", 20)])
def test_a_maximum_after_the_name(name, mx):
    from decision_import.maxima import from_name
    rest, got = from_name(name)
    assert got == mx and (mx is None or not rest.endswith(")") or "trực tuyến" in rest)


def test_a_maximum_in_the_method_is_a_line_of_its_own_not_a_cap():
    from decision_import.maxima import from_method
    assert from_method(["Tối đa 20 điểm.\nCó: 20 điểm; Không: 0 điểm"]) == (["Có: 20 điểm; Không: 0 điểm"], 20)
    assert from_method(["- Có: Điểm tối đa", "(tối đa 15đ)"]) == (["- Có: Điểm tối đa"], 15)
    cap = ["Có wifi tại Bộ phận một cửa: 5 điểm; Mỗi điểm wifi khác được 2 điểm, tối đa 5 điểm"]
    assert from_method(cap) == (cap, None)


def _read(*rows):
    from extractors.document import Cell, Table
    from decision_import.annex_draft import Draft
    from decision_import.annex_rows import _settle_maxima
    from decision_import.annex_table import read_table
    d = Draft("xa", "", "I", 1)
    t = Table(rows=[[Cell(text=c, col=n) for n, c in enumerate(r)]
                    for r in (("STT", "Nội dung", "Cách tính điểm"), *rows)], page=1)
    read_table(d, t, 1)
    _settle_maxima(d)
    return d


def test_pillar_maxima_shared_by_indicators_that_print_none_are_marked():
    d = _read(("1", "NHẬN THỨC SỐ (60 điểm)", ""), ("1.1", "Ban chỉ đạo", "Có: Điểm tối đa"),
              ("1.2", "Kế hoạch", "Có: Điểm tối đa"), ("1.3", "Chuyên mục", "Có: Điểm tối đa"),
              ("2", "THỂ CHẾ SỐ (40 điểm)", ""), ("2.1", "Quy chế (30 điểm)", "Có: Điểm tối đa"),
              ("2.2", "Kế hoạch", "Có: Điểm tối đa"))
    assert [(i.code, i.max_points, i.max_from) for i in d.indicators] == [
        ("1.1", 20, "pillar"), ("1.2", 20, "pillar"), ("1.3", 20, "pillar"), ("2.1", 30, "name"), ("2.2", 10, "pillar")]
    assert any("chia đều 60" in m for _, m in d.problems) and any("phần còn lại của trụ cột 2: 10" in m
                                                                 for _, m in d.problems)


def test_a_unit_read_as_a_digit_is_repaired_only_when_the_pillar_sum_proves_it():
    """OCR reads "(25đ)" as "(254)": above its pillar, and 25 closes the pillar's sum."""
    d = _read(("7", "KINH TẾ SỐ (45 điểm)", ""), ("7.1", "Hợp đồng điện tử (20đ)", "Có: Điểm tối đa"),
              ("7.2", "Thuế điện tử (254)", "Có: Điểm tối đa"))
    assert [i.max_points for i in d.indicators] == [20, 25] and any("254" in m for _, m in d.problems)
    d = _read(("7", "KINH TẾ SỐ (45 điểm)", ""), ("7.1", "Hợp đồng điện tử (10đ)", "Có: Điểm tối đa"),
              ("7.2", "Thuế điện tử (254)", "Có: Điểm tối đa"))
    # 25 would not close it: not a maximum; what the pillar leaves, marked as such
    assert [(i.max_points, i.max_from) for i in d.indicators] == [(10, "name"), (35, "pillar")]
    assert d.indicators[1].name == "Thuế điện tử (254)"


def test_roman_sub_groups_under_numbered_pillars_are_groups_not_pillars():
    d = _read(("1", "HOẠT ĐỘNG CHÍNH QUYỀN SỐ (50 điểm)", ""), ("I", "Dịch vụ công (30 điểm)", ""),
              ("1.1", "Tỷ lệ DVCTT (30 điểm)", "Điểm = Tỷ lệ*Điểm tối đa"), ("II", "Văn bản (20 điểm)", ""),
              ("1.2", "Ký số (20 điểm)", "Điểm = Tỷ lệ*Điểm tối đa"))
    assert [p.code for p in d.pillars] == ["1"]
    assert [(i.code, i.group) for i in d.indicators] == [("1.1", "Dịch vụ công"), ("1.2", "Văn bản")]
    assert d.group_sums == [(1, "1", "Dịch vụ công", 30), (1, "1", "Văn bản", 20)]


def test_a_sources_own_numbering_under_roman_pillars_is_kept(tmp_path, capsys):
    """Thừa Thiên Huế numbers 15 … 23 under pillar I: not a numbering restarted per pillar."""
    from samples.samplegen.decision import write_decision
    doc = write_decision([load("thuathienhue-2020-xa")], tmp_path / "tth.docx", layout="inline", points="paren")
    new, _ = _import(doc, tmp_path, capsys)
    d = diff(load("thuathienhue-2020-xa"), new)
    assert d.figures()["codes_pct"] == 100 and d.codes_extra == 0, d.lines


def test_a_scanned_decision_without_a_max_column_and_with_a_total_row(tmp_path, capsys, monkeypatch):
    """Three pillars of the Hưng Yên set in the suffix-colon layout with a ``TỔNG ĐIỂM`` row,
    printed, scanned (seeded noise) and read by OCR (cached in tests/ocr_cache): the total row
    is the total, not an indicator; codes and maxima as printed."""
    import dataclasses

    import numpy as np

    from samples.samplegen import degrade, render
    monkeypatch.setenv("DTI_OCR_CACHE", str(Path(__file__).resolve().parent / "ocr_cache"))
    settings.reload()
    full = load("hungyen-2024-xa")
    part = dataclasses.replace(full, pillars=full.pillars[:3], total=300,
                               indicators=tuple(i for i in full.indicators if i.pillar in ("1", "2", "3")))
    lay = dataclasses.replace(TUNED["suffix-colon"][0], total="row", notes_after=False)
    pdf = render.to_pdf([L.write(part, tmp_path / "hy.docx", lay)], tmp_path)[0]
    rng, cfg = np.random.default_rng(2025), degrade.ScanNoise()
    pages = [degrade.scan_page(p, rng, cfg) for p in render.rasterise(pdf, cfg.dpi, grayscale=True)]
    scan = degrade.images_to_pdf(pages, tmp_path / "hy-scan.pdf", dpi=cfg.dpi, quality=cfg.jpeg_quality, title="scan")
    new, out = _import(scan, tmp_path, capsys)
    d = diff(part, new)
    assert d.codes_same == d.codes_old == 13 and d.codes_extra == 0, d.lines
    assert d.max_same >= 12 and not d.rules_wrong, d.lines
    assert new.total == 300 and "tìm thấy 13 chỉ số" in out
