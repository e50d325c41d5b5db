"""What scans do to tables, in Documents shaped as the OCR path builds them:
a table cut by the page break into a short second table, and a claimed cell
the OCR could not read (the subtotal check must not cry wolf over it)."""
from __future__ import annotations

import rulesets
from extractors.document import Cell, Document, Page, Table
from matchers import MatcherConfig, match
from matchers.trust import ReviewConfig
from scoring import score_report

HEADER = ["TT", "Nội dung chỉ số", "Kết quả thực hiện", "Điểm tối đa", "Điểm tự chấm"]


def _table(rows, page, conf=0.93):
    cells = [[Cell(t, col=i, confidence=conf if r else 1.0) for i, t in enumerate(row)]
             for r, row in enumerate([HEADER, *rows])]
    return Table(rows=cells, page=page, bbox=(40, 80, 560, 780))


def _doc(*tables):
    pages = [Page(number=t.page, width=595, height=842, ocr=True, blocks=[t]) for t in tables]
    return Document(path="scan.pdf", sha256="1" * 64, format="pdf-scanned", pages=pages)


def _rows(ruleset, pillar):
    inds = [i for i in ruleset.indicators if i.pillar == pillar]
    return [[i.code, i.name, "Có", f"{i.max_points:g}", f"{i.max_points:g}"] for i in inds]


def test_table_continued_on_the_next_page_keeps_its_last_row():
    hy = rulesets.load("hungyen-2024-xa")
    rows = [r for p in ("1", "2", "8") for r in _rows(hy, p)]
    first, last = rows[:-1], rows[-1:]
    report = match(_doc(_table(first, 1), _table(last + [["", "TỔNG ĐIỂM", "", "1.000", "300"]], 2)),
                   ruleset_id="hungyen-2024-xa")
    got = [r.indicator for r in report.rows]
    assert got == [r[0] for r in rows]
    assert report.totals.stated_total == 300


# these scans print one pillar on purpose: not a report read in part
ONE_PILLAR = MatcherConfig(review=ReviewConfig(partial_share=0))


def test_an_unread_claimed_cell_bounds_the_subtotal_check():
    hy = rulesets.load("hungyen-2024-xa")
    body = _rows(hy, "1")                        # five rows of 20: a full pillar is 100
    full = sum(float(r[4]) for r in body)
    body[2][4] = ""                              # the scan lost one claimed cell
    for printed, flagged in ((full, False), (full - 20, False), (full + 5, True), (full - 25, True)):
        pillar = [["1", "Nhận thức số", "", "100", f"{printed:g}"]]
        report = score_report(match(_doc(_table(pillar + body, 1)), ruleset_id="hungyen-2024-xa",
                                    config=ONE_PILLAR), hy)
        codes = {(f.code, f.indicator) for f in report.flags}
        assert (("subtotal-mismatch", "1") in codes) is flagged, printed


def test_the_methods_options_read_into_the_answer_cell_are_not_the_answer():
    # a photo's lost column boundary puts "- Có: Điểm tối đa - Không: 0 điểm" before the commune's
    # "Không": the "Có" nearest the start is the method's, not the commune's
    hy = rulesets.load("hungyen-2024-xa")
    body = _rows(hy, "2")
    mixed, only_options, clean = body[1], body[2], body[3]          # 2.2, 2.3, 2.4: yes/no, 20 points
    mixed[2], mixed[4] = "- Có: Điểm tối đa - Không: 0 điểm Không", "0"
    only_options[2], only_options[4] = "- Có: Điểm tối đa ~ Không: 0 điểm", "0"
    clean[2], clean[4] = "Không", "0"
    report = score_report(match(_doc(_table(body, 1)), ruleset_id="hungyen-2024-xa", config=ONE_PILLAR), hy)
    rows = {r.indicator: r for r in report.rows}
    flags = {(f.code, f.indicator) for f in report.flags}
    # the commune's word, once the options are set aside: read, sure, scored 0 as it claims
    for code in ("2.2", "2.4"):
        assert rows[code].answer == "no" and rows[code].computed_points == 0, rows[code]
        assert not {f for f in flags if f[1] == code}, flags
    # the options alone: which word is the answer the reading cannot say — review, no accusation
    assert any("lẫn cách tính điểm" in why for why in rows["2.3"].reasons), rows["2.3"].reasons
    assert {f for f in flags if f[1] == "2.3"} == {("low-confidence", "2.3")}


def test_a_row_whose_code_ocr_misread_as_a_word_is_its_own_row_not_the_one_above():
    # a flat scan's code cell read "vận" for 2.3: the row has its own name and points, so it is
    # the next indicator, not a wrapped line of 2.2 (which took 2.3's name and lost its values)
    hy = rulesets.load("hungyen-2024-xa")
    body = _rows(hy, "2") + _rows(hy, "4")
    body[2][0] = "vận"
    body[2][4] = "10"                                   # 2.3 claims 10 of 20: a row of its own
    report = match(_doc(_table(body, 1)), ruleset_id="hungyen-2024-xa", config=ONE_PILLAR)
    rows = {r.indicator: r for r in report.rows}
    assert sorted(rows) == [i.code for i in hy.indicators if i.pillar in ("2", "4")]
    assert rows["2.2"].label == hy.indicator("2.2").name and rows["2.2"].claimed_points == 20
    assert rows["2.3"].claimed_points == 10
    # a wrapped name under a row (no points of its own) still continues it
    body = _rows(hy, "2") + _rows(hy, "4")
    body.insert(2, ["vận", "Tiếp theo của dòng trên", "", "", ""])
    report = match(_doc(_table(body, 1)), ruleset_id="hungyen-2024-xa", config=ONE_PILLAR)
    assert [r.indicator for r in report.rows] == [i.code for i in hy.indicators if i.pillar in ("2", "4")]
    assert report.rows[1].label.endswith("Tiếp theo của dòng trên")
