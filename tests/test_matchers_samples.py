"""The matcher on the samples corpus: layouts, the Hùng Sơn report in its three
renderings, matching without codes, and the figure forms commune tables use."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.stages import process_file
from docmaker import write_paragraphs

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# The exact flags of each sample (samples/README.md), apart from low-confidence review
# marks: a flag more is a false accusation, a flag less a missed one.  5.10 and 5.11 print
# the rule ("≥ 5% hoặc …") and claim 5 without a rate of their own: missing-figures.
HUNGSON_FLAGS = {("claimed-formula-mismatch", "4.1"), ("claimed-formula-mismatch", "5.2"),
                 ("claimed-formula-mismatch", "6.1"), ("claimed-formula-mismatch", "6.2"),
                 ("missing-figures", "7.1"), ("total-mismatch", None)}
# rows whose figures cell restates the rule ("≥ 5% hoặc …") and claim full points: no rate of the
# commune's own, but the cell is not empty either, so a person looks before anyone is accused
HUNGSON_REVIEW = {"5.10", "5.11"}
SCORE_CODES = {"claimed-exceeds-max", "claimed-formula-mismatch", "subtotal-mismatch", "total-mismatch",
               "numerator-exceeds-denominator", "max-differs-from-ruleset", "missing-figures"}


def flag_set(report, codes=None) -> set:
    return {(f.code, f.indicator) for f in report.flags
            if f.code != "low-confidence" and (codes is None or f.code in codes)}


@pytest.fixture(scope="session")
def hungson():
    """The Hùng Sơn report (seed 000) as Word, born-digital PDF and scan, each read once."""
    return {name: process_file(SAMPLES / name)
            for name in ("hungson-2022.docx", "hungson-2022.pdf", "hungson-2022-scan.pdf")}


@pytest.mark.parametrize("name, fmt", [("hungson-2022.docx", "docx"), ("hungson-2022.pdf", "pdf-text"),
                                       ("hungson-2022-scan.pdf", "pdf-scanned")])
def test_hungson_each_rendering(hungson, name, fmt):
    r = hungson[name]
    assert (r.format, r.layout, r.ruleset) == (fmt, "score-table", "phutho-2022-xa")
    assert (r.unit.name, r.unit.level, r.unit.year) == ("Thị trấn Hùng Sơn", "xa", 2022)
    assert r.totals.stated_total == 904
    assert flag_set(r) == HUNGSON_FLAGS
    assert HUNGSON_REVIEW <= {f.indicator for f in r.flags if f.code == "low-confidence"}
    row = {x.indicator: x for x in r.rows}
    # the quirk: "80% x 30" in the points column, the self-score 30 in the last one
    assert (row["5.2"].ratio, row["5.2"].max_points, row["5.2"].claimed_points) == (0.8, 30, 30)
    assert row["5.2"].computed_points == 24


def test_hungson_renderings_agree(hungson):
    docx_r, pdf_r, scan_r = (hungson[n] for n in ("hungson-2022.docx", "hungson-2022.pdf", "hungson-2022-scan.pdf"))
    key = lambda r: [(x.indicator, x.claimed_points, x.max_points, x.ratio) for x in r.rows if x.indicator]
    assert key(docx_r) == key(pdf_r)
    scored = lambda r: {(f.code, f.indicator) for f in r.flags if f.code not in ("low-confidence",)}
    assert scored(docx_r) == scored(pdf_r)
    # the scan: the same indicators, and at least 90 % of the values read alike
    assert [k[0] for k in key(scan_r)] == [k[0] for k in key(docx_r)]
    same = sum(a == b for a, b in zip(key(scan_r), key(docx_r)))
    assert same >= 0.9 * len(key(docx_r))


def test_pdf_rows_point_at_their_place_on_the_page(hungson):
    for row in hungson["hungson-2022.pdf"].rows:
        assert row.source.page >= 1
        x0, y0, x1, y1 = row.source.bbox
        assert 0 <= x0 < x1 <= 842 and 0 <= y0 < y1 <= 842
    assert all(r.source.bbox is None for r in hungson["hungson-2022.docx"].rows)


def test_layouts_told_apart_by_content():
    assert process_file(SAMPLES / "tuachua-ranking.docx").layout == "ranking-table"
    narrative = process_file(SAMPLES / "huongxuan-2020-narrative.docx")
    assert narrative.layout == "narrative" and narrative.ruleset == "thuathienhue-2020-xa"
    row = {r.indicator: r for r in narrative.rows}["15"]
    assert (row.ratio, row.numerator, row.denominator) == (1.71, 48, 28)
    assert flag_set(narrative, SCORE_CODES) == {("numerator-exceeds-denominator", "15")}


def test_ranking_table_units():
    r = process_file(SAMPLES / "tuachua-ranking.docx")
    assert r.unit.name == "Huyện Tủa Chùa" and r.unit.level == "huyen"
    assert len(r.units) == 12 and r.units[0].name == "UBND thị trấn Tủa Chùa" and r.units[0].rank == 1
    assert r.units[0].pillars["3"] == 29.51 and r.units[0].total == 311.6
    bad = [f.message for f in r.flags if f.code == "total-mismatch"]
    assert len(bad) == 1 and "Sính Phình" in bad[0]
    assert flag_set(r) == {("total-mismatch", None)}


def test_narrative_with_self_scores(tmp_path):
    lines = ["UBND HUYỆN TIÊN LỮ", "UBND XÃ THỤY LÔI", "BÁO CÁO",
             "Kết quả thực hiện Bộ chỉ số đánh giá chuyển đổi số cấp xã năm 2024",
             "Căn cứ Kế hoạch số 60/KH-UBND của UBND tỉnh Hưng Yên; UBND xã Thụy Lôi báo cáo như sau:",
             "I. THÔNG TIN CHUNG", "- Dân số: 6.604 người; số hộ gia đình: 1.701 hộ",
             "II. KẾT QUẢ TỰ ĐÁNH GIÁ", "1. Nhận thức số (tự chấm 60/100 điểm)",
             "- 1.2. Bí thư/Chủ tịch xã chủ trì các cuộc họp về CĐS: 100% (9/9 cuộc họp), tự chấm: 20 điểm.",
             "- 1.4. Hệ thống truyền thanh cơ sở có chuyên mục riêng về CĐS: Đã có, tự chấm 20 điểm.",
             "- 1.5. Tần suất hệ thống truyền thanh phát sóng chuyên mục riêng về CĐS: 2 lần/tuần,",
             "tự chấm: 20 điểm (tối đa 20 điểm).",
             "3. Hạ tầng số (tự chấm 31,5/100 điểm)",
             "- 3.1. Tỷ lệ dân số có ĐTTM: 5.944/6.604 người, đạt 90,01%, tự chấm: 31,5 điểm.",
             "- 3.2. Tỷ lệ hộ gia đình có kết nối Internet cáp quang: 1.319/1.912 hộ, đạt 68,99%, tự chấm 30/35 điểm.",
             "Tổng điểm tự đánh giá của đơn vị: 121,5 điểm."]
    r = process_file(write_paragraphs(tmp_path / "thuy-loi.docx", lines))
    assert (r.layout, r.ruleset, r.unit.name) == ("narrative", "hungyen-2024-xa", "Xã Thụy Lôi")
    rows = {x.indicator: x for x in r.rows}
    assert set(rows) == {"1.2", "1.4", "1.5", "3.1", "3.2"}          # the info bullet is not a row
    assert (rows["3.1"].ratio, rows["3.1"].numerator, rows["3.1"].claimed_points) == (0.9001, 5944, 31.5)
    assert (rows["3.2"].claimed_points, rows["3.2"].max_points) == (30, 35)
    assert rows["1.5"].max_points == 20 and rows["1.4"].answer == "yes"
    assert r.totals.stated_total == 121.5 and r.stated_subtotals == {"1": 60, "3": 31.5}
    flags = {(f.code, f.indicator) for f in r.flags}
    assert ("total-mismatch", None) not in flags                 # 20 + 20 + 20 + 31,5 + 30 = 121,5
    assert ("subtotal-mismatch", "3") in flags and ("subtotal-mismatch", "1") not in flags   # 31,5 ≠ 61,5


@pytest.mark.parametrize("name,flags", [
    # planted: 3.2 claims 35 for 78,5 %; 6.4 claims 25 of 20 (samples/README.md)
    ("hungyen-2024-criteria.docx", {("claimed-formula-mismatch", "3.2"), ("claimed-exceeds-max", "6.4"),
                                    ("claimed-formula-mismatch", "6.4")}),
    # 6.1 "70% x 20" claimed 20; 5.10 prints the rule, no rate, and claims 5: sent to review
    ("two-page-table.pdf", {("claimed-formula-mismatch", "6.1")}),
])
def test_sample_flags_exact(name, flags):
    r = process_file(SAMPLES / name)
    assert flag_set(r) == flags
    if name.startswith("hungyen"):
        assert r.layout == "criteria-table"
