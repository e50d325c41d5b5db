"""The store's record of passes (the ``runs`` table): a pass starts, beats every minute and
finishes; one whose process died or that fell silent is marked "interrupted" by the next
start of the same inbox.

Apart from the reports because it is the pipeline's bookkeeping, not the reviewers' data:
``pipeline.batch`` alone calls it.  A mixin of ``store.store.Store``, which gives it
``_session``.
"""
from __future__ import annotations

import logging
import os
import socket

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from store.schema import Run, utcnow

log = logging.getLogger("store.store")   # the name the store's messages always had
RUN_BEAT_SECONDS = 60         # a pass says it is alive this often
RUN_STALE_SECONDS = 600       # silent this long: its pass was killed (a lost machine)


class RunsMixin:
    """``start_run``, ``beat``, ``mark_interrupted``, ``finish_run``."""

    _session: sessionmaker

    def start_run(self, kind: str, inbox: str | None = None) -> int:
        self.mark_interrupted(inbox)
        with self._session.begin() as s:
            now = utcnow()
            run = Run(kind=kind, inbox=inbox, host=socket.gethostname(), pid=os.getpid(), status="running",
                      seen_at=now, processed=0, skipped=0, quarantined=0, flagged=0)
            s.add(run)
            s.flush()
            return run.id

    def beat(self, run_id: int) -> None:
        """The pass is alive (called every minute by pipeline.batch.recorded_pass)."""
        with self._session.begin() as s:
            run = s.get(Run, run_id)
            if run is not None and run.status == "running":
                run.seen_at = utcnow()

    def mark_interrupted(self, inbox: str | None, stale_after: float = RUN_STALE_SECONDS) -> list[int]:
        """Runs of this inbox left "running" by a pass that was killed: on this machine, whose
        process is gone; on any machine, silent for ``stale_after`` seconds (a live pass beats
        every minute).  Marked "interrupted"; their files are taken again from processing/."""
        import psutil
        host, now = socket.gethostname(), utcnow()
        done = []
        with self._session.begin() as s:
            for run in s.scalars(select(Run).where(Run.status == "running", Run.inbox == inbox)):
                seen = run.seen_at or run.started_at
                if seen is not None and seen.tzinfo is None:      # SQLite gives naive UTC back
                    seen = seen.replace(tzinfo=now.tzinfo)
                dead_here = run.host == host and run.pid is not None and not psutil.pid_exists(run.pid)
                silent = seen is None or (now - seen).total_seconds() > stale_after
                if dead_here or silent:
                    run.status, run.finished_at = "interrupted", now
                    done.append(run.id)
        if done:
            log.warning("runs %s of %s marked interrupted (their pass was killed)", done, inbox)
        return done

    def finish_run(self, run_id: int, status: str = "done", **counts: int) -> None:
        with self._session.begin() as s:
            run = s.get(Run, run_id)
            if run is None:
                return
            for k, v in counts.items():
                setattr(run, k, v)
            run.status, run.finished_at = status, utcnow()
