"""The inbox's life cycle with a small real processor (tests/pipeline_textproc.py) in real worker processes."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from matchers.report import Report
from pipeline.batch import reset, run_pass
from settings.config import PipelineConfig
from pipeline.inbox import Inbox, sha256_of
from store.store import Store

PROC = f"{Path(__file__).with_name('pipeline_textproc.py')}:process"


@pytest.fixture(autouse=True)
def _stop_workers():
    yield
    reset()


def report(unit: str, *rows: str, extra: str = "") -> str:
    return f"unit: {unit}\nyear: 2024\n" + "".join(f"row: {r}\n" for r in rows) + extra


@pytest.fixture
def cfg(tmp_path):
    return PipelineConfig(inbox=tmp_path / "inbox", database_url=f"sqlite:///{tmp_path / 'dti.sqlite'}",
                          processor=PROC, stable_seconds=0, workers=2, retries=1, retry_delay=0.1,
                          log_dir=tmp_path / "logs")


def files_under(p: Path) -> list[str]:
    return sorted(x.relative_to(p).as_posix() for x in p.rglob("*") if x.is_file())


def test_same_file_twice_and_renamed_is_one_report(cfg):
    cfg.inbox.mkdir(parents=True)
    (cfg.inbox / "xa-a.txt").write_text(report("Xã A", "1.1 20 20"), encoding="utf-8")
    (cfg.inbox / "nop-lai").mkdir()
    (cfg.inbox / "nop-lai" / "ban-sao xa A.txt").write_text(report("Xã A", "1.1 20 20"), encoding="utf-8")
    (cfg.inbox / "xa-b.txt").write_text(report("Xã B", "1.1 25 20"), encoding="utf-8")
    s = run_pass(cfg)
    assert s.counts() == {"processed": 2, "skipped": 1, "quarantined": 0, "flagged": 1}
    store = Store(cfg.database_url)
    assert store.counts()["reports"] == 2
    (a,) = [r for r in store.reports() if r.unit.name == "Xã A"]
    assert sorted(a.file_names) == ["nop-lai/ban-sao xa A.txt", "xa-a.txt"]
    day = time.strftime("%Y-%m-%d")
    archived = files_under(cfg.archive)
    assert f"{day}/nop-lai/ban-sao xa A.txt" in archived and f"{day}/xa-a.txt" in archived
    assert any(n.endswith(".note.txt") for n in archived)
    assert files_under(cfg.inbox / "nop-lai") == [] and not (cfg.inbox / "xa-a.txt").exists()

    # dropped again later, under a third name: skipped, archived with a note, still one report
    (cfg.inbox / "lan-3.txt").write_text(report("Xã A", "1.1 20 20"), encoding="utf-8")
    s2 = run_pass(cfg)
    assert s2.counts()["processed"] == 0 and s2.counts()["skipped"] == 1
    note = next(p for p in cfg.archive.rglob("lan-3.txt.note.txt"))
    assert "đã có trong kho" in note.read_text(encoding="utf-8")
    assert Store(cfg.database_url).counts()["reports"] == 2


def test_failures_go_to_quarantine_with_a_bilingual_reason(cfg):
    cfg = cfg.with_(timeout=2.0)
    cfg.inbox.mkdir(parents=True)
    (cfg.inbox / "hong.txt").write_text("fail: bảng bị cắt\n", encoding="utf-8")
    (cfg.inbox / "treo.txt").write_text(report("Xã Treo", extra="sleep: 30\n"), encoding="utf-8")
    (cfg.inbox / "rong.txt").write_bytes(b"")
    (cfg.inbox / "nhi-phan.txt").write_bytes(b"\xff\xfe\x00MZ\x90")
    (cfg.inbox / "tot.txt").write_text(report("Xã Tốt", "1.1 10 20"), encoding="utf-8")
    t = time.monotonic()
    s = run_pass(cfg)
    assert time.monotonic() - t < 20          # the hung file was killed at its timeout
    assert s.counts()["processed"] == 1 and s.counts()["quarantined"] == 4
    reasons = {p.name: p.read_text(encoding="utf-8") for p in cfg.quarantine.glob("*.reason.txt")}
    assert set(reasons) == {f"{n}.reason.txt" for n in ("hong.txt", "treo.txt", "rong.txt", "nhi-phan.txt")}
    assert "Hỏng: bảng bị cắt" in reasons["hong.txt.reason.txt"] and "Broken: bảng bị cắt" in reasons["hong.txt.reason.txt"]
    assert "Quá thời gian" in reasons["treo.txt.reason.txt"] and "timed out" in reasons["treo.txt.reason.txt"]
    assert "Tệp rỗng" in reasons["rong.txt.reason.txt"] and "Empty file" in reasons["rong.txt.reason.txt"]
    for body in reasons.values():
        assert "Lý do:" in body and "Reason:" in body
    assert files_under(cfg.processing) == []
    assert Store(cfg.database_url).counts()["reports"] == 1


def test_a_crashing_worker_is_retried_then_quarantined(cfg):
    cfg.inbox.mkdir(parents=True)
    (cfg.inbox / "sap.txt").write_text("crash\n", encoding="utf-8")
    (cfg.inbox / "on.txt").write_text(report("Xã Ổn", "1.1 5 20"), encoding="utf-8")
    s = run_pass(cfg)
    assert s.counts()["processed"] == 1 and s.counts()["quarantined"] == 1
    reason = (cfg.quarantine / "sap.txt.reason.txt").read_text(encoding="utf-8")
    assert "dừng đột ngột" in reason and "stopped unexpectedly" in reason


def test_symlinks_state_folders_and_partial_copies_are_not_read(cfg, tmp_path):
    Inbox(cfg).ensure()
    outside = tmp_path / "outside.txt"
    outside.write_text(report("Xã Ngoài", "1.1 1 20"), encoding="utf-8")
    os.symlink(outside, cfg.inbox / "link.txt")
    os.symlink(tmp_path, cfg.inbox / "linked-dir")
    (cfg.archive / "old.txt").write_text(report("Xã Cũ", "1.1 1 20"), encoding="utf-8")
    (cfg.inbox / ".dang-chep.txt.part").write_text("unit: half", encoding="utf-8")
    (cfg.inbox / "~$bao-cao.docx").write_bytes(b"lock")
    s = run_pass(cfg)
    assert s.outcomes == [] and sorted(Path(p).name for p in s.refused) == ["link.txt", "linked-dir"]
    assert outside.exists() and (cfg.archive / "old.txt").exists()
    assert Store(cfg.database_url).counts()["reports"] == 0


def test_a_file_still_being_written_waits(cfg):
    cfg.inbox.mkdir(parents=True)
    fresh = cfg.inbox / "moi.txt"
    fresh.write_text(report("Xã Mới", "1.1 1 20"), encoding="utf-8")
    old = cfg.inbox / "cu.txt"
    old.write_text(report("Xã Cũ", "1.1 1 20"), encoding="utf-8")
    past = time.time() - 60
    os.utime(old, (past, past))
    stable, pending = Inbox(cfg).stable([fresh, old], seconds=30, max_wait=0)
    assert stable == [old] and pending == [fresh]


def test_sweep_resumes_what_a_crash_left_in_processing(cfg):
    inbox = Inbox(cfg)
    inbox.ensure()
    body = report("Xã Dở", "1.1 3 20")
    left = cfg.processing / "0123456789abcdef" / "xa-do.txt"
    left.parent.mkdir(parents=True)
    left.write_text(body, encoding="utf-8")
    # and one stored just before the crash, never archived
    stored = cfg.processing / "fedcba9876543210" / "da-luu.txt"
    stored.parent.mkdir(parents=True)
    stored.write_text(report("Xã Đã Lưu", "1.1 4 20"), encoding="utf-8")
    store = Store(cfg.database_url)
    store.save_report(Report.from_dict({"sha256": sha256_of(stored), "file": "da-luu.txt", "format": "txt",
                                        "rows": [], "flags": []}))
    s = run_pass(cfg)
    assert sorted((o.rel, o.status) for o in s.outcomes) == [("da-luu.txt", "skipped"), ("xa-do.txt", "processed")]
    assert files_under(cfg.processing) == []
    assert store.counts()["reports"] == 2
