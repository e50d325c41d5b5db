"""A row whose printed code was misread or lost (``2.5`` read ``2.S``, ``3.3`` read ``33``, ``4.1``
read ``4.7``, a blank STT) is matched surely by the table's order and its name when it stands
between two surely matched rows and its name fits the indicator between them; its flags are
raised and the row says how it was placed.  A name that fits poorly, or neighbours out of
order, leave the row unsure (flags withheld, review).

Word reports written here for a fictional Phú Thọ commune, the codes misread as
``samplegen.misread_codes`` paints them onto photographed pages (the matcher sees the same
cells either way); the photographed and scanned pages are measured by
``samples/samplegen/photo_variants.py`` v17–v22."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import rulesets
from docmaker import write_report
from pipeline.stages import process_file
from test_trust import _clean_cells

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))
from samplegen.misread_codes import misread  # noqa: E402

RULESET = "phutho-2022-xa"
HEADER = ["UBND HUYỆN TAM NÔNG", "UBND XÃ HIỀN QUAN", "Số: 27/BC-UBND",
          "BÁO CÁO TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHUYỂN ĐỔI SỐ NĂM 2023", "Tỉnh Phú Thọ"]
COLUMNS = ["STT", "Nội dung", "Kết quả", "Tối đa", "Tự chấm"]
OVER = "Đạt 50% (20/40)"       # a rate that gives half the maximum, beside a full self-score
# rate rows, each claiming its full maximum on half the rate, each code misread another way
MISREAD = {"2.5": "letter", "3.3": "nodot", "4.1": "digit", "6.1": "blank"}


def _report(tmp_path, codes: dict[str, str], names: dict[str, str] = {}, swap: tuple[str, str] | None = None):
    ruleset = rulesets.load(RULESET)
    rows = []
    for ind in ruleset.scorable():
        fig, mx, claimed = _clean_cells(ind)
        if ind.code in MISREAD:
            fig = OVER
        rows.append([codes.get(ind.code, ind.code), names.get(ind.code, ind.name), fig, mx, claimed])
    if swap:
        at = [next(k for k, r in enumerate(rows) if r[1] == ruleset.indicator(c).name) for c in swap]
        rows[at[0]], rows[at[1]] = rows[at[1]], rows[at[0]]
    path = tmp_path / "hien-quan-2023.docx"
    write_report(path, HEADER, COLUMNS, rows)
    return process_file(path)


def _flags(report) -> set[tuple[str, str | None]]:
    return {(f.code, f.indicator) for f in report.flags if f.code != "low-confidence"}


def _queued(report) -> set[str | None]:
    return {f.indicator for f in report.flags if f.code == "low-confidence"}


def _row(report, code):
    return next(r for r in report.rows if r.indicator == code)


@pytest.fixture(scope="module")
def misread_codes(tmp_path_factory):
    return _report(tmp_path_factory.mktemp("misread"), {c: misread(c, how) for c, how in MISREAD.items()})


def test_rows_whose_code_was_misread_are_placed_by_order_and_name_and_flagged(misread_codes):
    r = misread_codes
    for code in MISREAD:
        assert ("claimed-formula-mismatch", code) in _flags(r), code
        assert code not in _queued(r), code
        row = _row(r, code)
        assert row.match_score >= 0.85
        assert any("theo thứ tự giữa" in why for why in row.reasons), row.reasons
    assert any("mã đọc được “2.S”" in why and "giữa 2.4 và 2.6" in why for why in _row(r, "2.5").reasons)
    assert any("mã đọc được “33”" in why for why in _row(r, "3.3").reasons)
    assert any("không đọc được mã" in why for why in _row(r, "6.1").reasons)
    # the rows whose codes were read are as they were: no reason of the kind
    assert not any("theo thứ tự giữa" in why for row in r.rows if row.indicator not in MISREAD for why in row.reasons)


def test_a_poorly_fitting_name_or_neighbours_out_of_order_leave_the_row_unsure(tmp_path):
    # 2.5's name cut to a few words of its own; 3.3's neighbours printed the wrong way round
    cut = " ".join(rulesets.load(RULESET).indicator("2.5").name.split()[:4]) + " khác"
    (tmp_path / "a").mkdir()
    r = _report(tmp_path / "a", {"2.5": misread("2.5", "letter"), "3.3": misread("3.3", "nodot")},
                names={"2.5": cut}, swap=("3.2", "3.4"))
    for code in ("2.5", "3.3"):
        row = next((x for x in r.rows if x.indicator == code), None)
        if row is not None:
            assert not any("theo thứ tự giữa" in why for why in row.reasons), (code, row.reasons)
        assert ("claimed-formula-mismatch", code) not in _flags(r), code
    # the rows whose codes were read keep their flags
    assert ("claimed-formula-mismatch", "4.1") in _flags(r)
