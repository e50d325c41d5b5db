"""One number everywhere: the queue, the report page, the export, the ranking and the letter give
the same accepted total (scoring.accepted) for a commune and year, in a store with corrections
and several versions per commune (real samples read by the pipeline)."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document

from matchers.figures import parse_number
from reviewkit import seeded_store, signed_in

HS_DOCX, HS_PDF = "hungson-2022.docx", "hungson-2022.pdf"          # Thị trấn Hùng Sơn 2022, two versions
TD_DOCX, TD_PHOTO = "hungyen-2024-criteria.docx", "photo-hungyen.jpg"   # Xã Tân Dân 2024: full report, one-page photo
TK_PDF = "two-page-table.pdf"                                      # Xã Tiên Kiên 2023, one version


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, module_db_url):
    # the photo last: the newest version must not win by being newest
    with seeded_store(tmp_path_factory.mktemp("accepted"), [HS_DOCX, HS_PDF, TD_DOCX, TK_PDF, TD_PHOTO],
                      url=module_db_url, ocr=True) as s:      # the photo's OCR replayed
        yield s


def _row(report: dict, code: str) -> dict:
    return next(r for r in report.rows if r.get("indicator") == code)


@pytest.fixture(scope="module")
def corrected(seeded):
    """Corrections on the counted versions: a figure fixed, points set on a row without figures."""
    from store.submissions import build
    store = seeded.store
    before = {sub.key: (sub.counted.id, sub.total, sub.reason_vi) for sub in build(store)}
    hs = store.get_report(seeded.ids[HS_PDF])             # the latest of two equal readings: it counts
    assert _row(hs, "7.1")["computed_points"] is None       # claims 20 with no rate
    store.add_correction(hs.id, "computed_points", "12,5", seeded.user, why="minh chứng", row_id=_row(hs, "7.1")["id"])
    td = store.get_report(seeded.ids[TD_DOCX])
    rate_row = next(r for r in td.rows if r.get("ratio") is not None and r.get("computed_points"))
    store.add_correction(td.id, "ratio", "0%", seeded.user, row_id=rate_row["id"])
    return before, {"hs_delta": 12.5, "td_delta": -rate_row["computed_points"]}


@pytest.fixture(scope="module")
def client(seeded, corrected):
    with signed_in(seeded) as (c, _token):
        yield c


def _numbers(html: str, cls: str) -> dict[int, float]:
    return {int(m.group(1)): parse_number(m.group(2))
            for m in re.finditer(rf'class="[^"]*\b{cls}\b[^"]*" data-report="(\d+)">([^<]*)<', html)}


def test_versions_of_one_commune_are_one_submission_and_the_complete_one_counts(seeded, corrected):
    from store.submissions import build
    subs = {sub.name: sub for sub in build(seeded.store)}
    assert set(subs) == {"Thị trấn Hùng Sơn", "Xã Tân Dân", "Xã Tiên Kiên"}
    td = subs["Xã Tân Dân"]
    assert {v.id for v in td.versions} == {seeded.ids[TD_DOCX], seeded.ids[TD_PHOTO]}
    # the photo is the newest but reads one page: the full report counts, and the reason says so
    assert td.counted.id == seeded.ids[TD_DOCX] and "đầy đủ nhất" in td.reason_vi
    photo = next(v for v in td.versions if v.id == seeded.ids[TD_PHOTO])
    assert photo.total < td.total
    hs = subs["Thị trấn Hùng Sơn"]
    # Word and PDF read alike: the latest counted; once a reviewer gave 7.1 its points there, it is the more complete
    assert corrected[0][hs.key][0] == seeded.ids[HS_PDF] and "mới nhất" in corrected[0][hs.key][2]
    assert hs.counted.id == seeded.ids[HS_PDF] and "đầy đủ nhất" in hs.reason_vi


def test_corrections_move_the_accepted_total_by_what_was_corrected(seeded, corrected):
    from store.submissions import build
    before, deltas = corrected
    after = {sub.name: sub for sub in build(seeded.store)}
    by_key = {sub.key: sub for sub in after.values()}
    hs, td = after["Thị trấn Hùng Sơn"], after["Xã Tân Dân"]
    assert hs.total == pytest.approx(before[hs.key][1] + deltas["hs_delta"])
    assert td.total == pytest.approx(before[td.key][1] + deltas["td_delta"], abs=0.01)   # pillars are rounded to 0.01
    # claimed points of rows without figures never count: 7.1 now has the reviewer's 12.5, not its claimed 20
    row71 = next(r for r in hs.counted.document["rows"] if r.get("indicator") == "7.1")
    assert (row71["accepted_points"], row71["accepted_basis"]) == (12.5, "reviewer")
    assert set(by_key) == set(before)


def test_queue_page_export_ranking_and_letter_agree(seeded, client):
    from outputs.ranking import rank_store
    from store.submissions import build
    store = seeded.store
    subs = build(store)
    queue = _numbers(client.get("/", params={"show": "all"}).text, "total")
    exported = {r.id: r.export_dict() for r in store.export_documents()}
    ranked = {}
    for year in (2022, 2023, 2024):
        table = rank_store(store, year, out=seeded.inbox.parent / f"rank-{year}.xlsx").table
        ranked.update(dict(zip(table["Tên đơn vị"], table["Tổng điểm"])))
    assert len(subs) == 3
    for sub in subs:
        rid = sub.counted.id
        page = _numbers(client.get(f"/reports/{rid}").text, "total")
        doc = exported[rid]
        assert doc["submission"]["counted"] is True and doc["submission"]["counted_id"] == rid
        got = {"queue": queue[rid], "page": page[rid], "export": doc["accepted"]["total"], "ranking": ranked[sub.name]}
        assert all(v == pytest.approx(sub.total, abs=0.005) for v in got.values()), (sub.name, got)
        for v in sub.versions:        # the versions that don't count say which one does
            if v.id != rid:
                assert exported[v.id]["submission"]["counted"] is False
                assert exported[v.id]["submission"]["counted_id"] == rid
    # the letter prints the same total
    hs = next(s for s in subs if s.name == "Thị trấn Hùng Sơn")
    report = store.get_report(hs.counted.id)
    flag = next(f for f in report.flags if f.indicator)
    store.set_flag_status(flag.id, "confirmed", seeded.user)
    r = client.get(f"/reports/{hs.counted.id}/letter.docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    m = re.search(r"được công nhận sau rà soát: ([\d.,]+) điểm", text)
    assert m and parse_number(m.group(1)) == pytest.approx(hs.total, abs=0.005)
