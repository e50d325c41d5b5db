"""The Prefect 3 flow ``process-inbox``: one task per report, retries, a timeout per report.

The flow only schedules; the work is ``pipeline.batch`` (the same functions the
one-shot ``dti run`` calls without Prefect).  Task runner: threads by default
(``cfg.workers`` of them, each driving its own reading process, so both cores
read); ``DTI_TASK_RUNNER=dask`` uses prefect-dask's DaskTaskRunner (a local
cluster, or the scheduler at ``DTI_DASK_ADDRESS``).

Prefect keeps its state in ``var/prefect`` (``PREFECT_HOME``) and sends no
analytics.  Why the one-shot path avoids Prefect unless a server is
configured: see pipeline/README.md ("Prefect: measured").
"""
from __future__ import annotations

import os

from store import filenames
from settings.config import PipelineConfig, default_inbox, var_dir
from settings.settings import current

os.environ.setdefault("PREFECT_HOME", str(var_dir() / "prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# a fresh home migrates Prefect's own database first: 20 s is not enough on a busy 2-core machine
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.makedirs(os.environ["PREFECT_HOME"], exist_ok=True)

from prefect import flow, task  # noqa: E402  (settings above must precede the import)
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from pipeline.batch import (Outcome, Summary, Transient, WorkItem, context, handle_item,  # noqa: E402
                            recorded_pass)


def make_task_runner(kind: str | None = None, workers: int | None = None):
    kind = (kind or current().task_runner).lower()
    workers = workers or current().workers
    if kind == "dask":
        from prefect_dask import DaskTaskRunner
        address = current().dask_address
        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    if kind != "thread":
        raise ValueError(f"DTI_TASK_RUNNER must be 'thread' or 'dask', not {kind!r}")
    return ThreadPoolTaskRunner(max_workers=workers)


def _retry_transient(_task, _task_run, state) -> bool:
    """Retry only what may pass on a second try (a worker that died, a busy database)."""
    try:
        state.result()
    except Transient:
        return True
    except Exception:
        return False
    return False


@task(name="process-report", task_run_name="{item.name}", retries=2, retry_delay_seconds=2,
      retry_condition_fn=_retry_transient, cache_policy=NO_CACHE, log_prints=False)
def process_report(cfg: PipelineConfig, item: WorkItem, run_id: int | None) -> list[Outcome]:
    from prefect.runtime import task_run
    attempt = int(task_run.run_count or 1)
    return handle_item(context(cfg), item, run_id, last_attempt=attempt > cfg.retries)


def _flow_config(inbox: str | None, ruleset_id: str | None, stable_seconds: float | None,
                 processor: str | None) -> PipelineConfig:
    cfg = PipelineConfig(inbox=inbox or default_inbox())
    changes: dict = {}
    if ruleset_id:
        changes["ruleset_id"] = ruleset_id
    if stable_seconds is not None:
        changes["stable_seconds"] = stable_seconds
    if processor:
        changes["processor"] = processor
    if current().task_runner == "dask":
        changes["workers"] = 1      # one reading process per Dask worker; Dask supplies the parallelism
    return cfg.with_(**changes) if changes else cfg


@flow(name="process-inbox", task_runner=make_task_runner(), log_prints=False)
def process_inbox(inbox: str | None = None, ruleset_id: str | None = None,
                  stable_seconds: float | None = None, processor: str | None = None) -> dict:
    """Process every settled report in the inbox once; returns the summary counts."""
    from pipeline.zombies import ensure_for_this_run
    ensure_for_this_run()       # a lost worker must not hold the deployment's one slot for 5 minutes
    cfg = _flow_config(inbox, ruleset_id, stable_seconds, processor)
    summary = run_flow_pass(cfg)
    warn_unexpected(summary)
    return {**summary.counts(), "run_id": summary.run_id, "pending": len(summary.pending),
            "unexpected": len(summary.unexpected)}


def warn_unexpected(summary: Summary) -> None:
    """One line for a pass in which the program failed on some files (each was said, with its
    reason, when it failed): what `dti serve` shows above Prefect's "Completed", never a traceback."""
    bad = summary.unexpected
    if not bad:
        return
    from prefect.logging import get_run_logger
    names = "; ".join(filenames.shown(o.rel) for o in bad[:5]) + ("; …" if len(bad) > 5 else "")
    get_run_logger().warning(
        f"Cảnh báo: lượt này có {len(bad)} tệp lỗi (đã cách ly hoặc để lại cho lượt sau) / "
        f"Warning: this pass failed on {len(bad)} file(s) (quarantined, or left for the next pass): {names}")


def run_flow_pass(cfg: PipelineConfig, on_outcome=None) -> Summary:
    """The body of the flow (callable from inside any flow): plan, one task per report, summary."""
    with recorded_pass(cfg, "flow", on_outcome=on_outcome) as (ctx, plan, summary, add):
        # no Prefect timeout: a thread cannot be interrupted; the reading process is killed at cfg.timeout
        timed = process_report.with_options(retries=cfg.retries)
        futures = [(it, timed.submit(cfg, it, summary.run_id)) for it in plan.items]
        for it, fut in futures:
            try:
                outcomes = fut.result()
            except Exception as e:       # Prefect's own timeout or an unexpected error: the file stays
                what = filenames.clean(f"{type(e).__name__}: {e}").replace("\n", " ")[:300]
                outcomes = [Outcome(it.name, it.sha256, "failed", unexpected=True,
                                    reason=f"lỗi, sẽ thử lại lượt sau / failed, retried next run ({what})")]
            add(outcomes)
    return summary


@flow(name="process-inbox", log_prints=False)
def _one_shot_flow(cfg: PipelineConfig) -> Summary:
    return run_flow_pass(cfg)


def run_with_prefect(cfg: PipelineConfig) -> Summary:
    """``dti run --prefect``: the same pass as a Prefect flow run, with this config's runner."""
    runner = make_task_runner(cfg.task_runner, cfg.workers)
    if cfg.task_runner == "dask":
        cfg = cfg.with_(workers=1)
    return _one_shot_flow.with_options(task_runner=runner)(cfg)
