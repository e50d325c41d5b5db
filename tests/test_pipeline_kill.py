"""Crash safety: SIGKILL the one-shot run mid-batch, or one of its reading processes, and rerun."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from sqlalchemy import create_engine, text

from pipeline.batch import reset, run_pass
from settings.config import PipelineConfig
from pipeline.inbox import sha256_of
from store.store import Store

ROOT = Path(__file__).resolve().parent.parent
PROC = f"{Path(__file__).with_name('pipeline_textproc.py')}:process"
N = 6


@pytest.fixture(autouse=True)
def _stop_workers():
    yield
    reset()


def slow_report(i: int, markers: Path, seconds: float) -> str:
    return f"marker: {markers / f'started-{i}'}\nunit: Xã Số {i}\nyear: 2024\nrow: 1.1 {i} 20\nrow: 1.2 1 10\nsleep: {seconds}\n"


def wait_for(cond, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def reap(pids: list[int], timeout: float = 15.0) -> None:
    """Orphaned reading processes exit once they see their pipe closed; make sure they did."""
    procs = []
    for pid in pids:
        try:
            procs.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            pass
    _gone, alive = psutil.wait_procs(procs, timeout=timeout)
    for p in alive:
        p.kill()
    assert not alive, "reading processes outlived the killed pipeline by 15 s"


def places(tmp: Path) -> dict[str, list[str]]:
    """Where each of the N reports is now: inbox, processing or archive (notes excluded)."""
    inbox = tmp / "inbox"
    found: dict[str, list[str]] = {}
    for p in inbox.rglob("*.txt"):
        if p.name.endswith(".note.txt"):
            continue
        where = p.relative_to(inbox).parts[0] if len(p.relative_to(inbox).parts) > 1 else "inbox"
        found.setdefault(p.name, []).append(where)
    return found


def check_consistent(db_url: str) -> int:
    """Nothing half-written: each stored report has all its rows and flags, nothing orphaned."""
    store = Store(db_url)
    docs = [r.export_dict() for r in store.export_documents()]
    engine = create_engine(db_url)
    with engine.connect() as c:
        rows = c.execute(text("select count(*) from rows")).scalar()
        orphans = c.execute(text("select count(*) from rows where report_id not in (select id from reports)")).scalar()
        shas = c.execute(text("select count(distinct sha256), count(*) from reports")).one()
    assert orphans == 0
    assert rows == sum(len(d["rows"]) for d in docs)
    assert shas[0] == shas[1] == len(docs)
    return len(docs)


@pytest.mark.slow
def test_sigkill_mid_batch_then_rerun_stores_each_report_once(tmp_path):
    inbox, markers = tmp_path / "inbox", tmp_path / "markers"
    inbox.mkdir()
    markers.mkdir()
    for i in range(N):
        (inbox / f"bao-cao-{i}.txt").write_text(slow_report(i, markers, 1.0), encoding="utf-8")
    shas = {sha256_of(p) for p in inbox.iterdir()}
    db = f"sqlite:///{tmp_path / 'dti.sqlite'}"
    env = dict(os.environ, DTI_VAR_DIR=str(tmp_path / "var"), DTI_DATABASE_URL=db, DTI_WORKERS="2")
    env.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-m", "commands.cli", "run", "--inbox", str(inbox), "--processor", PROC,
           "--stable-seconds", "0"]

    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # kill once some reports are done and others are being read
        wait_for(lambda: len(list(markers.iterdir())) >= 3, 120, "three reports to start")
        children = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    reap(children)

    where = places(tmp_path)
    assert sorted(where) == sorted(f"bao-cao-{i}.txt" for i in range(N))     # nothing lost
    assert all(len(v) == 1 for v in where.values()), where                   # nowhere twice
    stored = check_consistent(db)
    archived = sum(1 for v in where.values() if v == ["archive"])
    assert archived <= stored < N            # archived only after its commit; the kill came mid-batch
    assert any(v != ["archive"] for v in where.values())

    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    where = places(tmp_path)
    assert all(v == ["archive"] for v in where.values()) and len(where) == N
    assert check_consistent(db) == N
    assert {r.sha256 for r in Store(db).export_documents()} == shas
    assert not any((inbox / "processing").rglob("*.txt")) and not any((inbox / "quarantine").iterdir())


def test_a_killed_reading_process_is_retried(tmp_path):
    cfg = PipelineConfig(inbox=tmp_path / "inbox", database_url=f"sqlite:///{tmp_path / 'dti.sqlite'}",
                         processor=PROC, stable_seconds=0, workers=2, retries=2, retry_delay=0.1,
                         log_dir=tmp_path / "logs")
    markers = tmp_path / "markers"
    markers.mkdir()
    cfg.inbox.mkdir()
    for i in range(3):
        (cfg.inbox / f"r{i}.txt").write_text(slow_report(i, markers, 1.5), encoding="utf-8")
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(markers.iterdir()):
            time.sleep(0.05)
        for child in psutil.Process().children(recursive=True):
            if "pipeline.child" in " ".join(child.cmdline()):
                child.send_signal(signal.SIGKILL)
                killed.append(child.pid)
                return

    t = threading.Thread(target=killer)
    t.start()
    s = run_pass(cfg)
    t.join()
    assert killed, "no reading process was found to kill"
    assert s.counts()["processed"] == 3 and s.counts()["quarantined"] == 0
    assert check_consistent(cfg.database_url) == 3
