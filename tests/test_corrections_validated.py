"""Corrections are read with the reports' number reader, range-checked against the rule, refused
with a Vietnamese message, stored all or none; NaN/∞ never reach the store, and a NaN written
into the store by other means never breaks a page or the JSON export."""
from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from scoring import corrections as corr
from store.schema import Correction, ReportRec, RowRec
from reviewkit import seeded_store, signed_in

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
    with seeded_store(tmp_path_factory.mktemp("corr-valid"), [WORD]) as s:
        yield s


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
    assert r.status_code == 422
    assert "Không lưu được" in r.text and '<span class="field-error">&#39;-5&#39; không được âm</span>' in r.text
    assert 'value="-5"' in r.text and 'value="50%"' in r.text       # what was typed, kept
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


# ---- the field's meaning (issue 18): codes of the ruleset, rates that read two ways, text limits

def _post_row(c, token, rid, pos, **fields):
    return c.post(f"/reports/{rid}/rows/{pos}", data={"csrf": token, **fields}, follow_redirects=False)


def _export(seeded) -> list[dict]:
    import os
    import subprocess
    import sys
    from pathlib import Path
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTI_")}
    r = subprocess.run([str(Path(sys.executable).parent / "dti"), "export", "--format", "json"],
                       env={**env, "DTI_DATABASE_URL": seeded.store.url}, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("code", ["9.99", "../../etc/passwd", "2.5 ; drop", "2..5"])
def test_an_indicator_the_ruleset_has_not_is_refused_beside_the_field_and_never_exported(client, seeded, code):
    c, token = client
    rid = seeded.ids[WORD]
    before = seeded.store.get_report(rid)
    row = _rate_row(before)
    exported_before = _export(seeded) if code == "9.99" else None
    r = _post_row(c, token, rid, row["position"], indicator=code, why="thử")
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    assert "không có trong bộ chỉ số phutho-2022-xa" in r.text and 'class="field-error"' in r.text
    assert 'aria-invalid="true"' in r.text and "đã lưu" not in r.text.lower()
    after = seeded.store.get_report(rid)
    assert after.corrections == before.corrections
    assert after.document["totals"] == before.document["totals"]
    if exported_before is not None:         # what `dti export` gives is untouched, row and total
        exported = _export(seeded)
        assert exported == exported_before
        assert any(x.get("indicator") == "2.5" for x in exported[0]["rows"])


def test_a_code_of_the_ruleset_is_taken_and_a_trailing_dot_is_forgiven(seeded):
    rid = seeded.ids[WORD]
    row = _rate_row(seeded.store.get_report(rid))
    ids = seeded.store.add_corrections(rid, {"indicator": "2.5."}, seeded.user, row_id=row["id"])
    assert ids == []        # "2.5." is 2.5, the row's own code: nothing changes, nothing audited


def test_unmatching_needs_a_reason(client, seeded):
    c, token = client
    rid = seeded.ids[WORD]
    report = seeded.store.get_report(rid)
    row = next(r for r in report.rows if r.get("indicator") == "1.1")
    r = _post_row(c, token, rid, row["position"], indicator="")
    assert r.status_code == 422 and "hãy ghi lý do sửa" in r.text
    assert seeded.store.get_report(rid).corrections == report.corrections
    r = _post_row(c, token, rid, row["position"], indicator="", why="dòng tiêu đề, không phải chỉ số")
    assert r.status_code == 303
    last = seeded.store.get_report(rid).corrections[-1]
    assert (last.field, last.old, last.new, last.why) == ("indicator", "1.1", None, "dòng tiêu đề, không phải chỉ số")


@pytest.mark.parametrize("typed, asked", [("0,9", "0,9 % hay 90 %"), ("0.9", "0,9 % hay 90 %"),
                                          ("1,0", "1 % hay 100 %"), ("0,25", "0,25 % hay 25 %")])
def test_a_rate_at_or_below_one_with_a_decimal_asks_which_it_is(client, seeded, typed, asked):
    c, token = client
    rid = seeded.ids[WORD]
    before = seeded.store.get_report(rid)
    row = _rate_row(before)
    r = _post_row(c, token, rid, row["position"], ratio=typed, why="đối chiếu")
    assert r.status_code == 422 and asked in r.text
    assert f'value="{typed}"' in r.text and 'name="ratio_pick"' in r.text
    assert seeded.store.get_report(rid).corrections == before.corrections


@pytest.mark.parametrize("pick, stored", [("90%", 0.9), ("0,9%", 0.009)])
def test_the_reviewer_answers_the_rate_question_with_one_click(client, seeded, pick, stored):
    c, token = client
    rid = seeded.ids[WORD]
    row = _rate_row(seeded.store.get_report(rid))
    # the second submit: the form as typed, plus the button the reviewer pressed
    r = _post_row(c, token, rid, row["position"], ratio="0,9", ratio_pick=pick, why="đối chiếu")
    assert r.status_code == 303
    assert _rate_row(seeded.store.get_report(rid))["ratio"] == pytest.approx(stored)


@pytest.mark.parametrize("typed", ["0,9%", "90", "0", "1,5"])
def test_a_rate_that_reads_one_way_is_not_asked(typed):
    from scoring import correction_checks as checks
    doc = {"ruleset": None, "rows": [{"ratio": 0.5}]}
    assert "ratio" in checks.validate(doc, 0, {"ratio": typed})


@pytest.mark.parametrize("field, typed, words", [
    ("answer", "x" * 10_000, "quá giới hạn 200 ký tự"),
    ("indicator", "2" * 10_000, "quá giới hạn 200 ký tự"),
    ("answer", "có\x00", "ký tự điều khiển"),
    ("answer", "yes\u202e", "đảo chiều"),
    ("answer", "\u2066no\u2069", "đảo chiều"),
    ("why", "lý do\x07", "ký tự điều khiển"),
    ("why", "y" * 1001, "quá giới hạn 1000 ký tự"),
])
def test_long_text_control_and_bidi_characters_are_refused_with_the_limit_named(client, seeded, field, typed, words):
    c, token = client
    rid = seeded.ids[WORD]
    before = seeded.store.get_report(rid)
    row = _rate_row(before)
    data = {field: typed} if field != "why" else {"why": typed, "answer": "no"}
    r = _post_row(c, token, rid, row["position"], **data)
    assert r.status_code == 422 and words in r.text
    assert seeded.store.get_report(rid).corrections == before.corrections
    with pytest.raises(corr.CorrectionError) as e:      # the store refuses it the same, whoever calls
        seeded.store.add_corrections(rid, {k: v for k, v in data.items() if k != "why"}, seeded.user,
                                     why=data.get("why", ""), row_id=row["id"])
    assert words in str(e.value) and " / " in str(e.value)


def test_the_document_fields_are_checked_the_same_way(seeded):
    rid = seeded.ids[WORD]
    n = len(seeded.store.get_report(rid).corrections)
    for changes in ({"unit.name": "Xã " + "A" * 300}, {"unit.name": "Xã\u202eA"}, {"ruleset": "../../etc/passwd"}):
        with pytest.raises(corr.CorrectionError):
            seeded.store.add_corrections(rid, changes, seeded.user)
    assert len(seeded.store.get_report(rid).corrections) == n


def test_a_save_that_changes_nothing_is_not_audited(client, seeded):
    from review.format import value_for_input
    c, token = client
    rid = seeded.ids[WORD]
    before = seeded.store.get_report(rid)
    row = _rate_row(before)
    # the same values, spelled another way than the form shows them
    same = {"ratio": value_for_input("ratio", row["ratio"]).replace("%", " %"),
            "max_points": f"{row['max_points']:.2f}".replace(".", ","), "indicator": " 2.5 "}
    r = _post_row(c, token, rid, row["position"], **same)
    assert r.status_code == 303
    assert seeded.store.get_report(rid).corrections == before.corrections
    assert "Không có giá trị nào thay đổi" in c.get(r.headers["location"]).text
    assert seeded.store.add_corrections(rid, {"max_points": row["max_points"]}, seeded.user,
                                        row_id=row["id"]) == []


@pytest.mark.parametrize("reason, words", [("r" * 1001, "quá giới hạn 1000 ký tự"), ("đã giải trình\u202e", "đảo chiều")])
def test_a_flag_reason_is_never_cut_or_stored_as_typed(client, seeded, reason, words):
    c, token = client
    rid = seeded.ids[WORD]
    before = seeded.store.get_report(rid)
    flag = before.flags[0]
    r = c.post(f"/reports/{rid}/flags/{flag.id}", data={"csrf": token, "status": "dismissed", "reason": reason})
    assert r.status_code == 200 and words in r.text
    after = seeded.store.get_report(rid)
    assert after.corrections == before.corrections
    assert [f.status for f in after.flags] == [f.status for f in before.flags]
