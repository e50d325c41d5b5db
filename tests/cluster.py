"""Services up for the scale-out tests (test_scale.py, test_dask.py), started and read back
one way: sample reports copied to a folder of kinds, the services started in order with two
workers on the last (a ``deploy.scaleout.Province`` or ``DaskCluster``: the same
``start_worker``/``wait_workers``/``stop``), everything stopped afterwards, and what a pass
left behind — the files of an inbox folder, the reports of the store."""
from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from deploy.scaleout import ROOT
from store.store import Store

WORKERS = ("worker-1", "worker-2")


def copy_samples(dest: Path, names: Iterable[str]) -> Path:
    """``samples/NAME`` for each name, copied into ``dest`` (made): the kinds a batch is made of."""
    dest.mkdir(parents=True, exist_ok=True)
    for n in names:
        shutil.copy(ROOT / "samples" / n, dest / n)
    return dest


@contextmanager
def two_workers(machines, what: str, start: Iterable[Callable[[], object]] = (),
                stop: Iterable[Callable[[], object]] = ()) -> Iterator:
    """``start`` in order (server, scheduler, deployment), then two workers on ``machines``,
    waited for; yields ``machines``.  Afterwards ``machines`` is stopped, then ``stop``."""
    try:
        t0 = time.monotonic()
        for step in start:
            step()
        for name in WORKERS:
            machines.start_worker(name)
        machines.wait_workers(list(WORKERS))
        print(f"\n{what} and two workers up in {time.monotonic() - t0:.0f} s")
        yield machines
    finally:
        machines.stop()
        for step in stop:
            step()


def files(folder: Path, notes: bool = False) -> list[Path]:
    """The files under an inbox folder: a quarantined file's reason is never one, the note archived
    beside a report (a duplicate's) only with ``notes`` (where none may be written)."""
    skip = (".reason.txt",) if notes else (".reason.txt", ".note.txt")
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(skip)]


@contextmanager
def opened(url: str) -> Iterator[Store]:
    store = Store(url)
    try:
        yield store
    finally:
        store.close()


def stored_shas(url: str) -> list[str]:
    """The sha256 of every stored report, one per report (a report stored twice shows twice)."""
    with opened(url) as store:
        return [r.sha256 for r in store.reports()]
