"""`dti rulesets import` degrades by the row: a row it cannot place is kept for a person,
a total row is told by its role, and the import ends with a summary and exit 0."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from commands.cli import main
from rulesets import load, load_file, loader
from samples.samplegen.decision import write_decision
from test_rulesets_import import _user_dir  # noqa: F401  (autouse: a throwaway user rulesets folder)


def _rows(*rows):
    from extractors.document import Cell
    return [[Cell(text=c, col=n) for n, c in enumerate(r)] for r in rows]


def _read(*rows):
    from extractors.document import Table
    from decision_import.annex_draft import Draft
    from decision_import.annex_table import read_table
    d = Draft("xa", "", "IV", 1)
    read_table(d, Table(rows=_rows(("STT", "Chỉ số", "Điểm tối đa", "Cách tính điểm"), *rows), page=2), 2)
    return d


def test_a_total_row_is_told_by_its_words_or_its_sum_not_read_as_an_indicator():
    body = [("1", "Thể chế số", "20", ""), ("1.1", "Kế hoạch", "20", "Có: Điểm tối đa"),
            ("2", "Hạ tầng số", "30", ""), ("2.1", "Wifi", "30", "Có: Điểm tối đa")]
    for total in [("TÔNG ĐIÊM", "", "50", ""), ("|", "TỔNG CỘNG", "50", ""), ("i", "", "50", "")]:
        d = _read(*body, total)
        assert [i.code for i in d.indicators] == ["1.1", "2.1"], total
        assert d.total == 50 and not d.unplaced
    # an indicator may be named "Tổng …": its code says it is one
    d = _read(*body[:3], ("2.1", "Tổng kinh phí chi cho chuyển đổi số", "30", "Điểm = Tỷ lệ*Điểm tối đa"))
    assert [i.code for i in d.indicators] == ["1.1", "2.1"] and d.total is None


def test_rows_it_cannot_place_are_kept_with_what_was_read_and_why():
    d = _read(("1", "Thể chế số", "20", ""), ("1.1", "Kế hoạch", "20", "Có: Điểm tối đa"),
              ("7x", "", "35", ""), ("1.2", "", "", "Điểm = Tỷ lệ*Điểm tối đa"))
    assert [i.code for i in d.indicators] == ["1.1", "1.2"]
    assert d.indicators[1].name.startswith("(tên chỉ số không đọc được")
    assert d.unplaced == [(2, "7x | 35", "dòng không có tên chỉ số và cách tính điểm")]


def _doctored(tmp_path) -> Path:
    """The Hưng Yên decision as a typist or a scanner may leave it: the total's label in the STT
    cell read as garbage, a stray row of points, an indicator printed twice."""
    from docx import Document
    path = write_decision([load("hungyen-2024-xa")], tmp_path / "hy.docx", layout="inline", points="paren",
                          number="1234/QĐ-UBND")
    doc = Document(path)
    t = doc.tables[0]
    total = t.rows[-1]
    for c in total.cells[:3]:
        c.text = ""
    total.cells[0].text = "TÔNG ĐIÊM"
    row = t.add_row()
    row.cells[0].text, row.cells[3].text = "vii", "(15 điểm)"
    dup = next(r for r in t.rows if r.cells[0].text == "3.2")
    new = t.add_row()
    for a, b in zip(new.cells, dup.cells):
        a.text = b.text
    doc.save(path)
    return path


def test_a_decision_with_bad_rows_gives_a_draft_a_summary_and_exit_0(tmp_path, capsys):
    target = tmp_path / "hy-2024-xa.yaml"
    assert main(["rulesets", "import", str(_doctored(tmp_path)), "--out", str(target)]) == 0
    out = capsys.readouterr().out
    rs = load_file(target)
    assert rs.total == 1000 and len(rs.scorable()) == 40
    raw = yaml.safe_load(target.read_text(encoding="utf-8"))
    whys = [u["why"] for u in raw["unplaced"]]
    assert any("3.2 đã có" in w for w in whys) and any("không có tên" in w for w in whys), whys
    assert "tìm thấy 40 chỉ số" in out and "40 indicators found" in out
    assert "điểm tối đa 40/40 (cột điểm 40)" in out and "2 dòng cần người xếp" in out and "2 rows to settle" in out
    capsys.readouterr()
    assert main(["rulesets", "check", str(target)]) == 1
    assert "dòng chưa xếp được «vii | (15 điểm)»" in capsys.readouterr().out


def test_a_row_the_schema_refuses_is_set_aside_not_the_draft(tmp_path):
    from decision_import.import_report import load_draft
    raw = yaml.safe_load((loader.DATA_DIR / "hungyen-2024-xa.yaml").read_text(encoding="utf-8"))
    raw["id"] = "probe"
    raw["indicators"][3]["rule"] = {"kind": "rate_threshold", "threshold": 85}    # not a fraction
    code = raw["indicators"][3]["code"]
    rs = load_draft(raw, tmp_path / "probe.yaml", {code: 7})
    assert code not in {i.code for i in rs.indicators}
    assert raw["unplaced"][0]["page"] == 7 and "threshold" in raw["unplaced"][0]["why"]
    assert any("pillar" not in n and "dòng chưa xếp được" in n for n in rs.notes)
