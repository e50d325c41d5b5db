from pathlib import Path

import pytest

from matchers.answers import extract_facts, frequency, normalise_answer
from matchers.figures import (extract_figures, parse_count, parse_fraction, parse_money, parse_money_ex,
                              parse_number, parse_points, parse_rate, parse_rate_ex, parse_rate_times_max,
                              parse_score)

SEEDS = Path("/work/shared/seeds")


@pytest.mark.parametrize("raw, want", [
    ("1.570", 1570), ("8,5", 8.5), ("8.0", 8.0), ("10.000", 10000), ("1.570,5", 1570.5),
    ("99,59", 99.59), ("0,85", 0.85), ("1 570", 1570), ("1O0", 100), ("1l", 11), ("17.38", 17.38),
    ("2.5", 2.5), ("1.961", 1961), ("33.000", 33000), ("1,570,000", 1570000), ("1.570.000", 1570000),
    ("0", 0), ("04", 4), (" 20 ", 20), ("8,5.", 8.5),
])
def test_parse_number(raw, want):
    assert parse_number(raw) == pytest.approx(want)


@pytest.mark.parametrize("raw", ["", None, "abc", "Có", "1..5", "1,2,3", "8,", "16/7/2022"])
def test_parse_number_rejects(raw):
    assert parse_number(raw) is None


@pytest.mark.parametrize("raw, want", [
    ("85%", 0.85), ("85 %", 0.85), ("78,5%", 0.785), ("Tỷ 50%", 0.5), ("129,41%", 1.2941),
    ("5/6 cuộc họp, đạt 83,33%", 0.8333), ("Đạt 100%.", 1.0), ("$100\\%$", 1.0), ("0%", 0.0),
])
def test_parse_rate(raw, want):
    assert parse_rate(raw) == pytest.approx(want)


def test_parse_rate_threshold_and_context():
    r = parse_rate_ex("≥ 5%")
    assert r.value == pytest.approx(0.05) and r.op == "≥"
    assert parse_rate_ex("$< 20\\%$").op == "<"
    assert parse_rate_ex("dưới 30%").op == "<"
    assert parse_rate_ex("85%").op is None
    # a bare fraction is a rate only when the caller says so
    assert parse_rate("0,85") is None
    assert parse_rate("0,85", rate_context=True) == pytest.approx(0.85)
    assert parse_rate("8,5", rate_context=True) is None
    assert parse_rate("Tỷ lệ%") is None
    assert parse_rate("") is None


@pytest.mark.parametrize("raw, num, den, ratio", [
    ("48/28", 48, 28, None),
    ("645/645", 645, 645, None),
    ("**645/645**, đảm bảo", 645, 645, None),
    ("743/746 đạt 99,59%", 743, 746, 0.9959),
    ("1.570/2.000 hộ", 1570, 2000, None),
    ("a = 45; b = 50", 45, 50, None),
    ("a=45, b=50", 45, 50, None),
    ("a = 6.202; b = 8.558", 6202, 8558, None),
    ("Số lượng: 45/50", 45, 50, None),
    ("Tỷ lệ máy tính/CBCC: 171% (48/28).", 48, 28, 1.71),
    ("100% (23/23), tự chấm 20/20 điểm", 23, 23, 1.0),
    ("100% (3/3 điểm), tự chấm 15 điểm", 3, 3, 1.0),
    ("132/33.000 triệu đồng", 132, 33000, None),
    ("Có 5.944 / 6.604 người", 5944, 6604, None),
])
def test_parse_fraction(raw, num, den, ratio):
    f = parse_fraction(raw)
    assert f is not None
    assert (f.numerator, f.denominator) == (num, den)
    assert f.ratio == (pytest.approx(ratio) if ratio is not None else None)


@pytest.mark.parametrize("raw", [
    "16/7/2022", "ngày 11/09/2024", "ngày 16/7", "65/BC-UBND", "126/QĐ-UBND", "Số: 612/BC-UBND",
    "20/20 điểm", "tự chấm 8,5/10", "điểm tự đánh giá: 30/30.", "1/2*Điểm tối đa", "1/2 * Điểm tối đa",
    "Nghị định 42/2022/NĐ-CP", "Thông tư số 03/2014/TT-BTTTT", "Hạ tầng 3G/4G/5G", "4 lần/1 tháng",
    "Đã ban hành (Kế hoạch số 57/KH-UBND ngày 11/09/2024)", "", "Có",
])
def test_parse_fraction_rejects_dates_docs_and_scores(raw):
    assert parse_fraction(raw) is None


@pytest.mark.parametrize("raw, want", [
    ("8,5", 8.5), ("8.0", 8.0), ("20", 20), ("15 điểm", 15), ("0", 0), ("16,84đ", 16.84), ("20/20", 20),
    ("", None), (None, None), ("Có", None), ("85% x 10", None), ("100%", None), ("2022 điểm", None),
])
def test_parse_points(raw, want):
    assert parse_points(raw) == want


@pytest.mark.parametrize("raw, ratio, mx", [
    ("85% x 10", 0.85, 10), ("100% x 20", 1.0, 20), ("Tỷ lệ% x 20", None, 20), ("Tỷ 50% x 20", 0.5, 20),
    ("$100\\% \\times 10$", 1.0, 10), ("77,85% x 10", 0.7785, 10), ("80% × 30", 0.8, 30), ("41,1% x 20", 0.411, 20),
    ("60%x20", 0.6, 20),
])
def test_parse_rate_times_max(raw, ratio, mx):
    r, m = parse_rate_times_max(raw)
    assert m == mx
    assert r == (pytest.approx(ratio) if ratio is not None else None)


@pytest.mark.parametrize("raw", ["Điểm = Tỷ lệ% x Điểm tối đa", "85%", "20", "", "x 10"])
def test_parse_rate_times_max_rejects(raw):
    assert parse_rate_times_max(raw) is None


@pytest.mark.parametrize("raw, pts, mx", [
    ("tự chấm 20/20 điểm", 20, 20), ("điểm tự đánh giá: 30/30.", 30, 30), ("đạt 8,5/10 điểm", 8.5, 10),
    ("tự chấm 16,84 điểm (tối đa 20 điểm)", 16.84, 20), ("tự chấm: 20 điểm", 20, None),
    ("Không, tự chấm 0 điểm.", 0, None), ("Có, 7,58/10 điểm", 7.58, 10),
    ("743/746 đạt 99,59%", None, None), ("đạt 85%", None, None), ("100% (3/3 điểm)", None, None),
])
def test_parse_score(raw, pts, mx):
    assert parse_score(raw) == (pts, mx)


@pytest.mark.parametrize("raw, want, op", [
    ("≥ 30 triệu", 30, "≥"), ("35 triệu đồng", 35, None), ("1,2 tỷ đồng", 1200, None),
    ("500.000.000 đồng", 500, None), ("120 triệu", 120, None), ("500 nghìn đồng", 0.5, None),
])
def test_parse_money(raw, want, op):
    amount, got_op = parse_money_ex(raw)
    assert amount == pytest.approx(want) and got_op == op


@pytest.mark.parametrize("raw", ["Tỷ 50%", "Tỷ lệ 85%", "20 đ", "132/33.000 triệu đồng", "Không", ""])
def test_parse_money_rejects(raw):
    assert parse_money(raw) is None


@pytest.mark.parametrize("raw, n, period", [
    ("9 camera", 9, None), ("35 tin, bài/năm", 35, "per_year"), ("4 lần/tháng", 4, "per_month"),
    ("2 lần/tuần", 2, "per_week"), ("12 tin bài", 12, None), ("4 lần/1 tháng", 4, "per_month"),
    ("7 tin, bài trong năm", 7, "per_year"), ("3 điểm wifi công cộng", 3, None), ("1.224 hộ", 1224, None),
])
def test_parse_count(raw, n, period):
    c = parse_count(raw)
    assert c.value == n and c.period == period


def test_parse_count_rejects_scores_and_respects_units():
    assert parse_count("20 điểm") is None
    assert parse_count("3/3 điểm") is None
    assert parse_count("Có") is None
    assert parse_count("9 camera", unit_words=["tin"]) is None
    assert parse_count("có 04 màn hình", unit_words=["màn hình"]).value == 4


def test_extract_figures_hung_son_cells():
    f = extract_figures("$100\\% \\times 10$")
    assert (f.ratio, f.max_points, f.factor_pct) == (1.0, 10, 100)
    f = extract_figures("Tỷ 50% x 20")
    assert (f.ratio, f.max_points) == (0.5, 20)
    f = extract_figures("8,5")
    assert f.points == 8.5 and f.ratio is None
    f = extract_figures("$\\geq 5\\%$ hoặc tiếp nhận 100% qua DVC trực tuyến")
    assert f.ratio == pytest.approx(0.05) and f.rate_op == "≥" and f.certainty < 1


def test_extract_figures_sentence():
    f = extract_figures("- Tỷ lệ CBCC được trang bị máy tính: 100% (23/23), tự chấm 20/20 điểm")
    assert (f.ratio, f.numerator, f.denominator, f.points, f.max_points) == (1.0, 23, 23, 20, 20)
    assert f.certainty == 1.0
    f = extract_figures("5.944/6.604 người, đạt 90,01%, tự chấm: 31,5 điểm")
    assert (f.numerator, f.denominator, f.ratio, f.points) == (5944, 6604, pytest.approx(0.9001), 31.5)


def test_extract_figures_lowers_certainty_on_conflict():
    # the printed rate disagrees with the counts
    assert extract_figures("48/28, đạt 50%").certainty < 1
    # two different fractions in one cell
    assert extract_figures("12/14 thôn; 3/5 tổ").certainty < 1
    assert extract_figures("").certainty == 1.0 and extract_figures("").ratio is None


def test_extract_figures_answers_and_facts():
    f = extract_figures("Chưa có chuyên mục")
    assert f.answer == "no" and f.facts["section"] == "none" and f.count == 0
    f = extract_figures("Có (Quyết định số 04/QĐ-UBND ngày 27/05/2023)")
    assert f.answer == "yes" and f.numerator is None
    f = extract_figures("35 triệu đồng")
    assert f.amount == 35 and f.points is None


@pytest.mark.parametrize("raw", [
    "Có", "Đạt", "Đã ban hành", "Đã triển khai", "Hoàn chỉnh", "Đầy đủ, kịp thời", "Đúng hạn", "Có kết nối",
    "Đã có", "Đáp ứng", "Có:", "Có (Quyết định số 04/QĐ-UBND ngày 27/05/2023)", "Đạt, có 04 màn hình", "x",
    "Dat", "Có thực hiện (Công văn số 79/UBND-VP)", "- Tỷ lệ UBND cấp xã ứng dụng phần mềm một cửa: Đạt.",
])
def test_answer_yes(raw):
    assert normalise_answer(raw) == "yes"


@pytest.mark.parametrize("raw", [
    "Không", "Chưa", "Chưa đạt", "Chưa có", "Chưa ban hành", "Chưa triển khai", "Không có", "Không phủ sóng tối đa",
    "Chưa hoàn chỉnh", "Chưa đầy đủ", "Chưa đúng hạn", "Chưa kết nối", "Chua dat", "Chưa thành lập Ban chỉ đạo",
    "Tỷ lệ cán bộ (Có 02 công chức đã học xong nhưng chưa cấp văn bằng). Chưa đạt.",
])
def test_answer_no(raw):
    assert normalise_answer(raw) == "no"


@pytest.mark.parametrize("raw", [
    "Chủ tịch UBND xã là Trưởng ban", "Hàng ngày", "4 lần/tháng", "Cập nhật đầy đủ thông tin",
    "Cập nhật chưa đầy đủ thông tin", "Không áp dụng", "100%", "Coi",
])
def test_answer_as_read(raw):
    assert normalise_answer(raw) == raw


@pytest.mark.parametrize("raw, want", [
    ("Chủ tịch UBND xã là Trưởng ban", "chair"), ("Bí thư Đảng ủy xã là Trưởng ban", "chair"),
    ("Phó Chủ tịch UBND xã là Trưởng ban", "deputy"), ("Trưởng ban là Phó Bí thư Đảng ủy", "deputy"),
    ("Chưa thành lập Ban chỉ đạo", "none"), ("Chưa thành lập BCĐ", "none"),
    ("Có Ban chỉ đạo nhưng Trưởng ban không phải lãnh đạo UBND", "none"),
])
def test_fact_leader(raw, want):
    assert extract_facts(raw)["leader"] == want


def test_fact_leader_needs_context():
    assert "leader" not in extract_facts("Bí thư/Chủ tịch xã chủ trì các cuộc họp")


@pytest.mark.parametrize("raw, section, articles", [
    ("Có chuyên mục riêng về CĐS; 14 tin, bài trong năm", "own", 14),
    ("Chưa có chuyên mục riêng, có liên kết về Trang CĐS của tỉnh; 13 tin, bài", "link", 13),
    ("Chưa có chuyên mục", "none", 0), ("Có chuyên mục; 8 tin, bài", "own", 8),
])
def test_fact_section(raw, section, articles):
    f = extract_facts(raw)
    assert f["section"] == section and f["articles"] == articles and f["count"] == articles


@pytest.mark.parametrize("raw, key, want", [
    ("4 lần/tháng", "per_month", 4), ("8 lần/tháng", "per_month", 8), ("2 lần/tuần", "per_week", 2),
    ("Hàng tuần", "per_week", 1), ("Hằng tháng", "per_month", 1), ("Chưa phát sóng", "per_week", 0),
    ("2 lần/tháng", "per_week", 24 / 52), ("3 tháng/lần", "per_week", 4 / 52), ("1 tháng/1 lần", "per_month", 1),
    ("4 lần/1 tháng", "per_month", 4), ("mỗi tuần 1 lần", "per_week", 1), ("Hàng ngày", "per_week", 7),
])
def test_frequency(raw, key, want):
    assert extract_facts(raw)[key] == pytest.approx(want)
    assert frequency(raw)[key] == pytest.approx(want)


def test_frequency_absent():
    assert frequency("Có") == {}
    assert "per_week" not in extract_facts("9 camera")


def test_facts_wifi_website_counts_money():
    f = extract_facts("Chưa có wifi tại Bộ phận một cửa; 2 điểm wifi công cộng khác")
    assert f["one_stop_wifi"] is False and f["other_points"] == 2 and f["count"] == 2
    f = extract_facts("Có wifi miễn phí tại Bộ phận một cửa; 3 điểm wifi công cộng khác")
    assert f["one_stop_wifi"] is True and f["other_points"] == 3
    f = extract_facts("Đáp ứng yêu cầu chức năng theo NĐ 42/2022/NĐ-CP; chưa chuyển đổi IPv6")
    assert f["functional"] is True and f["ipv6"] is False
    f = extract_facts("Chưa đáp ứng đầy đủ yêu cầu chức năng; đã chuyển đổi IPv6")
    assert f["functional"] is False and f["ipv6"] is True
    assert extract_facts("9 camera")["count"] == 9
    assert extract_facts("Chưa có")["count"] == 0
    assert extract_facts("120 triệu đồng")["amount"] == 120
    assert extract_facts("") == {} and extract_facts("Có") == {}


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not available")
def test_hung_son_seed_score_cells():
    """Every 'P% x M' cell of the Hùng Sơn report parses; the rows' last column is a points value."""
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line]
    rtm = [(r[0], parse_rate_times_max(r[3])) for r in rows if len(r) >= 5 and " x " in r[3] or "times" in "".join(r)]
    rtm = [(c, v) for c, v in rtm if v]
    assert len(rtm) >= 25
    by_code = dict(rtm)
    assert by_code["2.5"] == (0.85, 10)
    assert by_code["7.1"] == (None, 20)           # "Tỷ lệ% x 20": rate missing
    assert by_code["7.3"] == (0.5, 20)            # "Tỷ 50% x 20": OCR typo
    assert by_code["5.21"] == (1.0, 10)           # LaTeX remnant
    last = {r[0]: parse_points(r[4]) for r in rows if len(r) >= 5 and r[0].strip()}
    assert last["2.5"] == 8.5 and last["2.7"] == 8.0 and last["5.2"] == 30


def test_ab_counts_with_ocr_stray_punctuation():
    # OCR leaves dots between the parts of "a = …; b = …"
    for text in ("a= 2.229;.b = 7.096", "a = 2.229 ; . b = 7.096"):
        f = parse_fraction(text)
        assert (f.numerator, f.denominator) == (2229, 7096)


def test_ab_counts_when_ocr_drops_the_first_equals_sign():
    f = parse_fraction("a 7.845; b = 9.620")
    assert (f.numerator, f.denominator) == (7845, 9620)


# ---------------------------------------------------------------- "x/y điểm": counts or score

@pytest.mark.parametrize("text,hint,points,mx,counts", [
    ("4/4 điểm; tự chấm 15 điểm (tối đa 15 điểm)", None, 15, 15, (4, 4)),
    ("Có 3/4 điểm phục vụ có kết nối, tự chấm 15/15 điểm", None, 15, 15, (3, 4)),
    ("Đạt 2/5 điểm. Tự chấm 12/15 điểm.", None, 12, 15, (2, 5)),
    ("1/1 điểm", 15, None, None, (1, 1)),          # the row's maximum is 15: counts
    ("20/20 điểm", 20, 20, 20, None),               # equal to the maximum: the score pair
    ("tự chấm 20/20 điểm", None, 20, 20, None),
    ("3/4 điểm", None, 3, 4, None),                 # nothing else to go by: a score pair
])
def test_pairs_in_diem_are_counts_or_the_score(text, hint, points, mx, counts):
    f = extract_figures(text, max_hint=hint)
    assert (f.points, f.max_points) == (points, mx)
    assert ((f.numerator, f.denominator) if f.numerator is not None else None) == counts


@pytest.mark.parametrize("text,want", [("607,5\n8", 607.58), ("607,5 8", 607.58), ("8,21", 8.21),
                                       ("20 10", None), ("12,25 5", 12.255)])
def test_points_wrapped_in_a_narrow_cell(text, want):
    assert parse_points(text) == want


@pytest.mark.parametrize("text,want", [
    ("82,14% x 10", (0.8214, 10)), ("10 x 82,14%", (0.8214, 10)), ("(82,14%) x 10", (0.8214, 10)),
    ("0,82 x 10", (0.82, 10)), ("85% x 10.", (0.85, 10)), ("82.14% × 10", (0.8214, 10)),
    ("2 x 3", None), ("1/2 x 10", None),
])
def test_rate_times_max_in_any_order(text, want):
    assert parse_rate_times_max(text) == want
