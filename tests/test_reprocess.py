"""`dti reprocess`: stored readings carry the reader's version; stale ones are read again from the
archived original, reviewers' corrections and flag decisions carry over where the row still
matches, and the command prints what changed."""
from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from settings import settings
from commands.cli import main
from store.schema import ReportRec
from store.version import reader_version
from reviewkit import seed

WORD = "hungson-2022.docx"


@pytest.fixture
def seeded(tmp_path, monkeypatch):
    s = seed(tmp_path, [WORD])
    monkeypatch.setenv("DTI_DATABASE_URL", s.store.url)
    settings.reload()
    yield s
    s.store.close()


def _row(report: dict, code: str) -> dict:
    return next(r for r in report.rows if r.get("indicator") == code)


def test_a_stored_reading_carries_the_reader_version(seeded):
    s = seeded.store.reports()[0]
    assert s.reader_version == reader_version() and len(reader_version()) == 12


def _age(seeded) -> dict:
    """Make the stored reading look like an older reader's: 2.5 misread, a flag it did not raise,
    one it raised wrongly, a row that is not there any more."""
    rid = seeded.ids[WORD]
    with Session(seeded.store.engine) as s, s.begin():
        rec = s.get(ReportRec, rid)
        doc = json.loads(json.dumps(rec.document))
        pos = next(i for i, r in enumerate(doc["rows"]) if r["indicator"] == "2.5")
        doc["rows"][pos].update(ratio=0.58, computed_points=5.8)
        doc["flags"] = [f for f in doc["flags"] if f["code"] != "total-mismatch"]
        doc["flags"].append({"indicator": "2.5", "code": "claimed-formula-mismatch", "severity": "error",
                             "message": "cũ"})
        doc["rows"][-1]["indicator"] = "9.9"     # a row the old reader matched to an indicator that is gone
        rec.document, rec.reader_version = doc, "cu-0001"
        rec.rows[pos].ratio = 0.58
        rec.rows[-1].indicator = "9.9"
        rec.flags[:] = [f for f in rec.flags if f.code != "total-mismatch"]
        from store.schema import FlagRec
        rec.flags.append(FlagRec(position=len(doc["flags"]) - 1, indicator="2.5", code="claimed-formula-mismatch",
                                 severity="error", message="cũ", status="open"))
    return seeded.store.get_report(rid)


def test_reprocess_reads_again_keeps_reviewers_work_and_prints_what_changed(seeded, capsys):
    store, user = seeded.store, seeded.user
    rid = seeded.ids[WORD]
    old = _age(seeded)
    # reviewers' work on the old reading
    store.add_correction(rid, "computed_points", "12,5", user, why="minh chứng", row_id=_row(old, "7.1")["id"])
    store.add_correction(rid, "claimed_points", "3", user, row_id=_row(old, "9.9")["id"])
    kept_flag = next(f for f in old.flags if f.code == "claimed-formula-mismatch" and f.indicator == "4.1")
    store.set_flag_status(kept_flag.id, "confirmed", user, "đã hỏi xã")

    assert main(["reprocess", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert f"#{rid} {WORD}: bộ đọc / reader cu-0001 → {reader_version()}" in out
    assert "2.5 ratio: 0.58 → 0.85" in out and "2.5 computed_points: 5.8 → 8.5" in out
    assert "+ total-mismatch" in out and "− claimed-formula-mismatch 2.5" in out
    assert "1 không còn dòng tương ứng / no longer match" in out
    assert "Đã đọc lại / reprocessed: 1 / 1" in out

    new = store.get_report(rid)
    assert new.reader_version == reader_version()
    assert _row(new, "2.5")["ratio"] == 0.85
    r71 = _row(new, "7.1")
    assert r71["computed_points"] == 12.5 and r71["points_by"] == "reviewer"          # the correction holds
    flag = next(f for f in new.flags if f.code == "claimed-formula-mismatch" and f.indicator == "4.1")
    assert flag.status == "confirmed" and flag.reason == "đã hỏi xã"            # so does the decision
    assert not any(r.get("indicator") == "9.9" for r in new.rows)
    gone = next(c for c in new.corrections if c.field == "claimed_points")
    assert gone.row_id is None and "gone after reprocessing" in gone.why        # kept in the trail

    # nothing stale any more; --all reads again and finds nothing to change
    assert main(["reprocess"]) == 0
    assert "reprocessed: 0 / 0" in capsys.readouterr().out
    assert main(["reprocess", "--all"]) == 0
    out = capsys.readouterr().out
    assert "0 giá trị đổi / values changed, cảnh báo / flags +0 −0" in out
    assert store.get_report(rid).document["rows"] == new.document["rows"]


def test_a_missing_original_is_said_and_nothing_changes(seeded, capsys):
    import shutil
    rid = seeded.ids[WORD]
    _age(seeded)
    shutil.rmtree(seeded.inbox / "archive")
    from store import originals
    originals._found.clear()        # the same bytes found for another test's store would do, rightly
    assert main(["reprocess"]) == 1
    assert "archived original not found" in capsys.readouterr().out
    assert seeded.store.get_report(rid).reader_version == "cu-0001"
