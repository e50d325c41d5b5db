"""A small pool of long-lived worker processes (``pipeline.child``), one report at a time each.

Why not concurrent.futures or multiprocessing: a report that hangs must be
killed at its timeout without losing the pool, and the pool must also work
inside Dask's daemonic workers, where multiprocessing may not start
children.  A plain ``subprocess`` per slot, JSON lines over pipes, does both;
a worker is restarted after it is killed or dies.  Workers stay warm between
reports, so Word files cost milliseconds, not an interpreter start each.

Memory stays flat over a batch: a worker is replaced by a fresh one after
``DTI_READER_MAX_REPORTS`` reports, or as soon as it still holds more than
``DTI_READER_MEMORY_MB`` after a report (the child says how much it holds in
each reply, after giving freed heap back to the system); and the workers share
the cores (``DTI_READER_CORES``), so two workers on two cores do not each read
two pages at once, which only doubled the page images held.

What comes back is typed before anyone sees it: ``run`` decodes the child's JSON
into a ``Reading`` (a ``Report`` checked by ``matchers.report_codec.decode``, its
``StageTimes``), or raises ``ReadingFailed`` with the reason in both languages,
whether the processor refused the file or answered with something that is not a
Report.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from matchers.report_codec import BadReport, decode
from settings.settings import current
from pipeline.stages import Reading, StageTimes

log = logging.getLogger(__name__)
START_TIMEOUT = 180.0     # importing the rooms (spaCy, OpenCV) on a busy machine


class ReportTimeout(Exception):
    """The report took longer than its timeout; the worker was killed."""

    def __init__(self, seconds: float):
        super().__init__(f"timed out after {seconds:g} s")
        self.seconds = seconds
        self.message_vi = f"Quá thời gian xử lý ({seconds:g} giây): tệp quá lớn hoặc bị treo"
        self.message_en = f"Processing timed out after {seconds:g} s: the file is too large or hangs"


class WorkerDied(Exception):
    """The worker process ended without answering (killed, out of memory, crashed): transient."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.message_vi = f"Tiến trình đọc tệp bị dừng đột ngột ({detail})"
        self.message_en = f"The reading process stopped unexpectedly ({detail})"


class ReadingFailed(Exception):
    """The processor refused the file (bad input, its own error), or its answer is not a Report."""

    def __init__(self, message_vi: str, message_en: str, detail: str = ""):
        super().__init__(message_en)
        self.message_vi, self.message_en, self.detail = message_vi, message_en, detail


def reading_of(answer: dict) -> Reading:
    """The child's reply as a Reading, or ReadingFailed: nothing half-read gets past here."""
    if not answer.get("ok"):
        detail = f"{answer.get('error_type')}: {answer.get('message')}"
        if not answer.get("expected"):
            detail += "\n" + (answer.get("traceback") or "")
        raise ReadingFailed(answer.get("message_vi") or "Lỗi khi đọc tệp",
                            answer.get("message_en") or "Reading failed", detail)
    try:
        report = decode(answer.get("report"))
        times = StageTimes.from_dict(answer.get("times") or {})
        seconds = float(answer.get("seconds") or 0.0)
    except BadReport as e:
        raise ReadingFailed(e.message_vi, e.message_en, json.dumps(answer.get("report"), ensure_ascii=False,
                                                                  default=str)[:2000]) from None
    except (TypeError, ValueError, AttributeError) as e:
        raise ReadingFailed(f"Thời gian đo của bộ đọc không hợp lệ ({e})",
                            f"The reader's stage times are invalid ({e})") from None
    return Reading(report, times, seconds)


class Worker:
    def __init__(self, processor: str, memory_mb: int = 0, log_path: Path | None = None,
                 max_reports: int = 0, recycle_mb: int = 0, cores: int = 0):
        self.processor, self.memory_mb, self.log_path = processor, memory_mb, log_path
        self.max_reports, self.recycle_mb, self.cores = max_reports, recycle_mb, cores
        self.proc: subprocess.Popen | None = None
        self._buf = b""
        self.served = 0         # reports this process has answered
        self.recycled = 0       # processes replaced because they were spent (not killed or dead)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1", OMP_THREAD_LIMIT=os.environ.get("OMP_THREAD_LIMIT", "1"))
        if self.cores:
            env["DTI_READER_CORES"] = str(self.cores)
        err = subprocess.DEVNULL
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            err = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "pipeline.child", self.processor,
                                          str(self.memory_mb)], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        finally:
            if err is not subprocess.DEVNULL:
                err.close()
        self._buf = b""
        self.served = 0
        hello = self._read_line(START_TIMEOUT, starting=True)
        if not hello.get("ready"):
            self.kill()
            raise RuntimeError(f"worker could not load processor {self.processor}: {hello.get('message')}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.proc is None:
            return
        try:
            self.proc.kill()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        self.proc = None

    def close(self) -> None:
        if self.proc is not None and self.proc.stdin:
            try:
                self.proc.stdin.close()      # EOF: the child's loop ends by itself
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()

    def call(self, request: dict, timeout: float) -> dict:
        if not self.alive():
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(request, ensure_ascii=False) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            self.kill()
            raise WorkerDied(f"pipe: {e}") from None
        answer = self._read_line(timeout)
        self.served += 1
        return answer

    def retire_if_spent(self, answer: dict) -> bool:
        """End this process after its report when it has read its share or still holds too much;
        the next report starts a fresh one.  True when it was ended."""
        held = float(answer.get("rss_mb") or 0)
        spent = bool(self.max_reports) and self.served >= self.max_reports
        heavy = bool(self.recycle_mb) and held > self.recycle_mb
        if not (spent or heavy) or not self.alive():
            return False
        log.info("reading process %s replaced after %d reports, holding %.0f MiB", self.pid, self.served, held)
        self.close()
        self.recycled += 1
        return True

    def _read_line(self, timeout: float, starting: bool = False) -> dict:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                if starting:
                    raise WorkerDied("did not start in time")
                raise ReportTimeout(timeout)
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                code = self.proc.wait()
                self.kill()
                raise WorkerDied(f"exit code {code}")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return json.loads(line)


class WorkerPool:
    """``size`` workers shared by the threads of one process; ``run`` blocks for a free one."""

    def __init__(self, processor: str, size: int = 2, memory_mb: int = 0, log_path: Path | None = None,
                 max_reports: int | None = None, recycle_mb: int | None = None, cores: int | None = None):
        s = current()
        self.size = max(1, size)
        max_reports = s.reader_max_reports if max_reports is None else max_reports
        recycle_mb = s.reader_memory_mb if recycle_mb is None else recycle_mb
        # each process reads pages on its share of the cores (at least one)
        cores = (s.reader_cores or max(1, (os.cpu_count() or 1) // self.size)) if cores is None else cores
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all = [Worker(processor, memory_mb, log_path, max_reports, recycle_mb, cores)
                     for _ in range(self.size)]
        for w in self._all:
            self._idle.put(w)

    def run(self, path: str | Path, ruleset_id: str | None = None, timeout: float = 600.0) -> Reading:
        """The report read in a worker.  Raises ReadingFailed (the file's fault, or the
        processor's), ReportTimeout or WorkerDied (the worker is restarted on next use)."""
        worker = self._idle.get()
        try:
            answer = worker.call({"path": str(path), "ruleset_id": ruleset_id}, timeout)
            worker.retire_if_spent(answer)
        finally:
            self._idle.put(worker)
        return reading_of(answer)

    def warm(self) -> None:
        """Start every worker now (in parallel), so the first reports are not timed with start-up."""
        threads = [threading.Thread(target=w.start) for w in self._all if not w.alive()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def pids(self) -> list[int]:
        return [w.pid for w in self._all if w.pid]

    def recycled(self) -> int:
        """Processes replaced so far because they had read their share or held too much."""
        return sum(w.recycled for w in self._all)

    def close(self) -> None:
        for w in self._all:
            w.close()


_pools: dict[tuple, WorkerPool] = {}
_lock = threading.Lock()


def shared_pool(processor: str, size: int, memory_mb: int = 0, log_path: Path | None = None) -> WorkerPool:
    """One pool per process and processor: Prefect's task threads (or a Dask worker's) share it."""
    key = (processor, size, memory_mb, str(log_path))
    with _lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = WorkerPool(processor, size, memory_mb, log_path)
        return pool


@atexit.register
def close_pools() -> None:
    with _lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()
