"""scoring.rules: every rule kind, with worked examples from the seeds' own wording."""
import unicodedata

import pytest

from rulesets.kinds.figures import fact_value, rate_of
from rulesets.model import RULE_KINDS, Indicator
from rulesets.vocab import truth_of
from scoring import compute_points
from scoring.rules import KINDS, figures_present, passes


def ind(rule, max_points=10, code="x.1", **kw):
    return Indicator(code=code, pillar="1", name="test", max_points=max_points, rule=rule, **kw)


LEADER = {"kind": "options", "fact": "leader", "options": [
    {"key": "chair", "match": ["Bí thư", "Chủ tịch"], "fraction": 1},
    {"key": "deputy", "match": ["Phó Bí thư", "Phó Chủ tịch"], "fraction": 0.5},
    {"key": "none", "match": ["Chưa có", "Chưa thành lập", "không phải"], "fraction": 0},
]}


def test_every_rule_kind_has_an_implementation():
    assert set(KINDS) == set(RULE_KINDS)


# ---- rate: Hùng Sơn "Điểm = Tỷ lệ% x Điểm tối đa"
@pytest.mark.parametrize("figures, expected", [
    ({"ratio": 0.85}, 8.5),                              # 2.5: 85% x 10
    ({"ratio": 0.8}, 8.0),                               # 2.7: 80% x 10
    ({"numerator": 2942, "denominator": 3263}, 9.016),   # counts only: a/b x max, 3 decimals
    ({"ratio": 1.71, "numerator": 48, "denominator": 28}, 10.0),   # Hương Xuân 171% (48/28): capped
    ({"ratio": 0.5, "numerator": 1, "denominator": 4}, 5.0),       # the printed rate wins
    ({"numerator": 5, "denominator": 0}, None),
    ({}, None),
])
def test_rate(figures, expected):
    assert compute_points(ind({"kind": "rate"}), figures) == expected


def test_rate_answer_yes_no_stands_for_full_or_nothing():
    # "Cung cấp đầy đủ: Điểm tối đa; ... Không cung cấp: 0 điểm" answered Có / Không
    assert compute_points(ind({"kind": "rate"}, 30), {"answer": "yes"}) == 30
    assert compute_points(ind({"kind": "rate"}, 30), {"answer": "no"}) == 0
    assert compute_points(ind({"kind": "rate"}, 30), {"answer": "một phần"}) is None


# ---- rate_threshold: Hòa Bình xã 3.4 "Tỷ lệ >= 85%: Điểm tối đa; < 85%: Tỷ lệ/85% * Điểm tối đa"
@pytest.mark.parametrize("ratio, expected", [(0.80, 9.412), (0.85, 10.0), (0.90, 10.0), (0.0, 0.0)])
def test_rate_threshold_hoa_binh_3_4(ratio, expected):
    rule = {"kind": "rate_threshold", "threshold": 0.85}
    assert compute_points(ind(rule), {"ratio": ratio}) == expected


# ---- bands
HB_6_4 = {"kind": "bands", "bands": [{"min": 0.7, "points": "max"}, {"min": 0.3, "points": "rate"}]}
HB_4_4 = {"kind": "bands", "bands": [{"min": 0.7, "inclusive": False, "points": "max"},
                                     {"min": 0.5, "points": 0.5}]}
HY_6_5 = {"kind": "bands", "bands": [{"min": 1.0, "points": "max"}, {"min": 0.6, "points": "rate"}]}


@pytest.mark.parametrize("rule, ratio, expected", [
    (HB_6_4, 0.70, 40), (HB_6_4, 0.5, 20), (HB_6_4, 0.30, 12), (HB_6_4, 0.2999, 0),   # >=70 max, 30-70 rate, <30 0
    (HB_4_4, 0.71, 40), (HB_4_4, 0.70, 20), (HB_4_4, 0.5, 20), (HB_4_4, 0.49, 0),     # >70 max, 50-69 half
    (HY_6_5, 1.0, 40), (HY_6_5, 0.8, 32), (HY_6_5, 0.59, 0),                          # 100%, 60-100 rate, <60 0
])
def test_bands(rule, ratio, expected):
    assert compute_points(ind(rule, 40), {"ratio": ratio}) == expected


def test_bands_from_counts():
    assert compute_points(ind(HB_6_4, 40), {"numerator": 7, "denominator": 10}) == 40


# ---- yes_no: "Đã ban hành: Điểm tối đa - Chưa ban hành: 0 điểm"
@pytest.mark.parametrize("answer, expected", [
    ("yes", 20), ("no", 0), ("Đã ban hành", 20), ("Chưa ban hành", 0), ("Có", 20), ("Không", 0),
    ("Chưa có", 0), (None, None), ("Đang xây dựng", None),
])
def test_yes_no(answer, expected):
    assert compute_points(ind({"kind": "yes_no"}, 20), {"answer": answer}) == expected


# ---- options: chair / deputy / none (Hòa Bình 1.1, Hưng Yên 1.1)
@pytest.mark.parametrize("figures, expected", [
    ({"leader": "chair"}, 20), ({"leader": "deputy"}, 10), ({"leader": "none"}, 0),
    ({"answer": "Bí thư Đảng ủy xã là Trưởng ban"}, 20),
    ({"answer": "Phó Chủ tịch UBND xã là Trưởng ban"}, 10),      # "Chủ tịch" inside "Phó Chủ tịch"
    ({"answer": "Trưởng ban là Chủ tịch, Phó ban là Phó Chủ tịch UBND"}, 20),
    ({"answer": "Chưa thành lập Ban chỉ đạo"}, 0),
    ({"answer": "no"}, 0),
    ({"answer": unicodedata.normalize("NFD", "Phó Bí thư Đảng ủy")}, 10),   # decomposed accents
    ({"answer": "Pho Chu tich UBND xa"}, 10),                               # accents lost by OCR
    ({"answer": "Trưởng ban là công chức văn hóa"}, None),
    ({}, None),
])
def test_options_leader(figures, expected):
    assert compute_points(ind(LEADER, 20), figures) == expected


def test_options_frequency_wording():
    # Hùng Sơn 5.19 "Thời gian cập nhật, đăng tải tin bài: Hàng ngày"
    rule = {"kind": "options", "options": [
        {"key": "daily", "match": ["Hàng ngày"], "fraction": 1},
        {"key": "weekly", "match": ["Hàng tuần"], "fraction": 0.5},
        {"key": "monthly", "match": ["Hàng tháng"], "fraction": 0}]}
    assert compute_points(ind(rule), {"answer": "Hàng ngày"}) == 10
    assert compute_points(ind(rule), {"option": "Cập nhật hàng tuần"}) == 5
    assert compute_points(ind(rule), {"answer": "Hàng tháng"}) == 0


# ---- tiers
CAMERAS = {"kind": "tiers", "fact": "count", "tiers": [
    {"min": 10, "fraction": 1}, {"min": 5, "fraction": 0.5}, {"min": 1, "fraction": 0.25}]}   # Hòa Bình 3.8
PER_MONTH = {"kind": "tiers", "fact": "per_month", "tiers": [{"min": 4, "fraction": 1}, {"min": 2, "fraction": 0.5}]}
PER_WEEK = {"kind": "tiers", "fact": "per_week", "tiers": [{"min": 1, "fraction": 1}, {"min": 12 / 52, "fraction": 0.5}]}
AMOUNT = {"kind": "tiers", "fact": "amount", "tiers": [{"min": 30, "fraction": 1}]}           # Hùng Sơn 5.28 ≥ 30 triệu


@pytest.mark.parametrize("rule, mx, figures, expected", [
    (CAMERAS, 10, {"count": 10}, 10), (CAMERAS, 10, {"count": 9}, 5), (CAMERAS, 10, {"count": 4}, 2.5),
    (CAMERAS, 10, {"count": 0}, 0), (CAMERAS, 10, {"answer": "9 camera"}, 5), (CAMERAS, 10, {"answer": "Chưa có"}, 0),
    (CAMERAS, 10, {}, None),
    (PER_MONTH, 10, {"per_month": 4}, 10), (PER_MONTH, 10, {"per_month": 3}, 5), (PER_MONTH, 10, {"per_month": 1}, 0),
    (PER_MONTH, 10, {"answer": "2 lần/tháng"}, 5), (PER_MONTH, 10, {"per_week": 1}, 10),
    (PER_WEEK, 20, {"per_week": 2}, 20), (PER_WEEK, 20, {"answer": "2 lần/tháng"}, 10),
    (PER_WEEK, 20, {"answer": "Hàng tuần"}, 20), (PER_WEEK, 20, {"answer": "3 tháng/lần"}, 0),
    (PER_WEEK, 20, {"per_month": 1}, 10),
    (AMOUNT, 40, {"amount": 35}, 40), (AMOUNT, 40, {"amount": 20}, 0),
])
def test_tiers(rule, mx, figures, expected):
    assert compute_points(ind(rule, mx), figures) == expected


def test_articles_fall_back_on_count():
    rule = {"kind": "tiers", "fact": "articles", "tiers": [{"min": 12, "fraction": 1}]}
    assert fact_value({"count": 14}, "articles") == 14
    assert compute_points(ind(rule), {"count": 14}) == 10


# ---- per_item: Hòa Bình 3.9 wifi: one-stop 1/2 max, 2 points per other place, at most 5
WIFI = {"kind": "per_item", "base_fact": "one_stop_wifi", "base_fraction": 0.5,
        "item_fact": "other_points", "points_per_item": 2, "items_cap_points": 5}


@pytest.mark.parametrize("figures, expected", [
    ({"one_stop_wifi": False, "other_points": 2}, 4), ({"one_stop_wifi": True, "other_points": 1}, 7),
    ({"one_stop_wifi": True, "other_points": 3}, 10), ({"one_stop_wifi": True}, 5), ({}, None),
])
def test_per_item_wifi(figures, expected):
    assert compute_points(ind(WIFI), figures) == expected


# ---- sum: Hòa Bình 1.3 section points (1) + article-count points (2); 6.1 functional 3/5 + IPv6 2/5
SECTION = {"kind": "sum", "parts": [
    {"share": 0.5, "rule": {"kind": "options", "fact": "section", "options": [
        {"key": "none", "match": ["Chưa có chuyên mục"], "fraction": 0},
        {"key": "link", "match": ["liên kết"], "fraction": 0.5},
        {"key": "own", "match": ["chuyên mục riêng"], "fraction": 1}]}},
    {"share": 0.5, "rule": {"kind": "tiers", "fact": "articles", "tiers": [
        {"min": 12, "fraction": 1}, {"min": 6, "fraction": 0.5}]}}]}
WEBSITE = {"kind": "sum", "parts": [{"share": 0.6, "rule": {"kind": "yes_no", "fact": "functional"}},
                                    {"share": 0.4, "rule": {"kind": "yes_no", "fact": "ipv6"}}]}


@pytest.mark.parametrize("figures, expected", [
    ({"section": "own", "articles": 14}, 20), ({"section": "link", "articles": 13}, 15),
    ({"section": "own", "articles": 7}, 15), ({"section": "none", "articles": 0}, 0),
    ({"answer": "Chưa có chuyên mục riêng, có liên kết về Trang CĐS tỉnh; 13 tin, bài"}, 15),
    ({"section": "own"}, None),
])
def test_sum_section_and_articles(figures, expected):
    assert compute_points(ind(SECTION, 20), figures) == expected


def test_sum_of_yes_no_facts_does_not_read_the_row_answer():
    assert compute_points(ind(WEBSITE, 30), {"functional": True, "ipv6": False}) == 18
    assert compute_points(ind(WEBSITE, 30), {"functional": True, "ipv6": True}) == 30
    # the answer "yes" is for the whole row: it must not fill in the IPv6 part
    assert compute_points(ind(WEBSITE, 30), {"functional": True, "answer": "yes"}) is None


# ---- weighted: Hòa Bình Sở 3.1: (a/c) × 3/4 × max + (b/d) × 1/4 × max; no viên chức: (a/c) × max
STAFF = {"kind": "weighted", "parts": [{"weight": 0.75, "figures": "staff", "rule": {"kind": "rate"}},
                                       {"weight": 0.25, "figures": "employees", "rule": {"kind": "rate"}}]}


def test_weighted_staff_and_employees():
    figs = {"staff": {"numerator": 18, "denominator": 20}, "employees_numerator": 5, "employees_denominator": 10}
    assert compute_points(ind(STAFF, 20), figs) == 16.0          # (0.9×0.75 + 0.5×0.25) × 20
    assert compute_points(ind(STAFF, 20), {"staff": {"ratio": 0.9}}) == 18.0   # no viên chức
    assert compute_points(ind(STAFF, 20), {"ratio": 0.9}) is None


# ---- kinds with no points of their own per report
def test_minmax_manual_pass_fail_give_none():
    assert compute_points(ind({"kind": "minmax", "value": "amount"}, 30), {"amount": 100}) is None
    assert compute_points(ind({"kind": "manual", "note": "nguồn không cho cách tính"}), {"answer": "yes"}) is None
    pf = ind({"kind": "pass_fail", "threshold": 0.9}, None)
    assert compute_points(pf, {"numerator": 743, "denominator": 746}) is None
    # Hương Xuân "743/746 đạt 99,59%": Đạt
    assert passes(pf, {"numerator": 743, "denominator": 746}) is True
    assert passes(pf, {"ratio": 0.5}) is False
    assert passes(ind({"kind": "pass_fail"}, None), {"answer": "Chưa đạt"}) is False


def test_dvctt_substitution_scores_the_normal_rule_per_row():
    rule = {"kind": "dvctt_substitution", "rule": {"kind": "rate"}}
    assert compute_points(ind(rule, 40), {"ratio": 0.5}) == 20


def test_heading_and_unknown_max_give_none():
    assert compute_points(ind({"kind": "yes_no"}, heading=True), {"answer": "yes"}) is None
    # Hùng Sơn 5.16.8 "Không | 0 |" with no maximum printed: 0 is certain, "yes" is not
    assert compute_points(ind({"kind": "yes_no"}, None), {"answer": "yes"}) is None
    assert compute_points(ind({"kind": "yes_no"}, None), {"answer": "no"}) == 0
    assert compute_points(ind({"kind": "rate"}, None), {"ratio": 0.5}) is None


def test_helpers():
    assert rate_of({"ratio": 1.2941}) == 1.0
    assert truth_of("Chưa có") is False and truth_of("Có") is True and truth_of("abc") is None
    assert figures_present({"kind": "rate"}, {"numerator": 1, "denominator": 2})
    assert not figures_present({"kind": "rate"}, {"numerator": 1})
    assert not figures_present({"kind": "tiers", "fact": "count", "tiers": []}, {"answer": "Có"})
    assert figures_present({"kind": "minmax", "value": "amount"}, {"amount": 5})
