"""The main job as a district office runs it: `dti serve`, then reports dropped into its inbox.

No flow function is called here: `dti serve` starts its own Prefect server on a free port
with a fresh home, serves the `process-inbox` deployment on a short interval, and the
scheduler must create the runs that read, store and archive the reports.  Then the Prefect
commands the README names run against that server, and stopping `dti serve` must leave no
process behind.  (Prefect 3.8.8 under SQLAlchemy 2.1 never created a scheduled run, and
under FastAPI 0.153+ its own CLI got 422 answers: both went unnoticed without this test.)
"""
from __future__ import annotations

import io
import re
import shutil
import signal
import subprocess
import time
from contextlib import redirect_stderr
from datetime import datetime, timedelta, timezone

import pytest

from localhost import free_port, wait_until
from serving import BIN, ROOT, archived, dti_serve, session_processes
from deploy.serve_watch import ServeWatch, api_call, live_runs, trigger_run
from store.store import Store

REPORTS = ("hungson-2022.docx", "hungson-2022-scan.pdf")   # a Word file and a scan
INTERVAL = 10
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with dti_serve(tmp_path_factory.mktemp("serve"), INTERVAL) as ns:
        yield ns


def test_served_deployment_processes_dropped_reports(served):
    for name in REPORTS:
        shutil.copy(ROOT / "samples" / name, served.inbox / name)
    done = wait_until(lambda: served.proc.poll() is not None or archived(served.inbox) >= set(REPORTS), 240)
    log = served.out.read_text(errors="replace")
    assert served.proc.poll() is None, f"dti serve ended early:\n{log[-3000:]}"
    assert done, f"not archived within 4 minutes: {sorted(archived(served.inbox))}\n{log[-3000:]}"

    store = Store(f"sqlite:///{served.var / 'dti.sqlite'}", migrate=False)
    try:
        stored = store.reports()
        assert sorted(r.file_name for r in stored) == sorted(REPORTS)
    finally:
        store.close()
    assert not any((served.inbox / "processing").iterdir())
    assert not list((served.inbox / "quarantine").rglob("*.*"))

    server_log = served.server_log.read_text(errors="replace")
    assert not re.search(r"\|\s*ERROR\s*\|", server_log), server_log[-3000:]
    # the watch said nothing: no scheduler error, runs did start
    assert "Error:" not in log and "Warning: no run" not in log, log[-3000:]


@pytest.mark.parametrize("args", [
    ["work-pool", "create", "dti-test-pool", "--type", "process"],
    ["work-pool", "ls"],
    ["deployment", "ls"],
    ["deployment", "run", "process-inbox/process-inbox"],
    ["flow-run", "ls"],
])
def test_readme_prefect_commands_against_the_served_server(served, args):
    assert served.proc.poll() is None
    env = {**served.env, "PREFECT_API_URL": served.api}
    r = subprocess.run([str(BIN / "prefect"), *args], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"prefect {' '.join(args)}: {r.stdout[-2000:]}{r.stderr[-2000:]}"
    # the HTTP status, not the digits inside a run's or deployment's id in the listed table
    assert not re.search(r"Unprocessable|(?<![\w-])422(?![\w-])", r.stdout + r.stderr), r.stdout[-2000:]


def test_watch_says_when_no_run_starts(served):
    """Against the live server: a flow with no runs gets the one-line warning naming the log."""
    watch = ServeWatch(served.api, served.server_log, interval=0.5, flow="no-such-flow", grace=0)
    time.sleep(1.1)
    buf = io.StringIO()
    with redirect_stderr(buf):
        watch.check_once()
        watch.check_once()          # said once, not every cycle
    said = buf.getvalue().strip().splitlines()
    assert len(said) == 1, said
    assert "no run of no-such-flow started" in said[0] and "chưa có lượt xử lý" in said[0]
    assert str(served.server_log) in said[0]
    # the real flow has run, so the same watch on it stays quiet
    quiet = ServeWatch(served.api, served.server_log, interval=60, grace=0)
    buf = io.StringIO()
    with redirect_stderr(buf):
        quiet.check_once()
    assert buf.getvalue() == ""


def test_a_run_can_be_triggered_now(served):
    """What `dti serve` does at start (the inbox's waiting reports are not left for one interval)."""
    before = live_runs(served.api, datetime.now(timezone.utc) - timedelta(minutes=30))
    run_id = trigger_run(served.api)
    assert re.fullmatch(r"[0-9a-f-]{36}", run_id)
    assert wait_until(lambda: live_runs(served.api, datetime.now(timezone.utc) - timedelta(minutes=30)) > before, 60)


def test_the_lost_run_automation_is_made_once_and_kept_up_to_date(served):
    """Prefect's zombie-run automation (pipeline/zombies.py), as a worker's pass makes it: once,
    and an older one brought up to date.  `dti serve`'s own passes make none (its runner marks
    its dead runs; the heartbeat events would only load its SQLite server): after the served
    passes above there is none yet."""
    from pipeline import zombies
    body = {"automations": {"name": {"any_": [zombies.AUTOMATION_NAME]}}}
    assert archived(served.inbox), "runs after the served pass of the first test"
    assert api_call(served.api, "/automations/filter", body, 10) == []
    from prefect.settings import PREFECT_API_URL, temporary_settings
    with temporary_settings({PREFECT_API_URL: served.api}):
        first = zombies.ensure_automation()
        again = zombies.ensure_automation()             # idempotent
        changed = zombies.ensure_automation(silent=120)   # an older one is brought up to date
        assert api_call(served.api, "/automations/filter", body, 10)[0]["trigger"]["within"] == 120
        back = zombies.ensure_automation()
    found = api_call(served.api, "/automations/filter", body, 10)
    assert first == again == changed == back and len(found) == 1
    trigger = found[0]["trigger"]
    assert trigger["posture"] == "Proactive" and trigger["within"] == zombies.SILENT_SECONDS
    assert trigger["match_related"]["prefect.resource.name"] == "process-inbox"
    assert found[0]["actions"][0]["state"] == "CRASHED"


def test_stopping_serve_leaves_no_process(served):
    assert served.proc.poll() is None
    assert len(session_processes(served.proc.pid)) >= 2        # dti serve and its Prefect server
    served.proc.send_signal(signal.SIGTERM)                     # as systemd or `kill` stops it
    served.proc.wait(timeout=90)
    assert served.proc.returncode == 0
    assert wait_until(lambda: not session_processes(served.proc.pid), 30), \
        [p.cmdline() for p in session_processes(served.proc.pid)]


def test_watch_reports_scheduler_errors_and_an_unreachable_server(tmp_path):
    log = tmp_path / "prefect-server.log"
    log.write_text("12:00:00.000 | INFO    | prefect.server - started\n", encoding="utf-8")
    watch = ServeWatch(f"http://127.0.0.1:{free_port()}/api", log, interval=0.1, grace=0)
    with log.open("a", encoding="utf-8") as f:
        f.write("12:00:05.000 | ERROR   | prefect.server.services.scheduler - Unexpected error\n"
                "Traceback (most recent call last):\n"
                "12:00:10.000 | ERROR   | prefect.server.services.scheduler - Unexpected error\n")
    time.sleep(0.25)
    buf = io.StringIO()
    with redirect_stderr(buf):
        watch.check_once()
        watch.check_once()
    said = buf.getvalue().strip().splitlines()
    assert len(said) == 2, said
    assert "prefect.server.services.scheduler" in said[0] and str(log) in said[0]
    assert "does not answer" in said[1] and "không kết nối được" in said[1]
