"""A province-scale deployment on one machine, for the scale-out test and `dti bench pipeline --workers`.

A Prefect server on PostgreSQL, a process work pool, `prefect deploy` of prefect.yaml's
`process-inbox`, N `prefect worker` processes over one shared inbox, and one PostgreSQL
store: the README's deployment section, command for command.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from localhost import free_port
from pipeline.serve import server_healthy
from pipeline.serve_watch import api_call, trigger_run

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POOL = "dti-pool"


class Province:
    def __init__(self, pg, work: Path):
        self.work = work
        self.inbox = work / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.store_url = pg.create_database("dti_store")
        prefect_db = pg.create_database("prefect")
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.env = {**os.environ, "PREFECT_HOME": str(work / "prefect-home"),
                    "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "OMP_THREAD_LIMIT": "1",
                    "PREFECT_API_DATABASE_CONNECTION_URL": pg.url("prefect", driver="asyncpg"),
                    # a worker that dies holds the deployment's one slot until its lease runs out
                    "PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION": "30",
                    "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_WORKER_PREFETCH_SECONDS": "5",
                    "PREFECT_API_URL": self.api, "DTI_DATABASE_URL": self.store_url,
                    "DTI_INBOX": str(self.inbox), "DTI_PROJECT_DIR": str(ROOT),
                    "DTI_VAR_DIR": str(work / "var"), "DTI_STABLE_SECONDS": "0"}
        self.env.pop("DTI_TASK_RUNNER", None)
        assert prefect_db
        self.procs: dict[str, subprocess.Popen] = {}

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.work / f"{name}.log", "ab")
        p = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        log.close()
        self.procs[name] = p
        return p

    def prefect(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        r = subprocess.run([str(BIN / "prefect"), *args], cwd=ROOT, env=self.env, capture_output=True,
                           text=True, timeout=timeout)
        if r.returncode != 0:
            raise AssertionError(f"prefect {' '.join(args)} → {r.returncode}\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
        return r

    def start_server(self, timeout: float = 180) -> None:
        p = self._spawn("server", [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                                   "--port", str(self.port)])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert p.poll() is None, (self.work / "server.log").read_text()[-3000:]
            if server_healthy(self.api):
                return
            time.sleep(0.5)
        raise AssertionError("the Prefect server did not start")

    def deploy(self) -> None:
        self.prefect("work-pool", "create", POOL, "--type", "process")
        self.prefect("--no-prompt", "deploy", "--name", "process-inbox")

    def start_worker(self, name: str) -> subprocess.Popen:
        return self._spawn(name, [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--name", name,
                                  "--type", "process"])

    def trigger(self) -> str:
        return trigger_run(self.api, timeout=10)

    def run_state(self, run_id: str) -> str:
        return api_call(self.api, f"/flow_runs/{run_id}", None, timeout=10)["state"]["type"]

    def worker_running_a_flow(self) -> str | None:
        """The worker whose process tree holds a flow run's reading processes now."""
        for name, p in self.procs.items():
            if not name.startswith("worker") or p.poll() is not None:
                continue
            try:
                if any("pipeline" in " ".join(c.cmdline()) or "prefect.engine" in " ".join(c.cmdline())
                       for c in psutil.Process(p.pid).children(recursive=True)):
                    return name
            except psutil.Error:
                continue
        return None

    def kill_machine(self, name: str) -> None:
        """kill -9 of a worker with everything it started, as when its machine is lost."""
        p = self.procs[name]
        tree = [psutil.Process(p.pid), *psutil.Process(p.pid).children(recursive=True)]
        for proc in tree:
            try:
                proc.send_signal(signal.SIGKILL)
            except psutil.Error:
                pass
        psutil.wait_procs(tree, timeout=10)

    def stop(self) -> None:
        for name, p in reversed(list(self.procs.items())):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=20)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    p.wait(timeout=10)
