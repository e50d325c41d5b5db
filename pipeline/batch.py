"""One pass over the inbox, as plain functions shared by the one-shot run and the Prefect flow.

    plan_pass   sweep processing/, scan the inbox, wait for files to settle, hash,
                set aside what the store holds and copies within the batch
    handle_item one report: claim → worker process (read, match, score) → one
                transaction → archive; or quarantine with a reason; any error of the
                program on this one file quarantines it too, and the pass goes on
    run_pass    the one-shot path: plan, then handle items on ``cfg.workers`` threads
                (each drives its own worker process, so both cores read)

The Prefect flow (``pipeline.flow``) calls ``plan_pass`` and ``handle_item`` as
tasks; what differs is only who schedules them.
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy.exc import OperationalError

from store import filenames
from matchers import kinds
from settings.config import PipelineConfig
from pipeline.inbox import Claim, Inbox, sha256_of
from pipeline.memory import give_back, limit_arenas
from pipeline.outcomes import Outcome, Plan, Summary, WorkItem  # noqa: F401  (re-exported)
from store.store import Store
from pipeline.workers import ReadingFailed, ReportTimeout, WorkerDied, WorkerPool, shared_pool

log = logging.getLogger(__name__)


class Transient(Exception):
    """Worth trying again: the worker died, the database was busy."""


@dataclass
class Context:
    cfg: PipelineConfig
    inbox: Inbox
    store: Store
    pool: WorkerPool


_contexts: dict[tuple, Context] = {}
_ctx_lock = threading.Lock()


def context(cfg: PipelineConfig, store: Store | None = None) -> Context:
    """The store and worker pool for ``cfg``, made once per process (tasks in Prefect
    threads or Dask workers share them)."""
    key = (str(cfg.inbox), cfg.database_url, cfg.processor, cfg.workers, cfg.memory_mb)
    with _ctx_lock:
        ctx = _contexts.get(key)
        if ctx is None or (store is not None and ctx.store is not store):
            pool = shared_pool(cfg.processor, cfg.workers, cfg.memory_mb, Path(cfg.log_dir) / "workers.log")
            ctx = _contexts[key] = Context(cfg, Inbox(cfg), store or Store(cfg.database_url), pool)
        return ctx


def reset() -> None:
    """Stop the reading processes and forget cached stores (tests; long-lived callers between configs)."""
    from pipeline.workers import close_pools
    with _ctx_lock:
        for ctx in _contexts.values():
            ctx.store.close()
        _contexts.clear()
    close_pools()


def plan_pass(ctx: Context) -> Plan:
    inbox = ctx.inbox
    inbox.ensure()
    items = [WorkItem(c.sha256, c.rel, str(c.path), resumed=True) for c in inbox.sweep()]
    by_sha = {it.sha256: it for it in items}
    scan = inbox.scan()
    stable, pending = inbox.stable(scan.files)
    unreadable: list[Outcome] = []
    for p in stable:
        try:
            sha = sha256_of(p)
        except FileNotFoundError:
            continue
        except OSError as e:        # no read permission, an I/O error: left where it is, said
            unreadable.append(Outcome(filenames.text(inbox.rel(p)), "", "failed", unexpected=True,
                                      reason=f"không đọc được tệp / cannot read the file ({filenames.clean(e.strerror or str(e))})"))
            continue
        if sha in by_sha:
            by_sha[sha].dups.append(str(p))
            continue
        it = by_sha[sha] = WorkItem(sha, inbox.rel(p), str(p))
        items.append(it)
    return Plan(items, [filenames.text(inbox.rel(p)) for p in pending], [filenames.text(p) for p in scan.refused],
                unreadable)


def _claim(ctx: Context, item: WorkItem) -> Claim | None:
    if item.resumed:
        p = Path(item.path)
        return Claim(p, item.rel, item.sha256, p.stat().st_size) if p.exists() else None
    claim = ctx.inbox.claim(Path(item.path), item.sha256)
    if claim is None:       # a retry after the move, or a concurrent run took it
        p = Path(ctx.cfg.processing) / item.sha256[:16] / item.rel
        if p.exists():
            return Claim(p, item.rel, item.sha256, p.stat().st_size)
    return claim


def _note_duplicate(rid: int, sha: str) -> str:
    return (f"Báo cáo này đã có trong kho (báo cáo số {rid}, SHA-256 {sha}); không xử lý lại.\n"
            f"This report is already stored (report #{rid}, SHA-256 {sha}); it was not processed again.")


def handle_item(ctx: Context, item: WorkItem, run_id: int | None = None, last_attempt: bool = True) -> list[Outcome]:
    """Process one report (and dispose of its copies). Raises Transient only when not ``last_attempt``.

    Whatever else goes wrong with this one file ends here: it goes to quarantine with its
    reason, the pass goes on with the others, and the outcome says the program failed."""
    t0 = time.perf_counter()
    claim = None
    try:
        claim = _claim(ctx, item)
        if claim is None:
            return [Outcome(filenames.text(item.rel), item.sha256, "skipped",
                            reason="đã được lượt chạy khác nhận / taken by another run")]
        out = _process(ctx, claim, run_id, last_attempt)
        out.times["total"] = time.perf_counter() - t0
        results = [out]
        for dup in item.dups:
            results.extend(_dispose_copy(ctx, item, out, Path(dup)))
        return results
    except Transient:
        raise
    except Exception as e:
        return [_unexpected(ctx, item, claim, e)]


def _dispose_copy(ctx: Context, item: WorkItem, out: Outcome, dup: Path) -> list[Outcome]:
    c = ctx.inbox.claim(dup, item.sha256)
    if c is None:
        return []
    if out.status in ("processed", "skipped") and out.report_id is not None:
        ctx.store.add_file_name(item.sha256, c.name)
        dest = ctx.inbox.archive(c, note=_note_duplicate(out.report_id, item.sha256))
        return [Outcome(c.name, item.sha256, "skipped", out.report_id, reason="duplicate", dest=str(dest))]
    vi, _, en = (out.reason or " / ").partition(" / ")
    dest = ctx.inbox.quarantine(c, f"Bản sao của {out.rel}: {vi}", f"Copy of {out.rel}: {en}")
    return [Outcome(c.name, item.sha256, "quarantined", reason=out.reason, dest=str(dest),
                    unexpected=out.unexpected)]


def _where(e: BaseException) -> str:
    """The innermost frame of ours an error passed, as ``pipeline/inbox.py:123``: enough to find
    it, without a traceback."""
    root = Path(__file__).resolve().parent.parent
    where, tb = "?", e.__traceback__
    while tb is not None:
        f = Path(tb.tb_frame.f_code.co_filename)
        if root in f.parents and ".venv" not in f.parts:
            where = f"{f.relative_to(root).as_posix()}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _unexpected(ctx: Context, item: WorkItem, claim: Claim | None, e: Exception) -> Outcome:
    """An error of the program while handling one file: the file to quarantine with its reason
    (from processing/ if it was claimed, else from the inbox), one warning line, no traceback."""
    name = filenames.text(item.rel)
    what = filenames.clean(f"{type(e).__name__}: {e}").replace("\n", " ")[:300]
    vi = f"lỗi chương trình khi xử lý tệp này ({what}); các tệp khác vẫn được xử lý"
    en = f"the program failed on this file ({what}); the other files were processed"
    detail = f"{what}\n(tại / at {_where(e)})"
    log.warning("%s: %s / %s", filenames.shown(item.rel), vi, en)
    dest = None
    try:
        if claim is None or not claim.path.exists():
            src = Path(item.path)
            if not src.exists():
                src = Path(ctx.cfg.processing) / item.sha256[:16] / item.rel
            claim = Claim(src, item.rel, item.sha256, 0) if src.exists() else None
        if claim is not None:
            dest = str(ctx.inbox.quarantine(claim, vi, en, detail))
    except Exception as e2:       # not even quarantine: the file stays where it is, said
        log.warning("%s: không chuyển được vào khu cách ly / could not be quarantined (%s)",
                    filenames.shown(item.rel), filenames.clean(f"{type(e2).__name__}: {e2}").replace("\n", " "))
        return Outcome(name, item.sha256, "failed", reason=f"{vi} / {en}", unexpected=True)
    return Outcome(name, item.sha256, "quarantined", reason=f"{vi} / {en}", dest=dest, unexpected=True)


def _process(ctx: Context, claim: Claim, run_id: int | None, last_attempt: bool) -> Outcome:
    cfg, store, inbox = ctx.cfg, ctx.store, ctx.inbox
    rid = store.report_id(claim.sha256)
    if rid is not None:     # stored before a crash, or a copy of a stored report
        store.add_file_name(claim.sha256, claim.name)
        dest = inbox.archive(claim, note=_note_duplicate(rid, claim.sha256))
        return Outcome(claim.name, claim.sha256, "skipped", rid, reason="already stored", dest=str(dest))

    def quarantine(vi: str, en: str, detail: str = "") -> Outcome:
        dest = inbox.quarantine(claim, vi, en, detail)
        return Outcome(claim.name, claim.sha256, "quarantined", reason=f"{vi} / {en}", dest=str(dest))

    try:
        with inbox.for_reading(claim) as path:
            reading = ctx.pool.run(path, cfg.ruleset_id, cfg.timeout)
    except ReadingFailed as e:
        return quarantine(e.message_vi, e.message_en, e.detail)
    except ReportTimeout as e:
        return quarantine(e.message_vi, e.message_en)
    except WorkerDied as e:
        if not last_attempt:
            raise Transient(str(e)) from e
        return quarantine(e.message_vi, e.message_en)

    report = reading.report
    # the store keys on the bytes the inbox hashed and names the file as the inbox does
    report.sha256, report.file = claim.sha256, claim.name
    times = {"read": reading.times.read, "match": reading.times.match, "score": reading.times.score,
             "worker": reading.seconds}
    t = time.perf_counter()
    try:
        rid = store.save_report(report, run_id, claim.name)
    except OperationalError as e:
        if not last_attempt:
            raise Transient(f"database: {e}") from e
        # not the file's fault: leave it in processing/, the next run's sweep takes it again
        return Outcome(claim.name, claim.sha256, "failed", reason=f"Lỗi cơ sở dữ liệu / database error: {e}")
    times["store"] = time.perf_counter() - t
    dest = inbox.archive(claim)
    other = kinds.not_a_report(report)      # stored and archived as what it is, but said apart
    return Outcome(claim.name, claim.sha256, "processed", rid, flags=0 if other else len(report.flags),
                   dest=str(dest), pages=reading.times.pages, times=times,
                   reason=kinds.message(filenames.shown(claim.rel), other) if other else None)


def handle_with_retries(ctx: Context, item: WorkItem, run_id: int | None) -> list[Outcome]:
    attempts = ctx.cfg.retries + 1
    for attempt in range(1, attempts + 1):
        try:
            return handle_item(ctx, item, run_id, last_attempt=attempt == attempts)
        except Transient:
            time.sleep(ctx.cfg.retry_delay * attempt)
    raise AssertionError("unreachable: the last attempt never raises Transient")


@contextmanager
def recorded_pass(cfg: PipelineConfig, kind: str, store: Store | None = None,
                  on_outcome: Callable[[Outcome], None] | None = None):
    """A pass's bookkeeping, shared by the one-shot run and the Prefect flow: the
    run row, the plan, the summary, and the run's end state even when it fails.
    Yields (ctx, plan, summary, add) where ``add(outcomes)`` records outcomes."""
    t0 = time.perf_counter()
    limit_arenas()          # before the report threads start: each would keep an arena of freed reports
    ctx = context(cfg, store)
    run_id = ctx.store.start_run(kind, str(cfg.inbox))
    summary = Summary(run_id=run_id)
    status = "failed"
    alive = _Heartbeat(ctx.store, run_id)

    def add(outcomes: list[Outcome]) -> None:
        for o in outcomes:
            summary.outcomes.append(o)
            if on_outcome:
                on_outcome(o)
        give_back()         # the report just stored was decoded and saved on another thread's heap
    try:
        plan = plan_pass(ctx)
        summary.pending, summary.refused = plan.pending, plan.refused
        add(plan.unreadable)
        yield ctx, plan, summary, add
        ctx.store.crosscheck()      # the auditor's checks across reports (store.crosschecks)
        give_back()                 # it read every stored report of the year: none of it is kept
        status = "done"
    finally:
        alive.stop()
        summary.wall = time.perf_counter() - t0
        ctx.store.finish_run(run_id, status, **summary.counts())


class _Heartbeat:
    """Beats the run's row while the pass works, so a pass on another machine can tell it from a
    killed one (``Store.mark_interrupted``)."""

    def __init__(self, store, run_id: int, every: float | None = None):
        from store.store import RUN_BEAT_SECONDS
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, args=(store, run_id, every or RUN_BEAT_SECONDS),
                                   name="dti-run-heartbeat", daemon=True)
        self._t.start()

    def _run(self, store, run_id: int, every: float) -> None:
        while not self._stop.wait(every):
            try:
                store.beat(run_id)
            except Exception as e:       # a busy database: the next beat tries again
                log.debug("heartbeat of run %s failed: %s", run_id, e)

    def stop(self) -> None:
        self._stop.set()


def run_pass(cfg: PipelineConfig, store: Store | None = None, kind: str = "once",
             on_plan: Callable[[Plan], None] | None = None,
             on_outcome: Callable[[Outcome], None] | None = None) -> Summary:
    """One pass without Prefect: what ``dti run`` does when no Prefect server is configured."""
    with recorded_pass(cfg, kind, store, on_outcome) as (ctx, plan, summary, add):
        if on_plan:
            on_plan(plan)
        with ThreadPoolExecutor(max_workers=max(1, cfg.workers), thread_name_prefix="dti-report") as ex:
            futures = [ex.submit(handle_with_retries, ctx, it, summary.run_id) for it in plan.items]
            for fut in as_completed(futures):
                add(fut.result())
    return summary
