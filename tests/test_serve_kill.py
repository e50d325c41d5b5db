"""A pass under `dti serve` whose flow-run process dies mid-pass (the OOM killer, a `kill -9`).

Prefect 3.8.8's runner (`process_inbox.serve` inside `dti serve`) starts each flow run as a
multiprocessing "spawn" child of `dti serve`, joins it, and proposes Crashed for the run when
it exits non-zero; its one-pass limit is freed when the process ends.  Here four text
reports (tests/pipeline_textproc.py) are read one at a time: the first two are done, the
third is being read (its marker file appears, then it sleeps), the fourth is still in the
inbox, when the flow-run process and its reading process are killed with SIGKILL.  Then:
the run is Crashed, `dti serve` goes on, the next pass asked for takes the third report
again from processing/ and the fourth from the inbox, every report is stored exactly once,
none is left in processing/ or quarantined, and the killed pass's row in `runs` ends
"interrupted".
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import psutil
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from localhost import wait_until
from serving import ROOT, archived, dti_serve, session_processes
from pipeline.inbox import sha256_of
from store.schema import Run
from deploy.serve_watch import FLOW_NAME, api_call, trigger_run
from store.store import Store

pytestmark = pytest.mark.slow

PROC = f"{ROOT / 'tests' / 'pipeline_textproc.py'}:process"
NAMES = ("a-xa-mot.txt", "b-xa-hai.txt", "c-xa-ba.txt", "d-xa-bon.txt")
SLOW = 2            # NAMES[SLOW] is read slowly: killed while it is read
SLEEP = 20          # seconds it reads: the kill lands well inside it; the next pass reads it again
INTERVAL = 600      # no scheduled pass in the test's time: each pass is one the test asks for
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _report(i: int, marker: Path | None) -> str:
    text = f"unit: Xã Số {i}\nyear: 2024\nrow: 1.1 {i + 1} 20\nrow: 1.2 1 10\n"
    if marker is not None:
        text = f"marker: {marker}\n{text}sleep: {SLEEP}\n"
    return text


def _flow_runs(api: str, state: str | None = None) -> list[dict]:
    body: dict = {"flows": {"name": {"any_": [FLOW_NAME]}}, "sort": "EXPECTED_START_TIME_ASC"}
    if state:
        body["flow_runs"] = {"state": {"type": {"any_": [state]}}}
    return api_call(api, "/flow_runs/filter", body, 10)


def _state(api: str, run_id: str) -> dict:
    return api_call(api, f"/flow_runs/{run_id}", None, 10)["state"]


def _runs_rows(db: Path) -> list[tuple[int, str, int | None]]:
    store = Store(f"sqlite:///{db}", migrate=False)
    try:
        with Session(store.engine) as s:
            return [(r.id, r.status, r.pid) for r in s.scalars(select(Run).order_by(Run.id))]
    finally:
        store.close()


def _cmdline(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except psutil.Error:        # ended meanwhile
        return ""


def _parent(p: psutil.Process) -> int | None:
    try:
        return p.ppid()
    except psutil.Error:
        return None


def _where(inbox: Path, name: str) -> list[str]:
    """The inbox's state folders (or the inbox itself) that hold a file of this name."""
    found = []
    for p in inbox.rglob(name):
        rel = p.relative_to(inbox).parts
        found.append(rel[0] if len(rel) > 1 else "inbox")
    return sorted(found)


def test_a_pass_killed_under_serve_is_crashed_and_the_next_pass_stores_every_report_once(tmp_path):
    work, markers = tmp_path / "serve", tmp_path / "markers"
    work.mkdir()
    markers.mkdir()
    (work / "inbox").mkdir()
    marker = markers / "slow-started"
    old = time.time() - 600
    for i, name in enumerate(NAMES):
        p = work / "inbox" / name
        p.write_text(_report(i, marker if i == SLOW else None), encoding="utf-8")
        os.utime(p, (old + i, old + i))     # settled (prefect.yaml's 2 s), and read in this order
    shas = {sha256_of(work / "inbox" / n) for n in NAMES}

    env = {"DTI_PROCESSOR": PROC, "DTI_STABLE_SECONDS": "0", "DTI_WORKERS": "1"}
    with dti_serve(work, INTERVAL, env) as served:
        def log() -> str:
            return served.out.read_text(errors="replace")[-4000:]

        # dti serve asks for a pass at start; wait until it reads the slow report
        assert wait_until(lambda: marker.exists() or served.proc.poll() is not None, 300, step=0.1), \
            f"the slow report was not started within 5 minutes:\n{log()}"
        assert served.proc.poll() is None, f"dti serve ended early:\n{log()}"
        running = _flow_runs(served.api, "RUNNING")
        assert len(running) == 1, running                       # one pass at a time
        run_id = running[0]["id"]

        # the flow-run process: the runner's spawned child of dti serve (its reading process below it)
        spawned = [p for p in session_processes(served.proc.pid)
                   if _parent(p) == served.proc.pid and "multiprocessing.spawn" in _cmdline(p)]
        assert len(spawned) == 1, [_cmdline(p) for p in session_processes(served.proc.pid)]
        flow_proc = spawned[0]
        readers = flow_proc.children(recursive=True)
        assert any("pipeline.child" in _cmdline(r) for r in readers), [_cmdline(r) for r in readers]
        for p in (flow_proc, *readers):         # the parent first: it must not start a new reader
            p.kill()
        _, alive = psutil.wait_procs([flow_proc, *readers], timeout=30)
        assert not alive, [p.pid for p in alive]

        # it was the pass (its runs row names that process) and it died mid-pass: two reports
        # done, one being read, one not yet taken
        rows = _runs_rows(served.var / "dti.sqlite")
        assert [(status, pid) for _, status, pid in rows] == [("running", flow_proc.pid)], rows
        killed_row = rows[0][0]
        assert [_where(served.inbox, n) for n in NAMES] == [["archive"], ["archive"], ["processing"], ["inbox"]]

        # Prefect's runner sees its flow-run process die and marks the run Crashed
        assert wait_until(lambda: _state(served.api, run_id)["type"] in FINAL, 60), _state(served.api, run_id)
        state = _state(served.api, run_id)
        assert state["type"] == "CRASHED", state
        assert "-9" in (state.get("message") or ""), state
        assert served.proc.poll() is None, f"dti serve ended with its pass:\n{log()}"

        # the next pass (as dti serve asks for one) gets the freed one-pass slot and finishes the work
        next_id = trigger_run(served.api)
        assert wait_until(lambda: _state(served.api, next_id)["type"] in FINAL, 240), \
            f"{_state(served.api, next_id)}\n{log()}"
        assert _state(served.api, next_id)["type"] == "COMPLETED", f"{_state(served.api, next_id)}\n{log()}"
        assert served.proc.poll() is None, f"dti serve ended:\n{log()}"

        store = Store(f"sqlite:///{served.var / 'dti.sqlite'}", migrate=False)
        try:
            stored = store.reports()
        finally:
            store.close()
        assert sorted(r.file_name for r in stored) == sorted(NAMES)        # each once, none lost
        assert {r.sha256 for r in stored} == shas
        assert [_where(served.inbox, n) for n in NAMES] == [["archive"]] * len(NAMES)
        assert archived(served.inbox) == set(NAMES)                           # and no duplicate's note
        assert not any((served.inbox / "processing").iterdir())
        assert not list((served.inbox / "quarantine").rglob("*"))

        rows = _runs_rows(served.var / "dti.sqlite")
        assert dict((i, s) for i, s, _ in rows)[killed_row] == "interrupted", rows
        assert [s for i, s, _ in rows if i != killed_row] == ["done"], rows

        out = served.out.read_text(errors="replace")
        assert "Traceback" not in out, out[-4000:]
