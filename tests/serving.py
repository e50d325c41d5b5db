"""`dti serve` as a district office runs it, for the tests that drive it (test_serve.py,
test_serve_kill.py): a subprocess in its own session, with its own var folder, a fresh
Prefect home and a free port; everything in that session is killed when the test is done."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import psutil

from localhost import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def session_processes(sid: int) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter():
        try:
            if os.getsid(p.pid) == sid:
                found.append(p)
        except (ProcessLookupError, PermissionError, psutil.Error):
            pass
    return found


def archived(inbox: Path) -> set[str]:
    return {p.name for p in (inbox / "archive").rglob("*") if p.is_file()}


@contextmanager
def dti_serve(work: Path, interval: float, extra_env: dict[str, str] | None = None):
    """Start `dti serve --inbox WORK/inbox --interval INTERVAL` on a free port; yields its
    process, inbox, var folder, API URL, output file, environment and server log."""
    inbox, var = work / "inbox", work / "var"
    inbox.mkdir(exist_ok=True)
    port = free_port()
    env = {**os.environ, "DTI_VAR_DIR": str(var), "PREFECT_HOME": str(var / "prefect"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "OMP_THREAD_LIMIT": "1",
           "DTI_OCR_CACHE": str(ROOT / "tests" / "ocr_cache"), **(extra_env or {})}
    env.pop("PREFECT_API_URL", None)
    out = open(work / "serve.out", "wb")
    proc = subprocess.Popen([str(BIN / "dti"), "serve", "--inbox", str(inbox), "--interval", f"{interval:g}",
                             "--port", str(port)], cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    ns = SimpleNamespace(proc=proc, inbox=inbox, var=var, api=api, out=work / "serve.out", env=env,
                         server_log=var / "logs" / "prefect-server.log")
    try:
        yield ns
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        for p in session_processes(proc.pid):
            p.kill()
        out.close()
