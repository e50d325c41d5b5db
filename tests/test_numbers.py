"""One Vietnamese number format (``rulesets.numbers``) for everything a person reads: the page, the
letter, the decision, workbook text, flag messages, the CLI's lines never mix 31.43 and 31,43."""
from __future__ import annotations

import pytest

from rulesets.numbers import vn_number, vn_percent


@pytest.mark.parametrize("value, kw, text", [
    (8.5, {}, "8,5"), (30.0, {}, "30"), (1570, {}, "1.570"), (1234567.891, {}, "1.234.567,89"),
    (-0.5, {}, "-0,5"), (-0.001, {}, "0"), (812.5, {"fixed": True}, "812,50"), (None, {}, ""),
    (None, {"empty": "—"}, "—"), (float("nan"), {}, ""), (True, {}, ""), (0.12345, {"digits": 4}, "0,1235"),
])
def test_vn_number(value, kw, text):
    assert vn_number(value, **kw) == text


def test_vn_percent():
    assert vn_percent(0.7285) == "72,85%" and vn_percent(1.71) == "171%" and vn_percent(None) == ""


def test_every_formatter_a_person_reads_is_the_one_format():
    from matchers.confidence import _num as matcher_num
    from commands.cli_pipeline import _fmt as cli_num
    from outputs.ranking import num as ranking_num
    from review.format import num as page_num
    from decision_import.cli import _num as rulesets_num
    from scoring.flags import fmt as flag_num
    for f in (matcher_num, cli_num, ranking_num, page_num, rulesets_num, flag_num):
        assert f(1234.56) == "1.234,56", f.__module__
        assert f(31.43) == "31,43", f.__module__


def test_a_flag_message_and_the_review_page_agree():
    from matchers.report import Report, Row, Totals, Unit
    from review.format import num
    from scoring import score_report
    import rulesets
    rs = rulesets.load("phutho-2022-xa")
    ind = next(i for i in rs.scorable() if i.kind == "rate" and i.max_points)
    rows = [Row(label=ind.name, indicator=ind.code, ratio=0.5, claimed_points=float(ind.max_points))]
    out = score_report(Report(file="x.docx", sha256="x", format="docx", ruleset=rs.id,
                              unit=Unit(name="Xã A", level="xa", year=2022), rows=rows,
                              totals=Totals(stated_total=1234.5)), rs)
    messages = " ".join(f.message for f in out.flags)
    assert num(1234.5) in messages and "1234.5" not in messages
    assert num(ind.max_points * 0.5) in messages
