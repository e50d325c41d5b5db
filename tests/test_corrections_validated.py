"""Corrections are read with the reports' number reader, range-checked against the rule, refused
with a Vietnamese message, stored all or none; NaN/∞ never reach the store, and a NaN written
into the store by other means never breaks a page or the JSON export."""
from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from pipeline import corrections as corr
from pipeline.schema import Correction, ReportRec, RowRec
from reviewkit import seed, signed_in

WORD = "hungson-2022.docx"


@pytest.mark.parametrize("field, typed, value", [
    ("ratio", "90", 0.9),              # the field is in per cent: 90 means 90 %, not 9000 %
    ("ratio", "90%", 0.9),
    ("ratio", "85,5", 0.855),
    ("ratio", "171%", 1.71),
    ("numerator", "1.570", 1570.0),    # Vietnamese thousands, as in the reports
    ("claimed_points", "8,5", 8.5),
    ("claimed_points", "8.0", 8.0),
    ("denominator", " 28 ", 28.0),
    ("claimed_points", "", None),
])
def test_typed_values_read_like_the_reports(field, typed, value):
    assert corr.coerce(field, typed) == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "ba mươi", "8,5 điểm x"])
def test_not_numbers_and_non_finite_are_refused(typed):
    with pytest.raises(corr.CorrectionError) as e:
        corr.coerce("claimed_points", typed)
    assert "Điểm tự chấm" in str(e.value) and "/" in str(e.value)      # Vietnamese / English


def test_non_finite_numbers_from_the_api_are_refused():
    for v in (float("nan"), float("inf")):
        with pytest.raises(corr.CorrectionError):
            corr.coerce("ratio", v)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    s = seed(tmp_path_factory.mktemp("corr-valid"), [WORD])
    yield s
    s.store.close()


@pytest.fixture()
def client(seeded):
    with signed_in(seeded) as c_token:
        yield c_token


def _rate_row(report: dict, code: str = "2.5") -> dict:
    return next(r for r in report.rows if r.get("indicator") == code)


@pytest.mark.parametrize("field, typed, words", [
    ("ratio", "9000", "ngoài khoảng 0–200%"),
    ("ratio", "-5%", "ngoài khoảng 0–200%"),
    ("claimed_points", "-5", "không được âm"),
    ("claimed_points", "11", "vượt điểm tối đa 10"),      # 2.5 is worth 10 under phutho-2022-xa
    ("computed_points", "25", "vượt điểm tối đa 10"),
    ("numerator", "-1", "không được âm"),
    ("denominator", "0", "phải lớn hơn 0"),
])
def test_out_of_range_is_refused_and_nothing_is_stored(seeded, field, typed, words):
    rid = seeded.ids[WORD]
    row = _rate_row(seeded.store.get_report(rid))
    n = len(seeded.store.get_report(rid).corrections)
    with pytest.raises(corr.CorrectionError) as e:
        seeded.store.add_corrections(rid, {"answer": "yes", field: typed}, seeded.user, row_id=row["id"])
    assert words in str(e.value)
    assert len(seeded.store.get_report(rid).corrections) == n, "one bad field stores nothing"


def test_the_form_reads_90_as_90_percent(client, seeded):
    c, token = client
    rid = seeded.ids[WORD]
    row = _rate_row(seeded.store.get_report(rid))
    r = c.post(f"/reports/{rid}/rows/{row['position']}", data={"csrf": token, "ratio": "90"}, follow_redirects=False)
    assert r.status_code == 303
    after = _rate_row(seeded.store.get_report(rid))
    assert after["ratio"] == pytest.approx(0.9)
    assert after["computed_points"] == pytest.approx(9.0)          # rate × 10, not full points from 9000 %


def test_the_form_refuses_a_negative_score_with_a_vietnamese_message(client, seeded):
    c, token = client
    rid = seeded.ids[WORD]
    row = _rate_row(seeded.store.get_report(rid))
    n = len(seeded.store.get_report(rid).corrections)
    r = c.post(f"/reports/{rid}/rows/{row['position']}",
               data={"csrf": token, "ratio": "50%", "claimed_points": "-5"})
    assert r.status_code == 200
    assert "Không lưu được" in r.text and "Điểm tự chấm: &#39;-5&#39; không được âm" in r.text
    assert len(seeded.store.get_report(rid).corrections) == n   # the valid 50 % was not stored either


def test_nan_written_into_the_store_breaks_no_page_and_no_export(client, seeded):
    c, token = client
    rid = seeded.ids[WORD]
    report = seeded.store.get_report(rid)
    row = _rate_row(report)
    nan = float("nan")
    with Session(seeded.store.engine) as s, s.begin():       # as an old version or a hand edit might
        rec = s.get(ReportRec, rid)
        doc = json.loads(json.dumps(rec.document))
        doc["rows"][row["position"]]["ratio"] = nan
        doc["rows"][0]["confidence"] = float("inf")
        doc["totals"]["computed_points"] = nan
        rec.document = doc
        rec.claimed_points = nan
        s.get(RowRec, row["id"]).ratio = nan
        s.add(Correction(report_id=rid, row_id=row["id"], field="claimed_points", reviewer="x", old=nan, new=nan))
    assert c.get(f"/reports/{rid}").status_code == 200
    assert c.get("/", params={"show": "all"}).status_code == 200
    r = c.get("/export/reports.json")
    assert r.status_code == 200

    def strict(name):
        raise ValueError(f"{name} in the export")
    docs = json.loads(r.text, parse_constant=strict)
    assert docs[0]["rows"][0]["confidence"] is None
    assert c.get(f"/reports/{rid}/rows/{row['position']}/crop.png").status_code in (200, 404)
