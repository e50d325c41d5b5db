"""The auditor's checks across stored reports (issue 20): copies between units, evidence dated
after the report, implausible changes from the previous year.

The comparisons are tested on contract rows; the store side on reports saved into a real store
(SQLite and PostgreSQL): flags raised on both sides, replaced on a re-run, a reviewer's
decision kept when the same flag is raised again, gone when the finding is gone; the export and
the letter.  The end-to-end check with Word files through `dti run` is test_crosschecks_run.py.
"""
from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pytest

import rulesets
from matchers.dates import cited_dates, find_dates, parse_date, report_date
from matchers.report import Report, Row, Unit
from matchers.report_codec import BadReport, decode
from store import crosschecks
from store.store import Store
from review.letter import flagged_items
from scoring.crosscheck import change, copies, evidence

RS = rulesets.load("hoabinh-2023-xa")
COUNTED = [i.code for i in RS.scorable() if i.kind in ("rate", "rate_threshold") and not i.rule.get("rate")]
YES_NO = [i.code for i in RS.scorable() if i.kind == "yes_no"]
CROSS = ("copied-between-units", "evidence-after-report", "implausible-change")


def unit_rows(seed: int, *, answers: str = "Có", texts: bool = True) -> list[dict]:
    """A commune's rows as the contract has them: counts on the rate rows, answers on the others."""
    rng = np.random.default_rng(seed)
    rows = []
    for code in COUNTED:
        b = int(rng.integers(25, 9000))
        a = int(b * rng.uniform(0.35, 1))
        ev = f"Theo danh sách tổng hợp số {int(rng.integers(1, 99))} của tổ công nghệ số thôn {int(rng.integers(1, 20))}"
        rows.append({"indicator": code, "label": f"Chỉ số {code}", "numerator": a, "denominator": b,
                     "ratio": None, "claimed_points": round(a / b * 20, 2), "max_points": 20,
                     "evidence": f"{code} | Chỉ số {code} | a = {a}; b = {b} | " + (ev if texts else "")})
    for code in YES_NO:
        # 35 of 35: the maximum claimed, as every commune that did it claims (two significant digits)
        rows.append({"indicator": code, "label": f"Chỉ số {code}", "answer": "yes" if answers == "Có" else "no",
                     "claimed_points": 35 if answers == "Có" else 0, "max_points": 35,
                     "evidence": f"{code} | Chỉ số {code} | {answers}"})
    for i, r in enumerate(rows):
        r["position"] = i
    return rows


# ------------------------------------------------------------------------------ copies
def test_informativeness_weighs_what_chance_rarely_repeats():
    assert copies.informativeness("numerator", 2070, {}) == 2          # 2.070: three significant digits
    assert copies.informativeness("denominator", 7845, {}) == 3
    assert copies.informativeness("numerator", 8, {}) == 0             # 8/9 thôn: small counts coincide
    assert copies.informativeness("denominator", 1000, {}) == 0        # a round figure
    assert copies.informativeness("ratio", 1.0, {}) == 0               # 100 %
    assert copies.informativeness("ratio", 0.8027, {}) == 3
    assert copies.informativeness("ratio", 0.8027, {"numerator": 5980, "denominator": 7450}) == 0   # the counts said it
    assert copies.informativeness("claimed_points", 20, {"max_points": 20}) == 0    # the maximum, as everybody claims
    assert copies.informativeness("claimed_points", 27.48, {"max_points": 35}) == 3


def test_an_exact_copy_and_a_near_copy_are_copies():
    a = unit_rows(1)
    ag = copies.compare(a, [dict(r) for r in a])
    assert ag.copied and ag.share == 1 and ag.agree >= 40
    near = [dict(r) for r in a]
    changed = {COUNTED[2], COUNTED[7], COUNTED[11]}
    for r in near:
        if r["indicator"] in changed:
            r["numerator"] += 13
            r["claimed_points"] = round(r["numerator"] / r["denominator"] * 20, 2)
    ag = copies.compare(a, near)
    assert ag.copied, (ag.share, ag.agree)
    assert 0.8 <= ag.share < 1
    assert {p["indicator"] for p in ag.pairs if p["differ"]} == changed      # the changed rows come first
    assert all(p["differ"] for p in ag.pairs[:3])


def test_identical_answers_alone_are_not_a_copy():
    # every yes/no answer and claimed maximum alike, the counts their own: two honest communes
    a, b = unit_rows(1), unit_rows(2)
    ag = copies.compare(a, b)
    assert not ag.copied and ag.agree == 0
    only_answers = [r for r in a if r.get("answer")]
    ag = copies.compare(only_answers, [dict(r) for r in only_answers])
    assert not ag.copied and ag.compared == 0


def test_reworded_free_text_copy_is_caught_by_its_wording():
    # a narrative report copied with no informative figure: the evidence wording carries it
    vocab = ("hệ thống truyền thanh thông minh được lắp đặt tại các thôn phát sóng chuyên mục chuyển đổi số "
             "hằng tuần do công chức văn hóa phụ trách có sổ theo dõi và biên bản nghiệm thu kèm theo").split()
    rng = np.random.default_rng(3)
    rows = [{"indicator": c, "label": c, "answer": "yes", "position": i,
             "evidence": " ".join(rng.choice(vocab, size=9))} for i, c in enumerate(YES_NO)]
    other = [dict(r, evidence="Đã triển khai theo kế hoạch của huyện, chi tiết tại báo cáo quý " + r["indicator"])
             for r in rows]
    sa, sb, so = (copies.text_shingles(x, set()) for x in (rows, [dict(r) for r in rows], other))
    assert copies.compare(rows, [dict(r) for r in rows], sa, sb).copied
    assert not copies.compare(rows, other, sa, so).copied


# ------------------------------------------------------------------------------ dates
@pytest.mark.parametrize("text, want", [
    ("Kế hoạch số 109/KH-UBND ngày 15/09/2025", dt.date(2025, 9, 15)),
    ("Quyết định số 56/QĐ-UBND ngày 10/3/2023", dt.date(2023, 3, 10)),
    ("Công văn số 12/CV-VHTT ngày 15-9-2025", dt.date(2025, 9, 15)),
    ("Thông báo số 7/TB-UBND ngày 15.09.2025", dt.date(2025, 9, 15)),
    ("Kế hoạch số 5/KH-UBND ngày 15 tháng 9 năm 2025", dt.date(2025, 9, 15)),
    ("Kế hoạch số 5/KH-UBND ngày 05 tháng 09, năm 2025", dt.date(2025, 9, 5)),
    ("Kế hoạch số 5/KH-UBND ngày 15 / 9 / 2025", dt.date(2025, 9, 15)),       # OCR spaces
    ("Quyết định 1153/QĐ-UBND, 2025-09-15", dt.date(2025, 9, 15)),
])
def test_each_printed_form_of_a_cited_date(text, want):
    assert parse_date(text) == want
    got = cited_dates("Có | " + text + " | 20")
    assert [c.date for c in got] == [want]
    assert got[0].text.startswith(("Kế hoạch", "Quyết định", "Công văn", "Thông báo"))


@pytest.mark.parametrize("text", [
    "Kế hoạch số 5/KH-UBND ngày 31/02/2025",      # no such day
    "Kế hoạch số 5/KH-UBND ngày 12/13/2025",      # no such month
    "Kế hoạch số 5/KH-UBND ngày 15/9/25",         # two-digit year: unreadable, not guessed
    "a = 2.070; b = 2.520",                       # counts, not dates
    "1.570/2.000 hộ",
])
def test_an_unreadable_or_impossible_date_is_no_date(text):
    assert cited_dates(text) == []


def test_a_cut_off_date_is_not_a_cited_document():
    assert find_dates("Số liệu tính đến ngày 31/12/2023")
    assert cited_dates("Báo cáo số liệu tính đến ngày 31/12/2023") == []
    assert cited_dates("Kế hoạch 12/KH-UBND thực hiện đến hết ngày 31/12/2025") == []


def test_the_reports_own_date_from_its_header():
    assert report_date(["UBND XÃ TÂN DÂN", "Tân Dân, ngày 12 tháng 11 năm 2024"]) == dt.date(2024, 11, 12)
    assert report_date(["Hà Nội, ngày    tháng 11 năm 2024"]) is None          # the day left blank


def test_late_citations_against_the_date_or_the_year():
    rows = [{"indicator": "2.3", "position": 4, "confidence": 1.0,
             "evidence": "2.3 | Kế hoạch hằng năm | Có | Kế hoạch số 109/KH-UBND ngày 15/09/2025 | 20"},
            {"indicator": "2.1", "position": 2, "confidence": 1.0,
             "evidence": "Nghị quyết số 03/NQ-ĐU ngày 20/12/2023"}]
    late = evidence.late_citations(rows, "2023-11-14", 2023)
    assert [(x.indicator, x.cited.date) for x in late] == [("2.3", dt.date(2025, 9, 15)), ("2.1", dt.date(2023, 12, 20))]
    undated = evidence.late_citations(rows, None, 2023)          # no date read: the end of the year is the limit
    assert [x.indicator for x in undated] == ["2.3"] and not undated[0].limit_is_report_date
    # a row read unsurely (an OCR "2023" read as "2025"?) is no accusation
    assert evidence.late_citations([dict(rows[0], confidence=0.5)], "2023-11-14", 2023, sure=0.85) == []


# ------------------------------------------------------------------------------ changes
def test_a_previous_year_pair_with_and_without_an_implausible_change():
    codes = change.pair_codes(RS, RS)
    before = [{"indicator": "8.3", "numerator": 2310, "denominator": 2680, "position": 0},
              {"indicator": "3.1", "numerator": 30, "denominator": 32, "position": 1}]
    plausible = [{"indicator": "8.3", "numerator": 2390, "denominator": 2700, "position": 5},
                 {"indicator": "3.1", "numerator": 31, "denominator": 33, "position": 6}]
    assert change.changes(plausible, before, RS.plausibility, codes) == []
    fell = [{"indicator": "8.3", "numerator": 900, "denominator": 2700, "position": 5},
            {"indicator": "3.1", "numerator": 31, "denominator": 33, "position": 6}]
    found = change.changes(fell, before, RS.plausibility, codes)
    kinds = {(c.indicator, c.rule.kind) for c in found}
    assert ("8.3", "accumulating") in kinds and ("8.3", "rate") in kinds     # 86 % -> 33 %: 53 points
    acc = next(c for c in found if c.rule.kind == "accumulating")
    assert (acc.before, acc.after, acc.this_position, acc.other_position) == (2310, 900, 5, 0)
    jump = [{"indicator": "3.1", "numerator": 30, "denominator": 240, "position": 6}]   # staff x 7.5
    assert {c.rule.kind for c in change.changes(jump, before, RS.plausibility, codes)} == {"population", "rate"}


def test_plausibility_is_declared_in_the_ruleset_data(tmp_path):
    kinds = {p.kind: p for p in RS.plausibility}
    assert not kinds["accumulating"].may_fall and "8.3" in kinds["accumulating"].indicators
    assert kinds["rate"].indicators is None and kinds["rate"].max_change_points == 50
    src = (rulesets.loader.DATA_DIR / "hoabinh-2023-xa.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "hoabinh-2023-xa.yaml"
    bad.write_text(src.replace('indicators: ["8.1", "8.2", "8.3"]', 'indicators: ["8.1", "9.9"]'), encoding="utf-8")
    with pytest.raises(rulesets.RulesetError, match="9.9"):
        rulesets.loader.load_file(bad)


# ------------------------------------------------------------------------------ the store
def report(name: str, rows: list[dict], *, year: int = 2023, date: str | None = "2023-11-14", seed: str = "") -> Report:
    sha = hashlib.sha256(f"{name}{year}{seed}".encode()).hexdigest()
    return Report(file=f"{name}.docx", sha256=sha, format="docx", layout="criteria-table", ruleset=RS.id,
                  unit=Unit(name=f"Xã {name}", level="xa", year=year), report_date=date,
                  rows=[Row(**{k: v for k, v in r.items() if k != "position"}) for r in rows])


def cross(store: Store, rid: int, status: str | None = None):
    return [f for f in store.get_report(rid).flags if f.code in CROSS and (status is None or f.status == status)]


def test_the_store_raises_replaces_and_keeps_decisions(db_url):
    store = Store(db_url)
    rows = unit_rows(1)
    late = [dict(r) for r in rows]
    late[len(COUNTED)]["evidence"] += " | Kế hoạch số 109/KH-UBND ngày 15/09/2025"
    a = store.save_report(report("Tân Lập", rows))
    b = store.save_report(report("Mỹ Thành", late))
    c = store.save_report(report("Bình Hẻm", unit_rows(2)))
    out = crosschecks.run(store)
    assert out["copied-between-units"] == 2 and out["evidence-after-report"] == 1
    fa, fb = cross(store, a), cross(store, b)
    assert [f.code for f in fa] == ["copied-between-units"] and f"#{b}" in fa[0].message and "Mỹ Thành" in fa[0].message
    assert sorted(f.code for f in fb) == ["copied-between-units", "evidence-after-report"]
    assert cross(store, c) == []
    assert all(f.severity != "error" for f in fa + fb)
    # the document carries them (the export), with the other report and the rows on both sides
    doc = store.get_report(a).document
    flag = next(f for f in doc["flags"] if f["code"] == "copied-between-units")
    assert flag["other"]["id"] == b and flag["pairs"] and flag["pairs"][0]["this"] is not None
    assert store.get_report(c).status == "clean" and store.get_report(a).status == "flagged"

    # a re-run rewrites nothing; a reviewer's decision survives it
    store.set_flag_status(fb[0].id, "confirmed", "reviewer", "đã đối chiếu")
    assert crosschecks.run(store)["rewritten"] == 0
    again = cross(store, b)
    assert [(f.id, f.status) for f in again if f.code == "copied-between-units"] == [(fb[0].id, "confirmed")]
    assert [x["flag"].code for x in flagged_items(store.get_report(b))] == ["copied-between-units"]   # the letter: confirmed only

    # a third copy arrives: the report is rewritten with a new flag, the decided one is kept as it was
    d = store.save_report(report("Văn Sơn", rows))
    crosschecks.run(store)
    copied = [f for f in cross(store, b) if f.code == "copied-between-units"]
    assert len(copied) == 2 and (fb[0].id, "confirmed") in [(f.id, f.status) for f in copied]

    # the finding goes (a reviewer establishes both files are one unit's): the stale flags go too
    store.add_correction(b, "unit.name", "Xã Tân Lập", "reviewer", "cùng một xã")
    crosschecks.run(store)
    assert sorted((f.code, f"#{d}" in f.message) for f in cross(store, b)) == [
        ("copied-between-units", True), ("evidence-after-report", False)]
    assert all(f"#{b}" not in f.message for f in cross(store, a))
    assert not any(f"#{b}" in f["message"] for f in store.get_report(a).document["flags"])
    trail = [x for x in store.get_report(b).corrections if x.field == "status"]
    assert trail and trail[0].flag_id is None and "không còn" in trail[0].why

    # the export carries them like every flag
    exported = {d.id: d.export_dict() for d in store.export_documents()}
    assert any(f["code"] == "evidence-after-report" for f in exported[b]["flags"])
    store.close()


def test_the_store_pairs_a_unit_with_its_previous_year(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    prev = unit_rows(5)
    steady = [dict(r, numerator=r["numerator"] + 3) if r.get("numerator") else dict(r) for r in prev]
    fell = [dict(r, numerator=r["numerator"] // 3) if r["indicator"] == "8.3" else dict(r) for r in steady]
    p = store.save_report(report("Tân Lập", prev, year=2022, date="2022-11-10"))
    now = store.save_report(report("Tân Lập", steady, year=2023, seed="steady"))
    crosschecks.run(store)
    assert cross(store, now) == [] and cross(store, p) == []
    other = store.save_report(report("Tân Lập", fell, year=2023, seed="fell"))      # a second version, later
    crosschecks.run(store)
    flags = cross(store, other)
    assert {(f.code, f.indicator, f.severity) for f in flags} == {("implausible-change", "8.3", "info")}
    assert any(f"#{p}" in f.message and "2022" in f.message for f in flags)
    doc_flag = next(f for f in store.get_report(other).document["flags"] if f["code"] == "implausible-change")
    assert doc_flag["other"]["id"] == p and doc_flag["before"] > doc_flag["after"]
    # another unit's report of the previous year is not this unit's
    assert cross(store, now) == []
    store.close()


def test_a_reader_may_not_raise_a_cross_report_flag():
    d = report("Tân Lập", unit_rows(1)[:2]).to_dict()
    d["flags"] = [{"code": "copied-between-units", "severity": "warning", "message": "x", "indicator": None}]
    with pytest.raises(BadReport, match="copied-between-units"):
        decode(d)


def test_reading_a_report_again_keeps_its_cross_report_flags_and_decisions(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    rows = unit_rows(1)
    a = store.save_report(report("Tân Lập", rows))
    store.save_report(report("Mỹ Thành", rows))
    crosschecks.run(store)
    flag = cross(store, a)[0]
    store.set_flag_status(flag.id, "dismissed", "reviewer", "hai xã dùng chung số liệu huyện")
    store.replace_reading(a, report("Tân Lập", rows))          # `dti reprocess`: a new reading of the same file
    kept = cross(store, a)
    assert [(f.code, f.status) for f in kept] == [("copied-between-units", "dismissed")]
    crosschecks.run(store)                                      # raised again identically: still dismissed
    assert [(f.code, f.status) for f in cross(store, a)] == [("copied-between-units", "dismissed")]
    assert store.get_report(a).document.get("dismissed_flags")
    store.close()


def test_a_figure_every_commune_prints_alike_is_no_evidence(tmp_path):
    # a province-wide count (the services on the portal) printed by every commune, the rest honest
    store = Store(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    for i in range(8):
        rows = unit_rows(100 + i)
        shared, own = rows[:6], rows[len(COUNTED):]      # the rest of the counts left unread
        for r in shared:                                 # the province's list: 1.842 services, 1.517 online
            r["denominator"], r["numerator"], r["claimed_points"] = 1842, 1517, 16.47
        store.save_report(report(f"Số {i}", shared + own))
    assert crosschecks.run(store)["copied-between-units"] == 0
    store.close()


def test_last_years_report_under_another_ruleset_of_the_province_pairs_by_name():
    import dataclasses
    # a new decision renumbers every indicator and rewords one slightly (a comma added)
    reworded = "Tỷ lệ cán bộ, công chức, viên chức được trang bị máy tính phục vụ công việc (gồm cả máy tính để bàn, máy tính xách tay, máy tính bảng)"
    new_inds = tuple(dataclasses.replace(i, code=f"{i.pillar}.{int(i.code.split('.')[1]) + 10}",
                                         name=reworded if i.code == "3.1" else i.name) for i in RS.indicators)
    new = dataclasses.replace(RS, id="hoabinh-2025-xa", year=2025, indicators=new_inds)
    codes = change.pair_codes(new, RS)
    assert codes["8.13"] == "8.3" and codes["3.11"] == "3.1"
    assert len(set(codes.values())) == len(codes) == len(RS.scorable())      # one to one
    fell = [{"indicator": "8.13", "numerator": 900, "denominator": 2700, "position": 0}]
    before = [{"indicator": "8.3", "numerator": 2310, "denominator": 2680, "position": 3}]
    assert {c.previous_indicator for c in change.changes(fell, before, new.plausibility, codes)} == {"8.3"}
