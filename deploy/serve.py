"""``dti serve``: the ``process-inbox`` deployment of prefect.yaml, served on this machine.

Unless ``PREFECT_API_URL`` points at a Prefect server already, a local one is
started (``prefect server start``, SQLite in ``var/prefect``) and stays up for
as long as ``dti serve`` runs: the flow runs every 5 minutes against it, the UI
is at http://127.0.0.1:PORT, and ``dti run`` in another shell with the same
PREFECT_API_URL goes through it too.  The schedule and parameters are read
from prefect.yaml, so the file stays the one description of the deployment.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from settings.config import var_dir
from deploy.serve_watch import ServeWatch

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"


def deployment_spec(path: Path = PREFECT_YAML, name: str = "process-inbox") -> dict:
    """The deployment's interval (seconds) and parameters from prefect.yaml (defaults if absent)."""
    spec = {"interval": 300.0, "parameters": {}, "limit": 1}
    try:
        import yaml
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, ImportError):
        return spec
    for dep in data.get("deployments") or []:
        if dep.get("name") != name:
            continue
        for sched in dep.get("schedules") or []:
            if sched.get("interval"):
                spec["interval"] = float(sched["interval"])
                break
        spec["parameters"] = dict(dep.get("parameters") or {})
        if dep.get("concurrency_limit"):
            spec["limit"] = int(dep["concurrency_limit"])
    return spec


def server_healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _die_with_parent() -> None:
    """In the server's process (Linux): get SIGTERM when `dti serve` ends, however it ends."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_local_server(port: int, timeout: float = 120.0) -> tuple[subprocess.Popen | None, str]:
    """A Prefect server on 127.0.0.1:port (reused if one answers there); returns (process or None, API URL)."""
    api = f"http://127.0.0.1:{port}/api"
    if server_healthy(api):
        return None, api
    log_path = var_dir() / "logs" / "prefect-server.log"
    log = open(log_path, "ab")
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=log, env=dict(os.environ),
                            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"máy chủ Prefect đã dừng (mã {proc.returncode}), xem {log_path} / "
                               f"the Prefect server exited ({proc.returncode}); see {log_path}")
        if server_healthy(api):
            return proc, api
        time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"máy chủ Prefect không khởi động kịp ({timeout:g} s), xem {log_path} / "
                       f"the Prefect server did not start within {timeout:g} s; see {log_path}")


def serve(inbox: Path, interval: float | None = None, port: int = 4200) -> int:
    os.environ.setdefault("PREFECT_HOME", str(var_dir() / "prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    (var_dir() / "logs").mkdir(parents=True, exist_ok=True)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server, api = start_local_server(port)
        os.environ["PREFECT_API_URL"] = api
        print(f"Máy chủ Prefect / Prefect server: {api.removesuffix('/api')}", file=sys.stderr)
    spec = deployment_spec()
    params = {**spec["parameters"], "inbox": str(Path(inbox).resolve())}
    print(f"Hộp thư đến / inbox: {params['inbox']}, mỗi / every {interval or spec['interval']:g} s",
          file=sys.stderr)
    every = interval or spec["interval"]
    watch = ServeWatch(os.environ["PREFECT_API_URL"], var_dir() / "logs" / "prefect-server.log", every,
                       first_pass=True)
    watch.start()
    try:
        # imported after PREFECT_API_URL is set: Prefect reads its settings at import
        from pipeline.flow import process_inbox
        # limit = prefect.yaml's concurrency_limit: a pass that overruns delays the next, never overlaps it
        process_inbox.serve(name="process-inbox", interval=every, parameters=params, limit=spec["limit"])
    except (KeyboardInterrupt, SystemExit):     # Ctrl-C, or SIGTERM (Prefect's runner exits on it)
        pass
    finally:
        watch.stop()
        print("Đang dừng / stopping", file=sys.stderr, flush=True)
        # Passes still running are ended here, not waited for: their files stay in processing/
        # and the next pass takes them again from the start.
        stop_children(exclude=server)
        if server is not None:
            stop_process(server)
    return 0


def stop_process(proc: subprocess.Popen, grace: float = 20.0) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def stop_children(exclude: subprocess.Popen | None = None, grace: float = 10.0) -> None:
    """End every process this one started (flow runs and their readers), except ``exclude``."""
    import psutil
    keep = exclude.pid if exclude is not None else None
    procs = []
    for child in psutil.Process().children():
        if child.pid == keep:
            continue
        procs.append(child)
        procs.extend(child.children(recursive=True))
    for p in procs:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)
