"""The one vocabulary (rulesets.vocab): numbers, answers, frequencies, and that the
matchers and scoring read words through it alike."""
import pytest

from matchers.answers import extract_facts
from matchers.figures import extract_figures
from rulesets import vocab
from rulesets.vocab import answer_polarity, frequency, normalise_answer, parse_number, truth_of
from rulesets.kinds.figures import fact_value
from scoring.rules import score_rule

NEGATIVES = [
    "Không", "Chưa", "Chưa ban hành", "Chưa có", "Chưa triển khai", "Chưa đạt", "Không đạt",
    "Chưa thành lập", "Chưa cài đặt", "Không có", "Chưa có chuyên mục riêng", "không.",
    # as OCR leaves them: accents lost or damaged, one letter wrong, "0" for "o"
    "Chua ban hanh", "Chưa dat", "Chua dat", "Chura ban hành", "Chưả có", "Khòng có", "Kh0ng",
    "Khong", "CHƯA BAN HÀNH", "Chu a trien khai", "no", "false",
]
POSITIVES = ["Có", "Đạt", "Đã ban hành", "Hoàn thành", "Hoàn chỉnh", "x", "X", "✓", "Có:",
             "Đã ban hành (Kế hoạch số 35/KH-UBND ngày 20/02/2024)", "Đầy đủ, kịp thời", "Đã cài đặt"]
NEITHER = ["Không áp dụng", "Không phát sinh", "Chủ tịch UBND xã là Trưởng ban", "4 lần/tháng",
           "Cổng thông tin điện tử", "Khung kiến trúc", "Chung cư", "Công khai", "Cài đặt đầy đủ", ""]


@pytest.mark.parametrize("raw", NEGATIVES)
def test_negative_answers_are_no_in_every_room(raw):
    assert answer_polarity(raw) == "no"
    assert truth_of(raw) is False
    assert extract_figures(raw).answer == "no"             # the matcher's reading
    # the scorer's yes/no rule on the answer as text gives nothing
    assert score_rule({"kind": "yes_no"}, {"answer": raw}, 20) == 0.0


@pytest.mark.parametrize("raw", POSITIVES)
def test_positive_answers_are_yes_in_every_room(raw):
    assert answer_polarity(raw) == "yes"
    assert truth_of(raw) is True
    assert extract_figures(raw).answer == "yes"
    assert score_rule({"kind": "yes_no"}, {"answer": raw}, 20) == 20


@pytest.mark.parametrize("raw", NEITHER)
def test_other_text_is_neither(raw):
    assert answer_polarity(raw) is None
    assert truth_of(raw) is None
    assert normalise_answer(raw) == (raw or None)
    assert score_rule({"kind": "yes_no"}, {"answer": raw}, 20) is None


@pytest.mark.parametrize("raw,want", [
    ("1.570", 1570), ("8,5", 8.5), ("8.0", 8.0), ("82,14", 82.14), ("1.570,5", 1570.5),
    ("1 570", 1570), ("1O0", 100), ("17.38", 17.38), ("10.000", 10000), ("0,85", 0.85),
    ("abc", None), ("1.2.3", None), ("", None),
])
def test_numbers(raw, want):
    assert parse_number(raw) == want


@pytest.mark.parametrize("raw,per_week", [
    ("2 lần/tuần", 2.0), ("Hàng tuần", 1.0), ("hằng tuần", 1.0), ("4 lần/tháng", 4 * 12 / 52),
    ("3 tháng/lần", 4 / 52), ("Chưa phát sóng", 0.0), ("Không", 0.0), ("1,5 lần/tuần", 1.5),
])
def test_frequency_is_read_the_same_by_matcher_and_scoring(raw, per_week):
    assert frequency(raw)["per_week"] == pytest.approx(per_week)
    # scoring's fallback from the answer text and the matcher's fact agree
    assert fact_value({"answer": raw}, "per_week") == pytest.approx(per_week)
    facts = extract_facts(raw)
    if "per_week" in facts:
        assert facts["per_week"] == pytest.approx(per_week)


def test_one_reader_each():
    # the rooms re-export the vocabulary's functions instead of keeping their own
    import matchers.answers as ma
    import matchers.figures as mf
    import matchers.normalize as mn
    import rulesets.kinds.figures as kf
    assert ma.normalise_answer is vocab.normalise_answer and ma.frequency is vocab.frequency
    assert mf.parse_number is vocab.parse_number and mn.clean is vocab.clean
    assert kf.truth_of is vocab.truth_of and kf.frequency is vocab.frequency
