"""Verified and provisional points (scoring.accepted): Hùng Sơn's Phú Thọ report answers the ruleset's
``manual`` indicators (5.19 "Thời gian cập nhật, đăng tải tin bài": "Hàng ngày", claimed 10) that no
machine can score.  Until a reviewer scores them they count at the claim, marked provisional on the
page, the queue, the export and the ranking; once a reviewer scores one it is verified."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from matchers.figures import parse_number
from reviewkit import seeded_store, signed_in

HS = "hungson-2022.docx"         # phutho-2022-xa: manual 5.19 (10), 5.23 (20), 5.27 (0)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    with seeded_store(tmp_path_factory.mktemp("provisional"), [HS]) as s:
        yield s


def _counted(store):
    from store.submissions import build
    (sub,) = build(store, year=2022)
    return sub


def _row(doc, code):
    return next(r for r in doc["rows"] if r.get("indicator") == code)


def _ranking_notes(store, out):
    from outputs.ranking import rank_store
    ranking = rank_store(store, 2022, "phutho-2022-xa", out=out)
    wb = load_workbook(ranking.xlsx)
    notes = [[c for c in r if c is not None] for r in wb["Ghi chú"].iter_rows(values_only=True)] \
        if "Ghi chú" in wb.sheetnames else []
    return ranking, wb["Xếp hạng"]["A1"].value, notes


def test_a_manual_row_counts_at_its_claim_marked_provisional_until_a_reviewer_scores_it(seeded, tmp_path):
    store = seeded.store
    sub = _counted(store)
    acc, doc = sub.counted.accepted, sub.counted.document
    r519 = _row(doc, "5.19")
    assert (r519["claimed_points"], r519["computed_points"]) == (10, None)
    # before: counted at the claim, provisional; not among the rows "without figures"
    assert (r519["accepted_points"], r519["accepted_basis"], r519["accepted_status"]) == (10, "claim", "provisional")
    assert "5.19" in acc.provisional_codes and "5.19" not in acc.no_figures
    assert acc.provisional == pytest.approx(30)            # 5.19 (10) + 5.23 (20) + 5.27 (0)
    assert acc.verified == pytest.approx(acc.total - 30)
    before_total = acc.total
    ranking, title, notes = _ranking_notes(store, tmp_path / "before.xlsx")
    assert "TẠM TÍNH" in title and "chưa dùng để ký" in title
    assert [sub.name, "30,00", "5.19, 5.23, 5.27"] in notes
    assert ranking.table.loc[0, "Trong đó tạm tính"] == pytest.approx(30)
    assert all("5.19" not in ", ".join(r[1:]) for r in notes if len(r) == 2)     # not "thiếu số liệu"

    # a reviewer scores 5.19 (5 points): verified, out of the provisional part
    full = store.get_report(sub.counted.id)
    row_id = next(r["id"] for r in full.rows if r.get("indicator") == "5.19")
    store.add_correction(full.id, "computed_points", "5", seeded.user, why="chỉ cập nhật hằng tuần", row_id=row_id)
    sub = _counted(store)
    acc, r519 = sub.counted.accepted, _row(sub.counted.document, "5.19")
    assert (r519["accepted_points"], r519["accepted_basis"], r519["accepted_status"]) == (5, "reviewer", "verified")
    assert "5.19" not in acc.provisional_codes and acc.provisional == pytest.approx(20)
    assert acc.total == pytest.approx(before_total - 5)
    _ranking, _title, notes = _ranking_notes(store, tmp_path / "after.xlsx")
    assert [sub.name, "20,00", "5.23, 5.27"] in notes


def test_an_unsure_reading_is_provisional_until_its_flag_is_confirmed():
    import rulesets
    from reviewkit import processed
    from scoring.accepted import accept
    _data, doc = processed(HS)
    rs = rulesets.load(doc["ruleset"])
    code = next(r["indicator"] for r in doc["rows"]
                if r.get("computed_points") and rs.indicator(r.get("indicator") or "") is not None)
    doc = json.loads(json.dumps(doc))
    doc["flags"].append({"indicator": code, "code": "low-confidence", "severity": "info", "message": "đọc chưa chắc"})
    unsure = accept(doc, rs)
    assert code in unsure.provisional_codes
    doc["flags"][-1]["status"] = "confirmed"
    assert code not in accept(doc, rs).provisional_codes
    doc["flags"].append({"indicator": None, "code": "partially-read", "severity": "warning", "message": "một phần"})
    whole = accept(doc, rs)
    assert whole.provisional == pytest.approx(whole.total)     # nothing of a partly read report is verified


def test_page_queue_and_export_show_the_provisional_part(seeded):
    from outputs.exporting import write_xlsx
    store = seeded.store
    sub = _counted(store)
    prov = sub.counted.accepted.provisional
    assert prov > 0
    with signed_in(seeded) as (client, _token):
        page = client.get(f"/reports/{sub.counted.id}").text
        queue = client.get("/", params={"show": "all"}).text
    for html in (page, queue):
        assert "tạm tính" in html
        shown = html.split(f'class="provisional" data-report="{sub.counted.id}">', 1)[1].split("<", 1)[0]
        assert parse_number(shown.split("trong đó", 1)[1].split("tạm tính")[0]) == pytest.approx(prov)
    assert '<span class="prov-mark">*</span>' in page
    docs = [r.export_dict() for r in store.export_documents(year=2022)]
    assert docs[0]["accepted"]["provisional"] == pytest.approx(prov)
    assert _row(docs[0], "5.23")["accepted_status"] == "provisional"
    wb = load_workbook(write_xlsx(docs, seeded.inbox.parent / "export.xlsx"))
    head = [c.value for c in wb["Báo cáo"][1]]
    assert wb["Báo cáo"].cell(row=2, column=head.index("Trong đó tạm tính") + 1).value == pytest.approx(prov)
    rows = wb["Chỉ tiêu"]
    head = [c.value for c in rows[1]]
    assert "Tạm tính" in [r[head.index("Trạng thái điểm")] for r in rows.iter_rows(min_row=2, values_only=True)]
