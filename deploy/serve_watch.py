"""``dti serve`` watches its own Prefect server instead of waiting silently.

A served deployment can look alive while nothing happens: Prefect 3.8.8's
scheduler under SQLAlchemy 2.1 failed every cycle in its log and never created
a run, and `dti serve` printed nothing.  This thread reads the server's log for
errors and asks the API whether a run of ``process-inbox`` has started; when
the log shows an error, or no run starts within two intervals, it prints one
line in Vietnamese and English naming the log file.
"""
from __future__ import annotations

import json
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

FLOW_NAME = "process-inbox"
# Prefect's console log: "12:00:00.123 | ERROR   | prefect.server.services.scheduler - ..."
_ERROR_LINE = re.compile(r"\|\s*(ERROR|CRITICAL)\s*\|\s*([\w.]+)")
STARTUP_GRACE = 60.0     # the runner registers the deployment and the scheduler's first cycle


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# what Prefect's own client retries: its server answers 503 for errors a client may retry
# (SQLite "database is locked" while workers write), 429/502 come from proxies
RETRY_CODES = (429, 502, 503)
RETRY_DELAYS = (0.5, 1, 2, 4, 8)


def api_call(api_url: str, path: str, body: dict | None, timeout: float):
    """GET (no body) or POST a JSON body to the Prefect REST API, retrying what the server
    says may be retried."""
    req = urllib.request.Request(api_url.rstrip("/") + path, method="POST" if body is not None else "GET",
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    for delay in (*RETRY_DELAYS, None):
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            if e.code not in RETRY_CODES or delay is None:
                raise
            time.sleep(delay)


def _count_runs(api_url: str, flow: str, run_filter: dict, timeout: float) -> int:
    body = {"flows": {"name": {"any_": [flow]}}, "flow_runs": run_filter}
    return int(api_call(api_url, "/flow_runs/count", body, timeout))


def live_runs(api_url: str, since: datetime, flow: str = FLOW_NAME, timeout: float = 5.0) -> int:
    """Runs of ``process-inbox`` started after ``since`` or running now (raises OSError if unreachable).

    A running pass counts: with one pass at a time, a long batch of scans delays the next
    start, and that is work being done, not a stalled scheduler."""
    return (_count_runs(api_url, flow, {"start_time": {"after_": since.isoformat()}}, timeout)
            + _count_runs(api_url, flow, {"state": {"type": {"any_": ["RUNNING"]}}}, timeout))


def trigger_run(api_url: str, flow: str = FLOW_NAME, deployment: str = FLOW_NAME, timeout: float = 5.0) -> str:
    """Ask the server for a run of the served deployment now (as `prefect deployment run` does);
    returns the new flow run's id.  Raises OSError while the deployment is not registered yet."""
    dep = api_call(api_url, f"/deployments/name/{flow}/{deployment}", None, timeout)
    return api_call(api_url, f"/deployments/{dep['id']}/create_flow_run", {}, timeout)["id"]


class ServeWatch:
    def __init__(self, api_url: str, server_log: Path, interval: float, *, poll: float | None = None,
                 flow: str = FLOW_NAME, grace: float = STARTUP_GRACE, first_pass: bool = False):
        self.api_url = api_url
        self.flow = flow
        self.grace = grace
        self.server_log = Path(server_log)
        self.interval = float(interval)
        self.poll = poll or min(15.0, max(2.0, self.interval / 4))
        self._offset = self.server_log.stat().st_size if self.server_log.exists() else 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="dti-serve-watch", daemon=True)
        self._seen_errors: set[str] = set()
        self._warned_no_run = False
        self._warned_unreachable = False
        self._t0 = time.monotonic()
        self._first_pass = first_pass

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        # the schedule's first run is one interval away: what already waits in the inbox is taken now
        while self._first_pass and not self._stop.wait(1.0):
            try:
                trigger_run(self.api_url, self.flow)
                self._first_pass = False
            except (OSError, ValueError, KeyError):
                if time.monotonic() - self._t0 > self.grace:
                    self._first_pass = False
        while not self._stop.wait(self.poll):
            self.check_once()

    def check_once(self) -> None:
        self._check_log()
        if time.monotonic() - self._t0 >= 2 * self.interval + self.grace:
            self._check_runs()

    def new_log_errors(self) -> list[str]:
        """Sources of ERROR lines written to the server log since the last look."""
        try:
            with self.server_log.open("rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except OSError:
            return []
        # only whole lines: a line being written is read next time
        end = chunk.rfind(b"\n") + 1
        self._offset += end
        return [m.group(2) for m in _ERROR_LINE.finditer(chunk[:end].decode("utf-8", "replace"))]

    def _check_log(self) -> None:
        for source in self.new_log_errors():
            if source in self._seen_errors:
                continue
            self._seen_errors.add(source)
            _say(f"Lỗi: máy chủ Prefect ghi lỗi ({source}), xem {self.server_log} / "
                 f"Error: the Prefect server logged an error ({source}); see {self.server_log}")

    def _check_runs(self) -> None:
        window = 2 * self.interval + self.grace
        try:
            n = live_runs(self.api_url, datetime.now(timezone.utc) - timedelta(seconds=window), self.flow)
        except (OSError, ValueError, urllib.error.URLError):
            if not self._warned_unreachable:
                self._warned_unreachable = True
                _say(f"Lỗi: không kết nối được máy chủ Prefect {self.api_url}, xem {self.server_log} / "
                     f"Error: the Prefect server at {self.api_url} does not answer; see {self.server_log}")
            return
        self._warned_unreachable = False
        if n == 0 and not self._warned_no_run:
            self._warned_no_run = True
            _say(f"Cảnh báo: sau hai chu kỳ ({2 * self.interval:g} s) chưa có lượt xử lý nào bắt đầu, "
                 f"xem {self.server_log} / Warning: no run of {self.flow} started within two intervals "
                 f"({2 * self.interval:g} s); see {self.server_log}")
        elif n:
            self._warned_no_run = False
