"""A pass that was killed is marked "interrupted" by the next start, not left "running"."""
from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.schema import Run, utcnow
from store.store import Store


def _status(store: Store, run_id: int) -> str:
    with Session(store.engine) as s:
        return s.get(Run, run_id).status


def test_a_killed_pass_is_marked_interrupted_by_the_next_start(db_url):
    store = Store(db_url)
    try:
        # a pass on this machine whose process is gone (kill -9)
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        killed = store.start_run("flow", inbox="/srv/inbox")
        # a pass on another machine that stopped beating 15 minutes ago (a lost worker)
        lost = store.start_run("flow", inbox="/srv/inbox")
        # a pass on another machine still beating, and one on another inbox
        alive = store.start_run("flow", inbox="/srv/inbox")
        other = store.start_run("flow", inbox="/srv/other")
        with Session(store.engine) as s, s.begin():
            s.get(Run, killed).pid = dead.pid
            s.get(Run, lost).host, s.get(Run, lost).seen_at = "worker-b", utcnow() - timedelta(minutes=15)
            s.get(Run, alive).host, s.get(Run, alive).pid = "worker-c", 1
            s.get(Run, other).pid = dead.pid

        new = store.start_run("flow", inbox="/srv/inbox")

        assert _status(store, killed) == "interrupted"
        assert _status(store, lost) == "interrupted"
        assert _status(store, alive) == "running"
        assert _status(store, other) == "running"          # another inbox: its own passes decide
        assert _status(store, new) == "running"
        store.beat(alive)
        store.finish_run(new, "done")
        with Session(store.engine) as s:
            ended = s.get(Run, killed)
            assert ended.finished_at is not None
            assert sorted(s.scalars(select(Run.id).where(Run.status == "running"))) == sorted([alive, other])
    finally:
        store.close()


def test_this_process_own_run_is_never_taken_for_dead(db_url):
    store = Store(db_url)
    try:
        mine = store.start_run("once", inbox="/srv/inbox")
        store.start_run("once", inbox="/srv/inbox")
        assert _status(store, mine) == "running"
    finally:
        store.close()
