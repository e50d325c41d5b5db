"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, a free port.

`initdb` and `postgres` refuse to run as root, so as root the data folder is given to
the `postgres` user (the Debian package creates it) and the server runs through
`runuser`.  Authentication is `trust` on 127.0.0.1 only; the server is stopped (fast
shutdown, then killed) when the test session ends.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from localhost import free_port


def pg_bindir() -> Path | None:
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(cand, "initdb").exists():
            return Path(cand)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PgServer:
    def __init__(self) -> None:
        self.bindir = pg_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL is not installed (Debian package 'postgresql'; `make deps` installs it)")
        self.tmp = Path(tempfile.mkdtemp(prefix="dti-pg-"))
        self.data = self.tmp / "data"
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([*self._as, *args], check=True, capture_output=True, text=True, timeout=120, **kw)

    def start(self) -> "PgServer":
        if self._as:
            shutil.chown(self.tmp, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale", "C.UTF-8")
        log = open(self.tmp / "server.log", "wb")
        self.proc = subprocess.Popen(
            [*self._as, str(self.bindir / "postgres"), "-D", str(self.data), "-p", str(self.port),
             "-h", "127.0.0.1", "-k", str(self.tmp), "-c", "fsync=off", "-c", "max_connections=200"],
            stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"PostgreSQL did not start: {(self.tmp / 'server.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        # accepting TCP is not yet accepting logins
        for _ in range(100):
            r = subprocess.run([str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                                "-c", "select 1"], capture_output=True, timeout=30)
            if r.returncode == 0:
                return self
            time.sleep(0.3)
        raise RuntimeError("PostgreSQL does not accept connections")

    def create_database(self, name: str) -> str:
        """A new empty database; returns its SQLAlchemy URL (psycopg 3 driver)."""
        subprocess.run([str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True, timeout=60)
        return self.url(name)

    def url(self, name: str, driver: str = "psycopg") -> str:
        return f"postgresql+{driver}://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            subprocess.run([*self._as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "stop", "-m", "fast"],
                           capture_output=True, timeout=60)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)
