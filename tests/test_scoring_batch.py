"""scoring.rank and write_ranking_xlsx: Min-Max across a batch, ties, rows without figures, the .xlsx read back."""
import pandas as pd
import pytest
from openpyxl import load_workbook

from matchers.report import Report, Row, Unit
from rulesets.model import Indicator, Pillar, Ruleset
from scoring import rank, write_ranking_xlsx
from scoring.batch import competition_ranks, minmax_points

PILLARS = ("Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng",
           "Hoạt động chính quyền số", "Hoạt động kinh tế số", "Hoạt động xã hội số")


def _ind(code, mx, rule):
    return Indicator(code=code, pillar=code.split(".")[0], name=code, max_points=mx, rule=rule)


RULESET = Ruleset(
    id="test-xa", title="t", province="Hưng Yên", level="xa", year=2024, total=None,
    pillars=tuple(Pillar(str(n), name, None) for n, name in enumerate(PILLARS, start=1)),
    indicators=(
        _ind("1.1", 20, {"kind": "yes_no"}),
        _ind("3.1", 35, {"kind": "rate"}),
        _ind("4.6", 10, {"kind": "minmax", "value": "ratio"}),                          # OneTouch a/b
        _ind("7.6", 20, {"kind": "manual", "note": "nguồn không cho cách tính"}),
        _ind("8.4", 30, {"kind": "minmax", "value": "amount"}),                         # kinh phí xã hội số
    ),
)


def unit(name, leader="yes", phones=1.0, onetouch=None, amount=None, claimed_84=None, manual_claim=None):
    rows = [Row(label="BCĐ", indicator="1.1", answer=leader, claimed_points=20),
            Row(label="điện thoại", indicator="3.1", ratio=phones, claimed_points=35),
            Row(label="OneTouch", indicator="4.6", numerator=onetouch[0] if onetouch else None,
                denominator=onetouch[1] if onetouch else None, claimed_points=5),
            Row(label="kinh phí", indicator="8.4", amount=amount, claimed_points=claimed_84)]
    if manual_claim is not None:
        rows.append(Row(label="TMĐT", indicator="7.6", claimed_points=manual_claim))
    return Report(file=f"{name}.docx", sha256=name, format="docx", ruleset="test-xa",
                  unit=Unit(name=name, level="xa", year=2024), rows=rows)


@pytest.fixture(scope="module")
def batch():
    return [
        unit("UBND xã Lạc Đạo", amount=100, onetouch=(2000, 8000)),              # best amount, best OneTouch
        unit("UBND xã Trưng Trắc", amount=60, onetouch=(1000, 8000)),
        unit("UBND xã Đình Dù", leader="no", amount=20, onetouch=(500, 8000)),    # worst amount, worst OneTouch
        unit("UBND xã Minh Hải", amount=None, claimed_84=12, onetouch=(1000, 8000), manual_claim=10),
        unit("UBND xã Chỉ Đạo", phones=0.5, amount=60, onetouch=(1000, 8000)),
    ]


@pytest.fixture(scope="module")
def table(batch):
    return rank(batch, RULESET)


def test_columns_are_the_seed_ranking_shape(table):
    # Minh Hải's manual row counts provisionally: the table says how much of each total is provisional
    assert list(table.columns) == ["TT", "Tên đơn vị", *PILLARS, "Tổng điểm", "Trong đó tạm tính", "Xếp hạng"]
    assert table["TT"].tolist() == [1, 2, 3, 4, 5]
    # nothing provisional: exactly the seed's Phụ lục 2 columns
    plain = rank([unit("UBND xã A", amount=50), unit("UBND xã B", amount=40)], RULESET)
    assert list(plain.columns) == ["TT", "Tên đơn vị", *PILLARS, "Tổng điểm", "Xếp hạng"]
    assert plain.attrs["provisional"] == {}


def test_min_max_across_the_batch(table):
    by = table.set_index("Tên đơn vị")
    # 8.4 amounts 100 / 60 / 20: best 30, (60-20)/(100-20)×30 = 15, worst 0
    assert by.loc["UBND xã Lạc Đạo", "Hoạt động xã hội số"] == 30
    assert by.loc["UBND xã Trưng Trắc", "Hoạt động xã hội số"] == 15
    assert by.loc["UBND xã Đình Dù", "Hoạt động xã hội số"] == 0
    # 4.6 OneTouch 25% / 12.5% / 6.25%: (0.125-0.0625)/(0.25-0.0625)×10 = 3.33
    assert by.loc["UBND xã Lạc Đạo", "Nhân lực số"] == 10
    assert by.loc["UBND xã Trưng Trắc", "Nhân lực số"] == pytest.approx(3.33, abs=0.005)
    assert table.attrs["minmax"]["8.4"]["UBND xã Minh Hải"] is None


def test_claimed_points_without_figures_do_not_count_and_the_table_says_so(table):
    # the accepted score (scoring.accepted): a claim the rule could check but has no figures for gets 0,
    # and is listed; a manual rule's claim (only a person can score it) counts, marked provisional
    by = table.set_index("Tên đơn vị")
    assert by.loc["UBND xã Minh Hải", "Hoạt động xã hội số"] == 0           # no amount: claimed 12 not added
    assert by.loc["UBND xã Minh Hải", "Hoạt động kinh tế số"] == 10         # manual rule: claimed 10, provisional
    assert by.loc["UBND xã Minh Hải", "Trong đó tạm tính"] == 10
    assert by.loc["UBND xã Lạc Đạo", "Trong đó tạm tính"] == 0
    assert table.attrs["no_figures"] == {"UBND xã Minh Hải": ["8.4"]}
    assert table.attrs["provisional"] == {"UBND xã Minh Hải": {
        "total": 10.0, "codes": ["7.6"], "pillars": {"Hoạt động kinh tế số": 10.0}}}


def test_a_manual_claim_is_capped_at_the_maximum():
    t = rank([unit("UBND xã A", amount=50, manual_claim=35)], RULESET)     # 7.6's maximum is 20
    assert t.loc[0, "Hoạt động kinh tế số"] == 20 and t.loc[0, "Trong đó tạm tính"] == 20


def test_totals_and_ranks_with_a_tie(table):
    # Trưng Trắc 20+35+3.33+15 = 73.33; Minh Hải 20+35+3.33+10 (provisional) = 68.33; Chỉ Đạo 20+17.5+3.33+15 = 55.83
    got = dict(zip(table["Tên đơn vị"], zip(table["Tổng điểm"], table["Xếp hạng"])))
    assert got["UBND xã Lạc Đạo"] == (95.0, 1)
    assert got["UBND xã Trưng Trắc"] == (pytest.approx(73.33), 2)
    assert got["UBND xã Minh Hải"] == (pytest.approx(68.33), 3)
    assert table["Tổng điểm"].is_monotonic_decreasing


def test_tied_totals_share_a_rank():
    twins = [unit("UBND xã A", amount=50), unit("UBND xã B", amount=50), unit("UBND xã C", amount=50, leader="no"),
             unit("UBND xã D", amount=50, phones=0.1)]
    t = rank(twins, RULESET)
    assert t["Xếp hạng"].tolist() == [1, 1, 3, 4]
    # all units equal on a Min-Max indicator: each one with data gets the maximum
    assert (t["Hoạt động xã hội số"] == 30).all()
    assert competition_ranks([10, 9.5, 9.5, 8, 9.5]) == [1, 2, 2, 5, 2]


def test_minmax_points_lower_is_better_and_no_data():
    assert minmax_points({0: 1.0, 1: 3.0, 2: None}, 10, higher_is_better=False) == {0: 10.0, 1: 0.0, 2: None}
    assert minmax_points({0: None}, 10) == {0: None}


def test_empty_batch_gives_the_headers_only():
    t = rank([], RULESET)
    assert t.empty and list(t.columns)[-1] == "Xếp hạng"


def test_xlsx_read_back(table, tmp_path):
    path = write_ranking_xlsx(table, tmp_path / "xep-hang.xlsx")
    back = pd.read_excel(path, header=1, nrows=len(table))
    assert list(back.columns) == ["TT", "Tên đơn vị", *PILLARS, "Tổng điểm", "Trong đó tạm tính", "Xếp hạng"]
    assert back["Tên đơn vị"].tolist() == table["Tên đơn vị"].tolist()
    assert back["Tổng điểm"].tolist() == pytest.approx(table["Tổng điểm"].tolist())
    assert back["Xếp hạng"].tolist() == table["Xếp hạng"].tolist()

    wb = load_workbook(path)
    ws = wb["Xếp hạng"]
    assert "xếp hạng mức độ chuyển đổi số" in ws["A1"].value
    # provisional points: said in the title area, marked in the cells, listed on the notes sheet
    assert "TẠM TÍNH" in ws["A1"].value and "chưa dùng để ký" in ws["A1"].value
    assert ws["A2"].font.bold and ws["B2"].value == "Tên đơn vị"
    assert ws["C3"].number_format == "0.00" and ws.column_dimensions["B"].width >= 25
    mh = next(r for r in range(3, 3 + len(table)) if ws.cell(row=r, column=2).value == "UBND xã Minh Hải")
    col = {ws.cell(row=2, column=c).value: c for c in range(1, ws.max_column + 1)}
    assert ws.cell(row=mh, column=col["Hoạt động kinh tế số"]).number_format == '0.00"*"'
    assert ws.cell(row=mh, column=col["Tổng điểm"]).number_format == '0.00"*"'
    assert ws.cell(row=mh, column=col["Hạ tầng số"]).number_format == "0.00"
    notes = [[c for c in r if c is not None] for r in wb["Ghi chú"].iter_rows(values_only=True)]
    assert ["UBND xã Minh Hải", "10,00", "7.6"] in notes
    assert ["UBND xã Minh Hải", "8.4"] in notes
    assert "Chỉ số thiếu số liệu, tính 0 điểm (điểm tự chấm không được cộng)" in notes[-2]
