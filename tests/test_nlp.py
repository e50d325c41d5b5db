from pathlib import Path

import pytest

from matchers.nlp import find_figures, sentences

SEEDS = Path("/work/shared/seeds")


def labels(sentence):
    return [(label, value) for label, _, value in find_figures(sentence)]


def test_bullet_sentence_all_figures():
    got = labels("- Tỷ lệ CBCC được trang bị máy tính: 100% (23/23), tự chấm 20/20 điểm")
    assert got == [("RATE", 1.0), ("FRACTION", (23, 23)), ("POINTS", (20, 20))]


@pytest.mark.parametrize("sentence, want", [
    ("Tỷ lệ hồ sơ TTHC trả đúng hạn: 743/746 đạt 99,59%.", [("FRACTION", (743, 746)), ("RATE", 0.9959)]),
    ("Tỷ lệ máy tính/CBCC: 171% (48/28).", [("RATE", 1.71), ("FRACTION", (48, 28))]),
    ("Tỷ lệ hộ: 78,5% (1.570/2.000 hộ)", [("RATE", 0.785), ("FRACTION", (1570, 2000))]),
    ("Số liệu: a = 45; b = 50, tỷ lệ 90%", [("FRACTION", (45, 50)), ("RATE", 0.9)]),
    ("Hiệu quả đạt 8,5/10 điểm", [("POINTS", (8.5, 10))]),
    ("Có, tự chấm 16,84 điểm (tối đa 20 điểm).", [("POINTS", (16.84, None)), ("MAX", 20)]),
    ("Có, điểm tự đánh giá: 30/30.", [("POINTS", (30, 30))]),
    ("Số điểm phục vụ: 100% (3/3 điểm), tự chấm 15 điểm.",
     [("RATE", 1.0), ("FRACTION", (3, 3)), ("POINTS", (15, None))]),
    ("Tổng kinh phí: 100 triệu đồng, tự chấm: 24 điểm.", [("MONEY", 100), ("POINTS", (24, None))]),
    ("Chi ≥ 30 triệu", [("MONEY", 30)]),
    ("Kinh phí 1,2 tỷ đồng", [("MONEY", 1200)]),
    ("Có chuyên mục; 8 tin, bài, phát 2 lần/tuần, lắp 9 camera", [("COUNT", 8), ("COUNT", 2), ("COUNT", 9)]),
    ("Đạt, có 04 màn hình", [("COUNT", 4)]),
])
def test_find_figures(sentence, want):
    assert labels(sentence) == want


@pytest.mark.parametrize("sentence", [
    "Kế hoạch số 11/KH-UBND, ngày 11/3/2022 về xây dựng chính quyền điện tử",
    "Theo Quyết định số 09/2015/QĐ-TTg",
    "Nghị định 42/2022/NĐ-CP",
    "Số: 65 /BC-UBND",
    "Chưa đạt.",
    "",
])
def test_no_figures_in_dates_and_document_numbers(sentence):
    assert find_figures(sentence) == []


def test_money_fraction_is_a_fraction():
    got = labels("7.7. Tổng kinh phí: 132/33.000 triệu đồng, điểm tự đánh giá: 20 điểm.")
    assert got == [("FRACTION", (132, 33000)), ("POINTS", (20, None))]


def test_sentences_keep_bullets_whole_and_join_wrapped_lines():
    text = ("1. Thể chế số (tự chấm 90/90 điểm)\n"
            "     - 1.1. Thành lập Ban chỉ đạo: Có, điểm tự đánh giá: 30/30.\n"
            "     - 2.1. Tỷ lệ cán bộ công chức được trang bị máy tính: 84,21%, tự chấm 16,84\n"
            "điểm (tối đa 20 điểm).\n"
            "\n"
            "Trên đây là báo cáo. Đề nghị UBND huyện xem xét.")
    ss = sentences(text)
    assert ss[0] == "1. Thể chế số (tự chấm 90/90 điểm)"
    assert ss[2].endswith("tự chấm 16,84 điểm (tối đa 20 điểm).")
    assert labels(ss[2]) == [("RATE", 0.8421), ("POINTS", (16.84, None)), ("MAX", 20)]
    assert ss[3:] == ["Trên đây là báo cáo.", "Đề nghị UBND huyện xem xét."]
    assert sentences("") == [] and sentences(None) == []


def test_bullet_with_verdict_after_period_stays_one_sentence():
    ss = sentences("- Tỷ lệ CBCC cấp xã đã qua đào tạo (kèm theo văn bằng). Đạt\n- Tỷ lệ UBND có cán bộ CNTT. Chưa đạt.")
    assert len(ss) == 2 and ss[0].endswith("Đạt") and ss[1].endswith("Chưa đạt.")


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not available")
def test_huong_xuan_seed_narrative():
    text = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    ss = sentences(text)
    found = {s.split(":")[0]: labels(s) for s in ss}
    assert found["- Tiêu chí 15"] == [("RATE", 1.71), ("FRACTION", (48, 28))]
    fracs = [v for s in ss for label, v in labels(s) if label == "FRACTION"]
    assert (645, 645) in fracs and (743, 746) in fracs
    # no date or document number became a fraction (01/10/2019, 143/UBND-VP, 09/2015/QĐ-TTg ...)
    assert len(fracs) == 3
