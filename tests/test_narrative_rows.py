"""Narrative bullets the reader used to see but not make into rows (their names then went to
review as "named but unread"): a renumbered bullet whose name begins "Xã, phường, thị trấn …"
(cut at its comma, "Xã" looked like the pillar "Xã hội số" and the bullet became a heading),
and a code whose dot OCR read as a comma, its name ended by a semicolon
("- 5,26. Hệ thống truyền thanh …; Đạt, tự chấm 20/20 điểm").  Word reports written here
for a fictional Hòa Bình commune."""
from __future__ import annotations

import pytest

import rulesets
from docmaker import write_paragraphs
from pipeline.stages import process_file
from test_trust import _clean

RULESET = "hoabinh-2023-xa"
HEADER = ["UBND HUYỆN LẠC SƠN", "UBND XÃ VĂN SƠN", "Số: 41/BC-UBND",
          "BÁO CÁO Kết quả tự đánh giá mức độ chuyển đổi số cấp xã năm 2023", "Tỉnh Hòa Bình"]


def _bullets(renumber: bool, comma: set[str] = frozenset()) -> list[str]:
    out = []
    for k, ind in enumerate(rulesets.load(RULESET).scorable(), 1):
        fig, pts = _clean(ind)
        code = str(k) if renumber else ind.code
        if renumber and ind.name.startswith("Xã,"):
            # the bullet as OCR gives it, in two lines: the first cut before the name's last word
            head, last = ind.name.rsplit(" ", 1)
            out += [f"- {code}. {head}", f"{last}: {fig}, điểm tự đánh giá: {pts:g}/{ind.max_points:g}."]
        elif ind.code in comma:
            out.append(f"- {code.replace('.', ',')}. {ind.name}; {fig}, tự chấm {pts:g}/{ind.max_points:g} điểm.")
        else:
            out.append(f"- {code}. {ind.name}: {fig}, tự chấm {pts:g} điểm (tối đa {ind.max_points:g} điểm).")
    return out


def _unread(report) -> set[str]:
    return {f.indicator for f in report.flags if f.code == "low-confidence" and "không đọc được thành dòng" in f.message}


def test_a_renumbered_bullet_beginning_xa_phuong_is_a_row_not_a_heading(tmp_path):
    r = process_file(write_paragraphs(tmp_path / "van-son-2023.docx", HEADER + _bullets(renumber=True)))
    assert r.ruleset == RULESET
    row = next((x for x in r.rows if x.indicator == "4.2"), None)
    assert row is not None and row.claimed_points == pytest.approx(rulesets.load(RULESET).indicator("4.2").max_points)
    assert "4.2" not in _unread(r)
    assert {x.indicator for x in r.rows} >= {"4.1", "4.2", "4.3"}


def test_a_code_with_a_comma_and_a_name_ended_by_a_semicolon_is_a_row(tmp_path):
    yes_no = [i.code for i in rulesets.load(RULESET).scorable() if i.kind == "yes_no" and "." in i.code]
    pick = {yes_no[2], yes_no[-1]}
    r = process_file(write_paragraphs(tmp_path / "van-son-2023.docx", HEADER + _bullets(False, pick)))
    for code in pick:
        row = next((x for x in r.rows if x.indicator == code), None)
        assert row is not None, code
        assert row.printed_code == code.replace(".", ",") and row.answer == "yes"
        assert row.claimed_points is not None
    assert not _unread(r) & pick
    assert not [f for f in r.flags if f.code == "missing-indicator"]
