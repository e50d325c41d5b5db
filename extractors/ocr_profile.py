"""Where a page's reading time goes, step by step (``dti bench extract --profile``).

``ocr_page`` opens a ``Recorder`` for its page and wraps each step in
``step(name)``; a step run inside another is charged to the inner one only,
so the steps of a page add up to the page's own time.  Pages run in threads
(``ocr.ocr_sources``): the current recorder is thread-local.  With no
recorder open (the pipeline's normal run) a step costs one attribute lookup.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

_local = threading.local()

# the order the table prints them in; any other name goes after
STEPS = ("load", "prepare", "clean", "ocr", "layout", "orientation", "separators",
         "retry-weak", "second-read", "finish")


class Recorder:
    """Seconds per step of one page, outermost total in ``total``."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}
        self.total = 0.0
        self._stack: list[list] = []    # [name, start, seconds spent in inner steps, whole]

    def add(self, name: str, seconds: float) -> None:
        self.steps[name] = self.steps.get(name, 0.0) + seconds


def current() -> Recorder | None:
    return getattr(_local, "rec", None)


@contextmanager
def page(enabled: bool):
    """Open a recorder for the page being read on this thread (None when off)."""
    if not enabled:
        yield None
        return
    rec, prev = Recorder(), current()
    _local.rec = rec
    t0 = time.perf_counter()
    try:
        yield rec
    finally:
        rec.total = time.perf_counter() - t0
        _local.rec = prev


@contextmanager
def step(name: str, whole: bool = False):
    """Time ``name``; with ``whole`` the steps run inside it are charged to it
    too (the re-read of a turned page is the orientation's cost, not a second
    "ocr")."""
    rec = current()
    if rec is None or any(f[3] for f in rec._stack):
        yield
        return
    frame = [name, time.perf_counter(), 0.0, whole]
    rec._stack.append(frame)
    try:
        yield
    finally:
        rec._stack.pop()
        spent = time.perf_counter() - frame[1]
        rec.add(name, spent - frame[2])          # the inner steps were charged already
        if rec._stack:
            rec._stack[-1][2] += spent


def table(rows: list[tuple[str, dict[str, float], float]]) -> str:
    """Rows (page label, step seconds, measured total) as a text table, with a
    line of totals and each step's share of the whole."""
    names = [s for s in STEPS if any(s in r[1] for r in rows)]
    names += sorted({s for r in rows for s in r[1]} - set(names))
    label_w = max([len("page")] + [len(r[0]) for r in rows] + [len("total")])
    head = f"{'page':<{label_w}} " + " ".join(f"{n:>11}" for n in names) + f" {'sum':>8} {'measured':>9}"
    out = [head]
    tot = {n: 0.0 for n in names}
    measured = 0.0
    for label, st, total in rows:
        out.append(f"{label:<{label_w}} " + " ".join(f"{st.get(n, 0.0):11.2f}" for n in names)
                   + f" {sum(st.values()):8.2f} {total:9.2f}")
        for n in names:
            tot[n] += st.get(n, 0.0)
        measured += total
    all_steps = sum(tot.values())
    out.append(f"{'total':<{label_w}} " + " ".join(f"{tot[n]:11.2f}" for n in names)
               + f" {all_steps:8.2f} {measured:9.2f}")
    out.append(f"{'share':<{label_w}} " + " ".join(f"{100 * tot[n] / all_steps if all_steps else 0:10.0f}%"
                                                   for n in names))
    return "\n".join(out)
