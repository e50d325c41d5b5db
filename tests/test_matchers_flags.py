"""Every flag code, raised end to end from a Word criteria table the test writes.

The table is the Hòa Bình xã indicator set (names from the seed's Phụ lục IV,
as the ruleset file holds them) filled with figures, each planted problem on
its own row, so each flag must name the right indicator.
"""
from __future__ import annotations

import pytest

import rulesets
from extractors.document import Cell, Document, Page, Table
from matchers import MatcherConfig, match
from matchers.trust import ReviewConfig
from settings import settings
from pipeline.stages import process_file
from scoring import score_report
from docmaker import write_report

HEADER = ["UBND HUYỆN LẠC SƠN", "UBND XÃ VĂN NGHĨA", "Số: 12/BC-UBND",
          "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM BỘ CHỈ SỐ CHUYỂN ĐỔI SỐ CẤP XÃ NĂM 2024",
          "(Kèm theo Báo cáo số 12/BC-UBND của UBND xã Văn Nghĩa, huyện Lạc Sơn, tỉnh Hòa Bình)"]
COLUMNS = ["TT", "Chỉ số/Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm", "Số liệu", "Điểm tự chấm"]
METHOD = "a = Số lượng đạt; b = Tổng số; Điểm = (a/b)*Điểm tối đa"

# code -> (figures cell, claimed, printed max or None for the ruleset's)
PLANTED = {
    "3.1": ("a = 18; b = 20", "20", None),          # claimed-formula-mismatch: 18/20*20 = 18
    "3.2": ("a = 21; b = 21", "15", "15"),          # max-differs-from-ruleset (ruleset: 10)
    "4.1": ("a = 12; b = 10", "30", None),          # numerator-exceeds-denominator
    "6.5": ("a = 19; b = 19", "30", None),          # claimed-exceeds-max (25)
    "7.4": ("", "10", None),                        # missing-figures: points, no rate
    "3.4": ("a = 800; b = 1000", "9,41", None),     # 80/85*10 = 9.41: no flag
}
MISSING = "8.4"          # no row at all
DUPLICATE = "2.3"        # printed twice


def _answer_for(ind) -> str:
    kind = ind.kind if ind.kind != "dvctt_substitution" else ind.rule["rule"]["kind"]
    if kind in ("rate", "rate_threshold", "bands"):
        return "a = 10; b = 10"
    return {"options": "Chủ tịch UBND xã là Trưởng ban", "tiers": "25 tin, bài", "sum": "Có"}.get(kind, "Có")


def _rows(ruleset):
    rows, pillar_sum = [], {}
    for p in ruleset.pillars:
        members = [i for i in ruleset.indicators if i.pillar == p.code and i.code != MISSING]
        body = []
        for ind in members:
            fig, claimed, mx = PLANTED.get(ind.code, (None, None, None))
            fig = _answer_for(ind) if fig is None else fig
            claimed = claimed if claimed is not None else f"{ind.max_points:g}"
            mx = mx or f"{ind.max_points:g}"
            body.append([ind.code, ind.name, mx, METHOD, fig, claimed])
            pillar_sum[p.code] = pillar_sum.get(p.code, 0.0) + float(claimed.replace(",", "."))
            if ind.code == DUPLICATE:
                body.append([ind.code, ind.name, mx, METHOD, "Có", claimed])
        printed = pillar_sum.get(p.code, 0.0) + (7 if p.code == "2" else 0)   # subtotal-mismatch on pillar 2
        rows.append([p.code, p.name, f"{p.max_points:g}", "", "", f"{printed:g}".replace(".", ",")])
        rows.extend(body)
    rows.append(["9.1", "Số lượng camera giao thông lắp mới trong năm", "10", "", "3 camera", "5"])  # unmatched-row
    rows.append(["", "TỔNG ĐIỂM", "1000", "", "", "999"])                                          # total-mismatch
    return rows


@pytest.fixture(scope="module")
def planted_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("flags") / "van-nghia-2024.docx"
    write_report(path, HEADER, COLUMNS, _rows(rulesets.load("hoabinh-2023-xa")))
    return process_file(path)


def _flags(report, code):
    return {f.indicator for f in report.flags if f.code == code}


def test_reads_the_planted_report(planted_report):
    r = planted_report
    assert r.layout == "criteria-table"
    assert r.ruleset == "hoabinh-2023-xa"
    assert r.unit.name == "Xã Văn Nghĩa" and r.unit.year == 2024
    assert r.totals.stated_total == 999


@pytest.mark.parametrize("code, indicator", [
    ("claimed-formula-mismatch", "3.1"),
    ("max-differs-from-ruleset", "3.2"),
    ("numerator-exceeds-denominator", "4.1"),
    ("claimed-exceeds-max", "6.5"),
    ("missing-figures", "7.4"),
    ("missing-indicator", MISSING),
    ("duplicate-indicator", DUPLICATE),
    ("subtotal-mismatch", "2"),
    ("total-mismatch", None),
    ("unmatched-row", None),
])
def test_each_flag_names_its_indicator(planted_report, code, indicator):
    assert indicator in _flags(planted_report, code)


def test_no_flag_where_the_figures_agree(planted_report):
    row = next(r for r in planted_report.rows if r.indicator == "3.4")
    # counts only: the rate is not printed, so ratio stays null and the engine uses 800/1000
    assert (row.numerator, row.denominator, row.ratio) == (800, 1000, None)
    assert row.computed_points == pytest.approx(9.41, abs=0.01)
    flagged = {f.indicator for f in planted_report.flags if f.code not in ("missing-indicator", "low-confidence")}
    assert "3.4" not in flagged
    # only the planted pillar's subtotal is wrong
    assert _flags(planted_report, "subtotal-mismatch") == {"2"}


def _ocr_doc(ruleset, weak_row: int) -> Document:
    rows = [[Cell("TT", col=0), Cell("Nội dung chỉ số", col=1), Cell("Kết quả thực hiện", col=2),
             Cell("Điểm tối đa", col=3), Cell("Điểm tự chấm", col=4)]]
    for i, ind in enumerate(ruleset.scorable()[:8]):
        conf = 0.35 if i == weak_row else 0.95
        rows.append([Cell(ind.code, col=0, confidence=0.95), Cell(ind.name, col=1, confidence=0.95),
                     Cell("Có", col=2, confidence=conf), Cell(f"{ind.max_points:g}", col=3, confidence=0.95),
                     Cell(f"{ind.max_points:g}", col=4, confidence=conf)])
    return Document(path="scan.pdf", sha256="0" * 64, format="pdf-scanned",
                    pages=[Page(number=1, width=595, height=842, ocr=True,
                                blocks=[Table(rows=rows, page=1, bbox=(40, 100, 560, 700))])])


def test_review_threshold_is_configurable(monkeypatch):
    ruleset = rulesets.load("hungyen-2024-xa")
    monkeypatch.setenv("DTI_REVIEW_CONFIDENCE", "0.97")
    settings.reload()
    report = match(_ocr_doc(ruleset, weak_row=3), ruleset_id="hungyen-2024-xa")
    assert len(_flags(report, "low-confidence")) == 8       # 0.95 is below 0.97 too


def test_low_confidence_rows_go_to_review():
    """A row read by OCR with weak confidence (a Document as the OCR path builds it) gets low-confidence."""
    ruleset = rulesets.load("hungyen-2024-xa")
    doc = _ocr_doc(ruleset, weak_row=3)
    # eight rows of forty on purpose: the row's own doubt is tested, not the coverage
    report = score_report(match(doc, ruleset_id="hungyen-2024-xa",
                                config=MatcherConfig(review=ReviewConfig(partial_share=0))), ruleset)
    weak = ruleset.scorable()[3].code
    assert _flags(report, "low-confidence") == {weak}
    assert next(r for r in report.rows if r.indicator == weak).confidence < 0.6
