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

from pipeline.config import var_dir

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"


def deployment_spec(path: Path = PREFECT_YAML, name: str = "process-inbox") -> dict:
    """The deployment's interval (seconds) and parameters from prefect.yaml (defaults if absent)."""
    spec = {"interval": 300.0, "parameters": {}}
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
    return spec


def _healthy(api_url: str) -> bool:
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
    if _healthy(api):
        return None, api
    log = open(var_dir() / "logs" / "prefect-server.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=log, env=dict(os.environ),
                            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Prefect server exited ({proc.returncode}); see var/logs/prefect-server.log")
        if _healthy(api):
            return proc, api
        time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("Prefect server did not start in time; see var/logs/prefect-server.log")


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
    Path(params["inbox"]).mkdir(parents=True, exist_ok=True)
    print(f"Hộp thư đến / inbox: {params['inbox']}, mỗi / every {interval or spec['interval']:g} s",
          file=sys.stderr)
    try:
        # imported after PREFECT_API_URL is set: Prefect reads its settings at import
        from pipeline.flow import process_inbox
        process_inbox.serve(name="process-inbox", interval=interval or spec["interval"], parameters=params)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    return 0
