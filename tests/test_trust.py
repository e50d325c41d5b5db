"""A flag only on sure figures, a doubt mark (with its reason) where they are not.

Reports are written here, for a fictional commune, from the Hưng Yên ruleset's
own indicator list: Word files for the born-digital path, and Documents built
the way the OCR path builds them (cells with confidences) for scans.
"""
from __future__ import annotations

import pytest

import rulesets
from extractors.document import Cell, Document, Page, Table
from matchers import match
from pipeline.stages import process_file
from scoring import score_report
from docmaker import write_report

RULESET = "hungyen-2024-xa"
HEADER = ["UBND HUYỆN KHOÁI CHÂU", "UBND XÃ ĐỒNG TIẾN", "Số: 31/BC-UBND",
          "BÁO CÁO TỰ ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ CẤP XÃ NĂM 2024", "Tỉnh Hưng Yên"]
COLUMNS = ["STT", "Tên chỉ số", "Kết quả thực hiện", "Điểm tối đa", "Điểm tự chấm"]


def _clean(ind) -> tuple[str, float]:
    """A figure the indicator's rule reads, and the points it gives."""
    kind = ind.kind if ind.kind != "dvctt_substitution" else ind.rule["rule"]["kind"]
    mx = ind.max_points
    if kind in ("rate", "rate_threshold", "bands"):
        return "Đạt 100% (40/40)", mx
    if kind == "tiers" and ind.rule.get("fact") == "per_week":
        return "Đăng tin 2 lần/tuần", mx
    if kind == "tiers":
        return "Có chuyên mục, đăng 15 tin, bài", mx
    if kind == "minmax":
        return ("Đạt 100% (40/40)" if ind.rule.get("value") == "ratio" else "Kinh phí 150 triệu đồng"), mx
    if kind == "options":
        return "Chủ tịch UBND xã là Trưởng ban", mx
    return "Có", mx


def _clean_cells(ind) -> tuple[str, str, str]:
    """A clean row's cells: the figure, the maximum as printed, the self-score the figure earns."""
    fig, pts = _clean(ind)
    mx = f"{ind.max_points:g}" if ind.max_points is not None else ""
    return fig, mx, (f"{pts:g}" if pts is not None else "0")


def _score_flags(report) -> set[tuple[str, str | None]]:
    return {(f.code, f.indicator) for f in report.flags if f.code not in ("low-confidence",)}


def _row(report, code):
    return next(r for r in report.rows if r.indicator == code)


def _word(tmp_path, changes: dict[str, tuple[str, str]] = {}, drop: set[str] = frozenset(), total_delta=0.0):
    ruleset = rulesets.load(RULESET)
    rows, total = [], 0.0
    for ind in ruleset.scorable():
        if ind.code in drop:
            continue
        fig, pts = _clean(ind)
        fig, claimed = changes.get(ind.code, (fig, f"{pts:g}"))
        total += float(claimed.replace(",", "."))
        rows.append([ind.code, ind.name, fig, f"{ind.max_points:g}", claimed])
    rows.append(["", "Tổng cộng", "", "1000", f"{total + total_delta:g}".replace(".", ",")])
    path = tmp_path / "dong-tien-2024.docx"
    write_report(path, HEADER, COLUMNS, rows)
    return process_file(path)


@pytest.fixture(scope="module")
def clean_word(tmp_path_factory):
    return _word(tmp_path_factory.mktemp("trust"))


def test_a_clean_word_report_is_neither_flagged_nor_queued(clean_word):
    r = clean_word
    assert r.ruleset == RULESET and len(r.rows) == len(rulesets.load(RULESET).scorable())
    assert r.flags == []
    assert all(row.confidence == 1.0 and row.reasons == [] for row in r.rows)


def test_prose_digits_no_figure_explains_send_the_row_to_review(tmp_path):
    """`20/20 điểm` in the results cell of a 20-point rate rule (20 places of 20, or the score
    20 of 20?): the machine cannot tell, so no missing-figures accusation, a review item with the
    reason.  (`3/3 điểm` beside a 20-point maximum is places: the maximum tells them apart.)"""
    r = _word(tmp_path, {"1.2": ("Lắp đặt tại 20/20 điểm", "20")})
    assert ("missing-figures", "1.2") not in _score_flags(r)
    lc = [f for f in r.flags if f.code == "low-confidence" and f.indicator == "1.2"]
    assert len(lc) == 1 and "không đọc được thành tỷ lệ" in lc[0].message
    row = _row(r, "1.2")
    assert row.field_confidence["figures"] < 0.6
    assert any("20/20 điểm" in why for why in row.reasons)
    (tmp_path / "places").mkdir()
    places = _row(_word(tmp_path / "places", {"1.2": ("Lắp đặt tại 3/3 điểm", "20")}), "1.2")
    assert (places.numerator, places.denominator) == (3, 3)


def test_a_word_rate_that_disagrees_with_its_counts_is_not_sure(tmp_path):
    """`90% (27/40)`: one of the two is wrong; a formula flag resting on either would be a guess."""
    r = _word(tmp_path, {"3.1": ("Đạt 90% (27/40)", "35")})
    row = _row(r, "3.1")
    assert row.field_confidence["ratio"] < 0.85 and row.field_confidence["numerator"] < 0.85
    assert any("khác tỷ lệ theo số liệu 27/40" in why for why in row.reasons)
    assert ("claimed-formula-mismatch", "3.1") not in _score_flags(r)
    assert row.confidence < 0.6      # queued for its own sake: one of the two figures is wrong
    assert any(f.code == "low-confidence" and f.indicator == "3.1" for f in r.flags)


def test_sure_word_figures_are_flagged_and_under_claims_are_warnings(tmp_path):
    r = _word(tmp_path, {"3.1": ("Đạt 80% (32/40)", "35"),       # over-claim: 28 due
                         "3.2": ("Đạt 100% (40/40)", "30")})     # under-claim: 35 due
    flags = {(f.code, f.indicator): f for f in r.flags}
    assert flags[("claimed-formula-mismatch", "3.1")].severity == "error"
    assert flags[("claimed-formula-mismatch", "3.2")].severity == "warning"
    assert _score_flags(r) == {("claimed-formula-mismatch", "3.1"), ("claimed-formula-mismatch", "3.2")}
    assert not any(f.code == "low-confidence" for f in r.flags)


def test_a_well_read_report_missing_one_row_gets_missing_indicator(tmp_path):
    r = _word(tmp_path, drop={"6.3"})
    assert _score_flags(r) == {("missing-indicator", "6.3")}


def test_an_indicator_named_in_the_report_but_not_read_as_a_row_is_not_called_missing(tmp_path):
    """The commune wrote it below the table, in prose the reader does not take as a row:
    it was lost by the reading, not left out by the commune."""
    ind = rulesets.load(RULESET).indicator("6.3")
    path = tmp_path / "dong-tien-note.docx"
    rows = [[i.code, i.name, _clean(i)[0], f"{i.max_points:g}", f"{_clean(i)[1]:g}"]
            for i in rulesets.load(RULESET).scorable() if i.code != "6.3"]
    write_report(path, HEADER, COLUMNS, rows, footer=[f"Ghi chú: {ind.name} đã thực hiện, xem phụ lục kèm theo."])
    r = process_file(path)
    assert ("missing-indicator", "6.3") not in _score_flags(r)
    lc = [f for f in r.flags if f.code == "low-confidence" and f.indicator == "6.3"]
    assert lc and "có trong báo cáo nhưng không đọc được thành dòng" in lc[0].message


# ---------------------------------------------------------------- OCR-built documents

def _scan(n: int | None = None, weak: dict[str, float] = {}, claimed: dict[str, str] = {},
          total: str | None = None) -> Document:
    """A scanned score table of the ruleset's first ``n`` indicators; ``weak`` gives the
    self-score cell of some indicators a low OCR confidence, ``claimed`` other self-scores."""
    ruleset = rulesets.load(RULESET)
    inds = ruleset.scorable()[:n] if n else ruleset.scorable()
    rows = [[Cell(t, col=i, confidence=0.95) for i, t in enumerate(COLUMNS)]]
    for ind in inds:
        fig, pts = _clean(ind)
        rows.append([Cell(ind.code, col=0, confidence=0.95), Cell(ind.name, col=1, confidence=0.93),
                     Cell(fig, col=2, confidence=0.95), Cell(f"{ind.max_points:g}", col=3, confidence=0.96),
                     Cell(claimed.get(ind.code, f"{pts:g}"), col=4, confidence=weak.get(ind.code, 0.96))])
    if total is not None:
        rows.append([Cell("", col=0), Cell("Tổng cộng", col=1, confidence=0.95), Cell("", col=2),
                     Cell("1000", col=3, confidence=0.95), Cell(total, col=4, confidence=0.95)])
    return Document(path="scan.pdf", sha256="1" * 64, format="pdf-scanned",
                    pages=[Page(number=1, width=595, height=842, ocr=True,
                                blocks=[Table(rows=rows, page=1, bbox=(40, 100, 560, 800))])])


def _scored(doc):
    ruleset = rulesets.load(RULESET)
    return score_report(match(doc, ruleset_id=RULESET), ruleset)


def test_a_mismatch_on_a_weakly_read_self_score_goes_to_review_not_to_the_commune():
    r = _scored(_scan(weak={"3.1": 0.7}, claimed={"3.1": "25"}))
    assert ("claimed-formula-mismatch", "3.1") not in _score_flags(r)
    lc = [f for f in r.flags if f.code == "low-confidence" and f.indicator == "3.1"]
    assert lc and "điểm tự chấm khác điểm tính lại, nhưng điểm tự chấm đọc được chưa chắc chắn" in lc[0].message
    # the same figure read clearly is an accusation the machine can stand behind
    r = _scored(_scan(claimed={"3.1": "25"}))
    assert ("claimed-formula-mismatch", "3.1") in _score_flags(r)


def test_a_total_one_unsure_cell_could_explain_is_not_a_mismatch():
    ruleset = rulesets.load(RULESET)
    full = sum(i.max_points for i in ruleset.scorable())
    # 3.2 printed 35 but read as 5 with a weak confidence: the printed total is right
    r = _scored(_scan(weak={"3.2": 0.45}, claimed={"3.2": "5"}, total=f"{full:g}"))
    assert ("total-mismatch", None) not in _score_flags(r)
    assert any(f.code == "low-confidence" and f.indicator == "3.2" for f in r.flags)
    assert any("tổng điểm" in why for why in _row(r, "3.2").reasons)
    # every cell sure: the same difference is a real one
    r = _scored(_scan(claimed={"3.2": "5"}, total=f"{full:g}"))
    assert ("total-mismatch", None) in _score_flags(r)


def test_a_report_read_in_part_gets_one_finding_not_a_missing_flag_per_lost_row():
    r = _scored(_scan(n=12))
    n = len(rulesets.load(RULESET).scorable())
    partial = [f for f in r.flags if f.code == "partially-read"]
    assert len(partial) == 1 and partial[0].indicator is None
    assert partial[0].message.startswith(f"đọc được một phần: 12/{n} chỉ số")
    assert not any(f.code == "missing-indicator" for f in r.flags)


def test_a_badly_read_page_without_indicator_rows_loses_nothing():
    doc = _scan()
    doc.pages.append(Page(number=2, width=595, height=842, ocr=True, blocks=[
        Table(rows=[[Cell("CHỦ TỊCH", confidence=0.3), Cell("(ký, đóng dấu)", col=1, confidence=0.25)]], page=2)]))
    r = _scored(doc)
    assert not any(f.code == "partially-read" for f in r.flags)


def test_a_badly_read_page_makes_the_report_partially_read():
    doc = _scan()
    for row in doc.pages[0].blocks[0].rows:
        for cell in row:
            cell.confidence = 0.4
    r = _scored(doc)
    assert [f.code for f in r.flags if f.code == "partially-read"] == ["partially-read"]
    assert "trang đọc kém: 1" in next(f for f in r.flags if f.code == "partially-read").message


def test_a_report_read_in_part_accuses_no_one():
    r = _scored(_scan(n=12, claimed={"3.1": "25"}))
    assert not _score_flags(r) - {("partially-read", None)}
    held = [f for f in r.flags if f.code == "low-confidence" and f.indicator == "3.1"]
    assert held and "chỉ đọc được một phần" in held[0].message


def test_a_blank_figures_cell_on_a_clean_scan_is_a_sure_absence():
    doc = _scan()
    table = doc.pages[0].blocks[0]
    row = next(r for r in table.rows if r[0].text == "3.2")
    row[2].text = ""
    r = _scored(doc)
    assert ("missing-figures", "3.2") in _score_flags(r)
    # the same blank in a row read poorly may be a cell the reader missed
    for cell in row[:2]:
        cell.confidence = 0.5
    r = _scored(doc)
    assert ("missing-figures", "3.2") not in _score_flags(r)
    assert any(f.code == "low-confidence" and f.indicator == "3.2" for f in r.flags)


def test_a_flag_on_a_row_matched_unsurely_goes_to_review():
    from matchers.report import Report, Row
    ruleset = rulesets.load(RULESET)
    row = Row(label="Tỷ lệ hộ có cáp quang", indicator="3.2", match_score=0.7, claimed_points=35,
              max_points=35, ratio=0.5, field_confidence={"claimed_points": 1.0, "max_points": 1.0, "ratio": 1.0})
    r = score_report(Report(file="x.docx", sha256="2" * 64, format="docx", rows=[row]), ruleset)
    assert not any(f.code == "claimed-formula-mismatch" for f in r.flags)
    assert any(f.code == "low-confidence" and "khớp theo tên" in f.message for f in r.flags)
    row.match_score = 0.95
    r = score_report(Report(file="x.docx", sha256="2" * 64, format="docx", rows=[row]), ruleset)
    assert any(f.code == "claimed-formula-mismatch" and f.indicator == "3.2" for f in r.flags)


def _cells(doc, code):
    return next(r for r in doc.pages[0].blocks[0].rows if r[0].text == code)


def test_a_count_misread_on_a_scan_goes_to_review_and_a_sure_one_is_flagged():
    """A flag is an accusation: 441 read as 4411 (a letter taken for a digit, or a digit gained)
    must not raise numerator-exceeds-denominator against the commune; the row goes to review
    with the reading shown.  The same excess read surely, or typed in a Word file, is flagged."""
    for misread, why in (("44I1/1000", "“44I1” có chữ lẫn trong số"),
                         ("4410/1000", "tử số đọc 4.410 lớn hơn mẫu số 1.000; chữ đọc chưa chắc")):
        doc = _scan()
        _cells(doc, "3.1")[2].text = misread
        r = _scored(doc)
        assert ("numerator-exceeds-denominator", "3.1") not in _score_flags(r), misread
        held = [f for f in r.flags if f.code == "low-confidence" and f.indicator == "3.1"]
        assert held and "tử số lớn hơn mẫu số, nhưng tử số, mẫu số đọc được chưa chắc chắn" in held[0].message
        assert any(why in reason for reason in _row(r, "3.1").reasons), _row(r, "3.1").reasons
        assert _row(r, "3.1").confidence >= 0.6      # a flag's doubt, not the row queued for its own sake
    doc = _scan()
    _cells(doc, "3.1")[2].text = "1200/1000"        # 120 %: a count above its whole, read cleanly
    assert ("numerator-exceeds-denominator", "3.1") in _score_flags(_scored(doc))


def test_a_maximum_misread_on_a_scan_is_not_called_different_from_the_ruleset():
    """5.1 is worth 50: "90" printed beside a self-score of exactly 50 is a misread maximum
    (5 read as 9) more likely than a commune's own maximum; the row goes to review."""
    doc = _scan()
    _cells(doc, "5.1")[3].text = "90"
    r = _scored(doc)
    assert ("max-differs-from-ruleset", "5.1") not in _score_flags(r)
    held = [f for f in r.flags if f.code == "low-confidence" and f.indicator == "5.1"]
    assert held and "điểm tối đa khác bộ chỉ số" in held[0].message
    assert any("điểm tối đa đọc 90 khác bộ chỉ số (50)" in why for why in _row(r, "5.1").reasons)
    # a self-score that does not back the ruleset's maximum leaves the printed one standing
    _cells(doc, "5.1")[4].text = "40"
    assert ("max-differs-from-ruleset", "5.1") in _score_flags(_scored(doc))


def test_the_same_figures_typed_in_a_word_file_are_flagged(tmp_path):
    r = _word(tmp_path, {"3.1": ("4410/1000", "35"), "5.1": ("Có", "50")})
    assert ("numerator-exceeds-denominator", "3.1") in _score_flags(r)
