"""A province-scale deployment on one machine: the README's deployment section, command for command.

A Prefect server (``prefect server start``; SQLite in its home, or the database given), a
process work pool, ``prefect deploy`` of prefect.yaml's ``process-inbox``, N ``prefect worker``
processes over one shared inbox, and one store.  ``tests/test_scale.py`` runs it on PostgreSQL
and kills a worker; ``dti bench pipeline --workers N`` times batches through it.  Every Prefect
command has a timeout; a step that fails raises ``ScaleoutError`` with the end of its log.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from deploy.serve import server_healthy
from deploy.serve_watch import api_call, trigger_run

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POOL = "dti-pool"
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
# What the README's server and worker lines export besides the addresses (see "When a province
# outgrows one machine"): the first two matter when a machine is lost, the last two only make a
# test or a benchmark wait less for a worker to look for work (Prefect's default is 10 s).
SERVER_ENV = {"PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION": "30",
              "PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS": "10"}
QUICK_WORKER_ENV = {"PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_WORKER_PREFETCH_SECONDS": "5"}


class ScaleoutError(RuntimeError):
    pass


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (closed again when this returns)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(pred, timeout: float, step: float = 1.0):
    """``pred()``'s first true value within ``timeout`` seconds, else its last (false) value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(step)
    return pred()


def tail(path: Path, n: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


class _Machines:
    """The processes a harness starts, each in its own session with its log under ``work``, and
    stops; ``kill_machine`` ends one with everything it started, as when its machine is lost."""
    work: Path
    env: dict[str, str]
    procs: dict[str, subprocess.Popen]

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        with open(self.work / f"{name}.log", "ab") as log:
            p = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        self.procs[name] = p
        return p

    def kill_machine(self, name: str) -> None:
        """kill -9 of a worker with everything it started (for Dask: nanny, worker, reading process)."""
        import psutil
        p = self.procs[name]
        try:
            tree = [psutil.Process(p.pid), *psutil.Process(p.pid).children(recursive=True)]
        except psutil.Error:
            return
        for proc in tree:
            try:
                proc.send_signal(signal.SIGKILL)
            except psutil.Error:
                pass
        psutil.wait_procs(tree, timeout=10)

    def stop_process(self, name: str) -> None:
        p = self.procs.pop(name)
        if p.poll() is not None:
            return
        try:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=20)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=10)

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            self.stop_process(name)


class Province(_Machines):
    def __init__(self, work: Path, store_url: str, prefect_db_url: str | None = None,
                 env: dict[str, str] | None = None):
        self.work = Path(work)
        self.inbox = self.work / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.store_url = store_url
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.env = {**os.environ, "PREFECT_HOME": str(self.work / "prefect-home"),
                    "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "OMP_THREAD_LIMIT": "1",
                    **SERVER_ENV, **QUICK_WORKER_ENV,
                    "PREFECT_API_URL": self.api, "DTI_DATABASE_URL": store_url,
                    "DTI_INBOX": str(self.inbox), "DTI_PROJECT_DIR": str(ROOT),
                    "DTI_VAR_DIR": str(self.work / "var"), "DTI_STABLE_SECONDS": "0", **(env or {})}
        if prefect_db_url:
            self.env["PREFECT_API_DATABASE_CONNECTION_URL"] = prefect_db_url
        self.env.pop("DTI_TASK_RUNNER", None)
        self.procs: dict[str, subprocess.Popen] = {}

    def prefect(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        try:
            r = subprocess.run([str(BIN / "prefect"), *args], cwd=ROOT, env=self.env, capture_output=True,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise ScaleoutError(f"prefect {' '.join(args)}: no answer in {timeout:g} s") from e
        if r.returncode != 0:
            raise ScaleoutError(f"prefect {' '.join(args)} → {r.returncode}\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
        return r

    def start_server(self, timeout: float = 180) -> None:
        p = self._spawn("server", [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                                   "--port", str(self.port)])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if p.poll() is not None:
                raise ScaleoutError(f"the Prefect server exited ({p.returncode})\n{tail(self.work / 'server.log')}")
            if server_healthy(self.api):
                return
            time.sleep(0.5)
        raise ScaleoutError(f"the Prefect server did not start in {timeout:g} s")

    def deploy(self) -> None:
        try:        # a benchmark on a kept PostgreSQL finds the pool from last time
            api_call(self.api, f"/work_pools/{POOL}", None, timeout=10)
        except OSError:
            self.prefect("work-pool", "create", POOL, "--type", "process")
        self.prefect("--no-prompt", "deploy", "--name", "process-inbox")

    def start_worker(self, name: str) -> subprocess.Popen:
        return self._spawn(name, [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--name", name,
                                  "--type", "process"])

    def online_workers(self) -> set[str]:
        found = api_call(self.api, f"/work_pools/{POOL}/workers/filter", {}, timeout=10)
        return {w["name"] for w in found if w.get("status") == "ONLINE"}

    def wait_workers(self, names: list[str], timeout: float = 120) -> None:
        if not wait_until(lambda: set(names) <= self.online_workers(), timeout, 0.5):
            raise ScaleoutError(f"workers {names} not online in {timeout:g} s\n{tail(self.work / f'{names[0]}.log')}")

    def trigger(self) -> str:
        return trigger_run(self.api, timeout=10)

    def run_state(self, run_id: str) -> str:
        return api_call(self.api, f"/flow_runs/{run_id}", None, timeout=10)["state"]["type"]

    def seconds_since_start(self, run_id: str) -> float:
        from datetime import datetime, timezone
        start = api_call(self.api, f"/flow_runs/{run_id}", None, timeout=10)["start_time"]
        return (datetime.now(timezone.utc) - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()

    def wait_finished(self, run_id: str, timeout: float) -> str:
        """The run's final state type, or its state when ``timeout`` ran out."""
        return wait_until(lambda: (s := self.run_state(run_id)) in FINAL and s, timeout, 0.5) \
            or self.run_state(run_id)

    def worker_running_a_flow(self) -> str | None:
        """The worker whose process tree holds a flow run's reading processes now."""
        import psutil
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



class DaskCluster(_Machines):
    """The README's other way out of one machine (``DTI_TASK_RUNNER=dask``, ``DTI_DASK_ADDRESS``):
    ``dask scheduler`` and ``dask worker`` processes, here all on 127.0.0.1 on free ports, as they
    would be started on the office's machines, all pointed at one Prefect server (``Province``'s
    ``prefect server start``).  ``run_pass`` is ``dti run --prefect`` against them.
    ``tests/test_dask.py`` kills a worker mid-pass; ``dti bench pipeline --dask`` times passes."""

    def __init__(self, work: Path, prefect_api: str, env: dict[str, str] | None = None):
        self.work = Path(work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        # Every machine, the workers too, talks to one Prefect server (the README's PREFECT_API_URL):
        # a Dask worker without it starts a temporary server of its own for its task runs (measured:
        # minutes under load, and left running when the worker dies).
        self.env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                    "PREFECT_API_URL": prefect_api, "PREFECT_HOME": str(self.work / "prefect-home"),
                    **(env or {})}
        self.procs: dict[str, subprocess.Popen] = {}

    def start_scheduler(self, timeout: float = 120) -> None:
        p = self._spawn("scheduler", [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                                      "--port", str(self.port), "--no-dashboard"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if p.poll() is not None:
                raise ScaleoutError(f"dask scheduler exited ({p.returncode})\n{tail(self.work / 'scheduler.log')}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.5)
        raise ScaleoutError(f"dask scheduler did not listen in {timeout:g} s\n{tail(self.work / 'scheduler.log')}")

    def start_worker(self, name: str) -> subprocess.Popen:
        """One machine's worker: one task at a time (its reading process uses the machine's cores)."""
        return self._spawn(name, [str(BIN / "dask"), "worker", self.address, "--name", name,
                                  "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1",
                                  "--no-dashboard", "--local-directory", str(self.work / name)])

    def workers(self) -> set[str]:
        from distributed import Client
        with Client(self.address, timeout=30) as c:
            return {w.get("name") for w in c.scheduler_info()["workers"].values()}

    def wait_workers(self, names: list[str], timeout: float = 180) -> None:
        if not wait_until(lambda: set(names) <= self.workers(), timeout, 1.0):
            raise ScaleoutError(f"dask workers {names} not connected in {timeout:g} s\n"
                                f"{tail(self.work / f'{names[0]}.log')}")

    def busy_worker(self) -> str | None:
        """A worker whose process tree is reading a report now (it has a reading process)."""
        import psutil
        for name, p in self.procs.items():
            if not name.startswith("worker") or p.poll() is not None:
                continue
            try:
                if any("pipeline.child" in " ".join(c.cmdline())
                       for c in psutil.Process(p.pid).children(recursive=True)):
                    return name
            except psutil.Error:
                continue
        return None

    def start_pass(self, inbox: Path, store_url: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        """``dti run --prefect --inbox INBOX`` with the Dask runner at this scheduler, started."""
        env = {**self.env, "DTI_TASK_RUNNER": "dask", "DTI_DASK_ADDRESS": self.address,
               "DTI_DATABASE_URL": store_url, "DTI_STABLE_SECONDS": "0",
               "DTI_VAR_DIR": str(self.work / "var"), **(extra_env or {})}
        return subprocess.Popen([str(BIN / "dti"), "run", "--prefect", "--inbox", str(inbox)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run_pass(self, inbox: Path, store_url: str, timeout: float = 900,
                 extra_env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """The pass to its end: (exit status, stdout, stderr)."""
        p = self.start_pass(inbox, store_url, extra_env)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            raise ScaleoutError(f"dti run --prefect on Dask: no end in {timeout:g} s\n{err[-2000:]}") from None
        return p.returncode, out, err

