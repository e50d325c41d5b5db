"""A pass/fail ruleset (Thừa Thiên Huế 2020: no points, criteria Đạt / Không đạt) ranks by criteria
met, a column per section; criteria not read are provisional, never a row of zeros."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from reviewkit import processed, seeded_store

HX = "huongxuan-2020-narrative.docx"     # Xã Hương Xuân 2020, a narrative report


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    with seeded_store(tmp_path_factory.mktemp("passfail"), [HX]) as s:
        yield s


def test_criteria_met_as_read():
    import rulesets
    from scoring.accepted import accept, criterion_met
    _data, doc = processed(HX)
    rs = rulesets.load(doc["ruleset"])
    assert rs.scored is False and rs.total is None
    acc = accept(doc, rs)
    rows = {r["indicator"]: r for r in doc["rows"] if r.get("indicator")}
    met = {c for c, r in rows.items() if criterion_met(r, rs.indicator(c))}
    failed = {c for c, r in rows.items() if criterion_met(r, rs.indicator(c)) is False}
    unread = {c for c, r in rows.items() if criterion_met(r, rs.indicator(c)) is None}
    # "Tiêu chí 15: 171% (48/28)" passes its 100 % threshold; "Chưa đạt" fails; a rate of 100 % meets any threshold
    assert {"15", "16", "18", "II.1"} <= met and {"I.2.3", "II.3"} <= failed
    assert acc.total == len(met) > 0 and not acc.scored
    # what is not read (a bare count "12") is provisional, not a failure
    assert unread and set(acc.provisional_codes) >= unread and not (unread & met)


def test_the_ranking_counts_criteria_per_section(seeded, tmp_path):
    import rulesets
    from outputs.ranking import rank_store
    r = rank_store(seeded.store, 2020, out=tmp_path / "hx.xlsx")
    rs = rulesets.load(r.ruleset)
    t = r.table
    sections = [p.name for p in rs.pillars]
    assert list(t.columns[2:2 + len(sections)]) == sections
    row = t.iloc[0]
    assert row["Tổng điểm"] > 0 and row["Tổng điểm"] == sum(row[s] for s in sections)
    assert sum(1 for s in sections if row[s] > 0) >= 3
    assert row["Trong đó tạm tính"] >= 1          # criteria not settled, counted
    ws = load_workbook(r.xlsx)["Xếp hạng"]
    head = [c.value for c in ws[2]]
    assert "Số tiêu chí đạt" in head and "Tổng điểm" not in head and "số tiêu chí đạt" in ws["A1"].value
    assert ws.cell(row=3, column=head.index("Số tiêu chí đạt") + 1).value == row["Tổng điểm"]
