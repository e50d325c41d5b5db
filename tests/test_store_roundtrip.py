"""The store: Alembic on a fresh file, idempotent saves, corrections applied on export."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from matchers.report import Flag, Report
from scoring.corrections import CorrectionError
from store.store import Store


def doc(sha: str, unit: str = "Xã Đồng Tâm", year: int = 2024, claimed: float = 20.0) -> Report:
    return Report.from_dict({
        "file": f"{unit}.docx", "sha256": sha, "format": "docx", "layout": "score-table", "ruleset": "hungyen-2024-xa",
        "unit": {"name": unit, "level": "xa", "year": year},
        "rows": [
            {"label": "Trưởng ban Ban chỉ đạo", "indicator": "1.1", "match_score": 0.95, "claimed_points": claimed,
             "max_points": 20.0, "computed_points": 20.0, "ratio": None, "numerator": None, "denominator": None,
             "answer": "yes", "confidence": 0.9, "source": {"page": 1, "bbox": None}},
            {"label": "Tỷ lệ hộ có cáp quang", "indicator": "3.2", "match_score": 0.9, "claimed_points": 35.0,
             "max_points": 35.0, "computed_points": 27.5, "ratio": 0.785, "numerator": None, "denominator": None,
             "answer": None, "confidence": 0.6, "source": {"page": 2, "bbox": [1, 2, 3, 4]}},
        ],
        "totals": {"claimed_points": claimed + 35.0, "computed_points": 47.5, "stated_total": 55.0},
        "flags": [{"indicator": "3.2", "code": "claimed-formula-mismatch", "severity": "error",
                   "message": "Điểm tự chấm 35 khác điểm tính lại 27,5"}],
    })


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def test_alembic_creates_the_tables_on_a_fresh_database(db_url):
    url = db_url
    Store(url).close()
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    assert {"runs", "reports", "rows", "flags", "corrections", "alembic_version"} <= names
    cols = {c["name"] for c in inspect(engine).get_columns("corrections")}
    assert {"reviewer", "at", "old", "new", "why", "row_id", "flag_id"} <= cols
    from alembic.script import ScriptDirectory
    from store.store import _alembic_config
    heads = set(ScriptDirectory.from_config(_alembic_config()).get_heads())
    with engine.connect() as c:
        assert {r[0] for r in c.execute(text("select version_num from alembic_version"))} == heads
    Store(url).close()     # opening again is a no-op, not a second create


def test_save_is_idempotent_and_remembers_new_names(store):
    a = store.save_report(doc("a" * 64), file_name="xa-dong-tam.docx")
    again = store.save_report(doc("a" * 64), file_name="renamed/ban-sao.docx")
    assert a == again and store.has("A" * 64)
    assert store.counts() == {"reports": 1, "rows": 2, "flags": 1}
    got = store.get_report("a" * 64)
    assert got.id == a and got.file_names == ["xa-dong-tam.docx", "renamed/ban-sao.docx"]
    assert [r["indicator"] for r in got.rows] == ["1.1", "3.2"]


def test_a_failed_write_leaves_nothing_behind(store):
    bad = doc("b" * 64)
    bad.flags.append(Flag("missing-figures", "error", "x"))
    bad.flags[-1].code = None       # NOT NULL code: the database refuses the last record
    with pytest.raises(Exception):
        store.save_report(bad)
    assert not store.has("b" * 64)
    assert store.counts() == {"reports": 0, "rows": 0, "flags": 0}


def test_export_applies_corrections_and_flag_decisions(store):
    rid = store.save_report(doc("c" * 64))
    full = store.get_report(rid)
    row_32 = next(r for r in full.rows if r["indicator"] == "3.2")
    store.add_correction(rid, "claimed_points", "27,5", reviewer="lan", why="tính lại theo 78,5% x 35", row_id=row_32["id"])
    store.add_correction(rid, "unit.name", "Xã Đồng Tâm (sửa)", reviewer="lan")
    store.set_flag_status(full.flags[0].id, "dismissed", reviewer="lan", reason="đã giải trình")

    (exported,) = [r.export_dict() for r in store.export_documents()]
    assert exported["rows"][1]["claimed_points"] == 27.5
    assert exported["rows"][0]["claimed_points"] == 20.0
    assert exported["totals"]["claimed_points"] == pytest.approx(47.5)    # 55 shifted by the correction
    assert exported["unit"]["name"] == "Xã Đồng Tâm (sửa)"
    assert exported["flags"] == [] and exported["dismissed_flags"][0]["reason"] == "đã giải trình"
    assert exported["review"]["corrections"] == 3
    original = store.get_report(rid, corrected=False).document
    assert original["rows"][1]["claimed_points"] == 35.0 and original["unit"]["name"] == "Xã Đồng Tâm"
    trail = store.get_report(rid).corrections
    assert [(c.field, c.old, c.new) for c in trail] == [
        ("claimed_points", 35.0, 27.5), ("unit.name", "Xã Đồng Tâm", "Xã Đồng Tâm (sửa)"), ("status", "open", "dismissed")]
    assert store.reports(unit="đồng tâm (sửa)")[0].id == rid


def test_corrections_are_checked(store):
    rid = store.save_report(doc("d" * 64))
    row = store.get_report(rid).rows[0]
    with pytest.raises(CorrectionError):
        store.add_correction(rid, "claimed_points", "nhiều", reviewer="lan", row_id=row["id"])
    with pytest.raises(CorrectionError):
        store.add_correction(rid, "sha256", "x", reviewer="lan")
    with pytest.raises(CorrectionError):
        store.set_flag_status(store.get_report(rid).flags[0].id, "deleted", reviewer="lan")
    with pytest.raises(KeyError):
        store.add_correction(rid, "claimed_points", 1, reviewer="lan", row_id=row["id"] + 999)


def test_listing_filters(store):
    store.save_report(doc("e" * 64, unit="Xã Đông Hòa", year=2023))
    store.save_report(doc("f" * 64, unit="Xã Tân Dân", year=2024))
    assert [r.unit.name for r in store.reports(year=2024)] == ["Xã Tân Dân"]
    assert [r.unit.name for r in store.reports(unit="ĐÔNG")] == ["Xã Đông Hòa"]
    assert len(store.reports(ruleset="hungyen-2024-xa")) == 2 and store.reports(ruleset="other") == []
    assert len(store.reports(flagged=True)) == 2
    store.mark_reviewed("f" * 64, reviewer="lan")
    assert [r.unit.year for r in store.reports(reviewed=True)] == [2024]
