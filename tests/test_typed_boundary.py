"""Typed across the process boundary: a worker's answer becomes a checked Report before the
store sees it, the store takes only a Report, and what does not parse is quarantined whole."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchers.report import Report
from matchers.report_codec import BadReport, decode, encode
from pipeline.batch import reset, run_pass
from settings.config import PipelineConfig
from pipeline.stages import StageTimes, process_file
from store.store import Store
from pipeline.workers import ReadingFailed, reading_of
from reviewkit import ROOT, replayed_ocr

PROC = f"{Path(__file__).with_name('pipeline_textproc.py')}:process"
# every layout and format the samples have; the two slowest scans are left to the golden tests
SAMPLES = ["hungson-2022.docx", "hungson-2022.pdf", "hungson-2022-scan.pdf", "photo-hungyen.jpg",
           "hungyen-2024-criteria.docx", "huongxuan-2020-narrative.docx", "tuachua-ranking.docx",
           "two-page-table.pdf"]


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_real_report_round_trips_exactly_through_the_pipe(sample):
    path = ROOT / "samples" / sample
    if not path.exists():
        pytest.skip("samples/ not generated yet")
    with replayed_ocr():
        report = process_file(path)
    assert Report.from_dict(report.to_dict()) == report
    wire = json.loads(json.dumps(encode(report), ensure_ascii=False))     # what the child writes
    assert decode(wire) == report and encode(decode(wire)) == wire


def _good() -> dict:
    return {"file": "a.txt", "sha256": "a" * 64, "format": "txt", "layout": "score-table", "ruleset": None,
            "unit": {"name": "Xã A", "level": "xa", "year": 2024}, "totals": {},
            "rows": [{"label": "Chỉ số 1.1", "indicator": "1.1", "claimed_points": 5.0, "source": {"page": 1}}],
            "flags": [{"code": "claimed-exceeds-max", "severity": "error", "message": "vượt"}]}


@pytest.mark.parametrize("break_it, where", [
    (lambda d: d.pop("rows"), "report.rows"),
    (lambda d: d.pop("sha256"), "report.sha256"),
    (lambda d: d["rows"][0].update(claimed_points="năm"), "report.rows[0].claimed_points"),
    (lambda d: d["rows"][0].update(claimed_points=True), "report.rows[0].claimed_points"),
    (lambda d: d["unit"].update(year="2024"), "report.unit.year"),
    (lambda d: d["rows"][0]["source"].update(bbox=[1, "x", 3, 4]), "report.rows[0].source.bbox[1]"),
    (lambda d: d.update(extra=1), "report.extra"),
    (lambda d: d.update(format="xlsx"), "report.format"),
    (lambda d: d["flags"][0].update(code="made-up"), "report.flags[0].code"),
    (lambda d: d["flags"][0].update(severity="fatal"), "report.flags[0].severity"),
    (lambda d: d.update(rows={"label": "x"}), "report.rows"),
])
def test_what_is_not_a_report_is_refused_with_where_in_both_languages(break_it, where):
    assert decode(_good()).rows[0].claimed_points == 5.0
    bad = _good()
    break_it(bad)
    with pytest.raises(BadReport) as e:
        decode(bad)
    assert where in e.value.message_vi and where in e.value.message_en
    assert e.value.message_vi.startswith("Bộ đọc trả về báo cáo không hợp lệ")
    assert e.value.message_en.startswith("The reader returned an invalid report")


def test_a_reply_becomes_a_typed_reading():
    times = StageTimes(read=0.5, match=0.25, score=0.125, pages=3)
    reading = reading_of({"ok": True, "report": _good(), "seconds": 1.5, "times": times.to_dict()})
    assert isinstance(reading.report, Report) and reading.times == times and reading.seconds == 1.5
    with pytest.raises(ReadingFailed) as e:
        reading_of({"ok": True, "report": {**_good(), "rows": None}, "seconds": 1.0, "times": {}})
    assert "report.rows" in e.value.message_en
    with pytest.raises(ReadingFailed) as e:
        reading_of({"ok": False, "message_vi": "Tệp rỗng", "message_en": "Empty file", "expected": True})
    assert (e.value.message_vi, e.value.message_en) == ("Tệp rỗng", "Empty file")


def test_save_report_refuses_a_dict(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'dti.sqlite'}")
    with pytest.raises(TypeError, match="Report"):
        store.save_report(_good())
    rid = store.save_report(decode(_good()))
    with pytest.raises(TypeError, match="Report"):
        store.replace_reading(rid, _good())
    assert store.counts() == {"reports": 1, "rows": 1, "flags": 1}
    store.close()


def test_a_processor_breaking_the_contract_is_quarantined_and_nothing_stored(tmp_path):
    cfg = PipelineConfig(inbox=tmp_path / "inbox", database_url=f"sqlite:///{tmp_path / 'dti.sqlite'}",
                         processor=PROC, stable_seconds=0, workers=1, retries=0, log_dir=tmp_path / "logs")
    cfg.inbox.mkdir(parents=True)
    (cfg.inbox / "thieu-dong.txt").write_text("unit: Xã Thiếu\nyear: 2024\nrow: 1.1 5 20\nomit: rows\n",
                                              encoding="utf-8")
    (cfg.inbox / "tot.txt").write_text("unit: Xã Tốt\nyear: 2024\nrow: 1.1 5 20\n", encoding="utf-8")
    try:
        s = run_pass(cfg)
    finally:
        reset()
    assert sorted((o.rel, o.status) for o in s.outcomes) == [("thieu-dong.txt", "quarantined"), ("tot.txt", "processed")]
    reason = (cfg.quarantine / "thieu-dong.txt.reason.txt").read_text(encoding="utf-8")
    assert "Bộ đọc trả về báo cáo không hợp lệ (report.rows: thiếu trường bắt buộc)" in reason
    assert "The reader returned an invalid report (report.rows: a required field is missing)" in reason
    store = Store(cfg.database_url)
    assert [r.file_name for r in store.reports()] == ["tot.txt"]
    assert store.counts() == {"reports": 1, "rows": 1, "flags": 0}
    store.close()


def test_the_store_gives_back_a_typed_report_with_the_same_figures(tmp_path):
    from store.stored import StoredCorrection, StoredFlag, StoredReport
    from reviewkit import processed, seed
    sample = "hungson-2022.docx"
    if not (ROOT / "samples" / sample).exists():
        pytest.skip("samples/ not generated yet")
    seeded = seed(tmp_path, [sample])
    store, rid = seeded.store, seeded.ids[sample]
    read = Report.from_dict({**processed(sample)[1], "file": sample})
    got = store.get_report(rid)
    assert isinstance(got, StoredReport) and got.id == rid and got.sha256 == read.sha256
    assert got.original == read                       # through the database and back, exactly
    assert got.corrected == read                      # nothing corrected yet
    assert (got.claimed_points, got.computed_points) == (read.totals.claimed_points, read.totals.computed_points)
    assert got.unit == read.unit and got.status == "flagged" and got.reviewed is False
    assert [r["indicator"] for r in got.rows] == [r.indicator for r in read.rows]
    assert all(isinstance(f, StoredFlag) for f in got.flags) and got.open_flags == len(read.flags)
    assert [(f.code, f.indicator) for f in got.flags] == [(f.code, f.indicator) for f in read.flags]

    row = next(r for r in got.rows if r.get("indicator") and r.get("claimed_points") is not None)
    store.add_correction(rid, "claimed_points", "0", seeded.user, row_id=row["id"])
    after = store.get_report(rid)
    assert after.original == read                     # the reading as extracted never changes
    fixed = next(r for r in after.corrected.rows if r.indicator == row["indicator"])
    assert fixed.claimed_points == 0.0
    assert after.corrected.totals.claimed_points == pytest.approx(read.totals.claimed_points - row["claimed_points"])
    (c,) = after.corrections
    assert isinstance(c, StoredCorrection) and (c.field, c.old, c.new) == ("claimed_points", row["claimed_points"], 0.0)
    assert store.get_reports([rid])[rid] == after
    (summary,) = store.reports()
    assert type(summary).__name__ == "ReportSummary" and (summary.id, summary.unit) == (rid, read.unit)
    d = after.to_dict()         # the JSON form keeps every key get_report had as a dict
    assert {"id", "sha256", "file_name", "file_names", "unit", "status", "reviewed", "open_flags", "document",
            "original", "rows", "flags", "corrections"} <= set(d)
    assert json.loads(json.dumps(d))["corrections"][0]["new"] == 0.0
    store.close()
