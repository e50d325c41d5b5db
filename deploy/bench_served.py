"""``dti bench pipeline --workers 1,2``: the served path for real, against the direct pass.

A Prefect server (SQLite in a temporary home, or ``--database-url``), the process pool,
``prefect deploy`` of prefect.yaml and N ``prefect worker`` processes (deploy/scaleout.py,
the same steps as the scale test and the README), then a generated batch through the
deployment per N.  The same batch size is run directly (``dti run`` without Prefect, in its own
process, as a district would, into the same store) with each number of reading processes;
Prefect's overhead per report is (served wall time − direct wall time) / reports, both counted
from the command or the trigger to the pass finished, start-up of the reading processes
included in both.

With ``concurrency_limit: 1`` one pass runs at a time, so a second worker is a standby that
takes over when the first is lost, not a second lane: the printout says so beside its figure.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from deploy.bench import make_batch
from settings.config import var_dir
from deploy.scaleout import BIN, QUICK_WORKER_ENV, ROOT, Province, ScaleoutError


def int_list(text: str) -> list[int]:
    """'1,2' → [1, 2] (argparse type)."""
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        import argparse
        raise argparse.ArgumentTypeError(f"số nguyên dương, cách nhau bằng dấu phẩy / positive integers "
                                         f"separated by commas, e.g. 1,2 (not {text!r})")
    return values


def prefect_url(url: str | None) -> str | None:
    """Prefect's server talks to PostgreSQL through asyncpg; accept the store's spelling too."""
    if not url:
        return None
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+asyncpg://", url)


def direct_pass(source: Path, work: Path, store_url: str, n: int, offset: int, readers: int,
                timeout: float) -> float:
    """Wall time of `dti run` over a fresh batch of ``n`` (copies numbered from ``offset``, so
    the served batches in the same store are new to it), no Prefect."""
    inbox = work / "inbox"
    make_batch(source, inbox, n, offset=offset)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_")}
    env.update({"DTI_VAR_DIR": str(work / "var"), "DTI_WORKERS": str(readers), "DTI_DATABASE_URL": store_url,
                "OMP_THREAD_LIMIT": "1", "PREFECT_HOME": str(work / "prefect")})
    t = time.perf_counter()
    r = subprocess.run([str(BIN / "dti"), "run", "--inbox", str(inbox), "--stable-seconds", "0"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t
    done = re.search(r"processed:\s+(\d+)", r.stdout)
    if r.returncode != 0 or not done or int(done.group(1)) != n:
        raise ScaleoutError(f"dti run (direct) → {r.returncode}: {(r.stdout + r.stderr)[-1500:]}")
    return wall


def served_pass(prov: Province, source: Path, n: int, offset: int, timeout: float) -> float:
    make_batch(source, prov.inbox, n, offset=offset)
    t = time.perf_counter()
    run = prov.trigger()
    state = prov.wait_finished(run, timeout)
    wall = time.perf_counter() - t
    if state != "COMPLETED":
        raise ScaleoutError(f"the served pass ended {state}; see {prov.work}")
    left = [p for p in prov.inbox.rglob("*") if p.is_file() and "archive" not in p.relative_to(prov.inbox).parts]
    if left:
        raise ScaleoutError(f"the served pass left {len(left)} files outside archive/; see {prov.work}")
    return wall


def _fmt(walls: list[float]) -> str:
    mid = median(walls)
    return f"{mid:.1f} s" + (f" (runs: {', '.join(f'{w:.1f}' for w in walls)})" if len(walls) > 1 else "")


def bench_served(workers: list[int], n: int, source: Path, readers: list[int] | None = None,
                 database_url: str | None = None, store_url: str | None = None, repeat: int = 1,
                 timeout: float = 900) -> int:
    # the reading pool's own scaling is printed too: 1 process, and what a pass uses here
    from settings.settings import current
    readers = readers or sorted({1, current().workers})
    var_dir().mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-served-", dir=var_dir()))
    ok = False
    prov = Province(work / "province", store_url or f"sqlite:///{work / 'store.sqlite'}",
                    prefect_url(database_url), env={"DTI_WORKERS": str(readers[-1])})
    try:
        where = "PostgreSQL" if database_url else f"SQLite in {prov.env['PREFECT_HOME']}"
        print(f"Lô / batch: {n} báo cáo / reports from {source}; Prefect server on {where}, pool dti-pool, "
              f"prefect deploy from prefect.yaml, workers poll every {QUICK_WORKER_ENV['PREFECT_WORKER_QUERY_SECONDS']} s")
        lane = readers[-1]
        directs = 0

        def direct(r: int) -> float:
            # into the served passes' store, so both sides write to the same database
            nonlocal directs
            directs += 1
            return direct_pass(source, work / f"direct-{directs}", prov.store_url, n, 10_000 * directs, r, timeout)

        for r in readers:
            walls = [direct(r) for _ in range(repeat)]
            print(f"  trực tiếp / direct (dti run, no Prefect), DTI_WORKERS={r}: {_fmt(walls)}, "
                  f"{n / median(walls):.2f} reports/s", flush=True)
        t = time.perf_counter()
        prov.start_server()
        prov.deploy()
        print(f"  server up and deployed in {time.perf_counter() - t:.1f} s (not in the figures below)", flush=True)
        batch = 0
        for count in workers:
            names = [f"worker-{count}-{i + 1}" for i in range(count)]
            for name in names:
                prov.start_worker(name)
            prov.wait_workers(names)
            walls, extra = [], []
            for _ in range(repeat):
                # each served pass right after a direct one: the load of a shared machine drifts
                plain = direct(lane)
                walls.append(served_pass(prov, source, n, offset=batch * n, timeout=timeout))
                extra.append(walls[-1] - plain)
                batch += 1
            wall = median(walls)
            note = "  (one pass at a time: the second is a standby)" if count > 1 else ""
            print(f"  workers {count}: {_fmt(walls)}, {n / wall:.2f} reports/s, Prefect overhead "
                  f"{median(extra) / n:.2f} s/report ({median(extra):.1f} s a pass over the direct one just "
                  f"before it, DTI_WORKERS={lane}){note}", flush=True)
            for name in names:
                prov.stop_process(name)
        print("  Với concurrency_limit: 1, thêm worker là dự phòng, không nhanh hơn; song song trong một lượt là "
              "DTI_WORKERS / with concurrency_limit: 1 more workers are standbys, not speed; a pass's "
              "parallelism is DTI_WORKERS (or Dask)")
        ok = True
    except (ScaleoutError, OSError, subprocess.SubprocessError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(f"dti bench pipeline: không chạy hết được, nhật ký ở {work} / did not finish ({first}); "
              f"logs in {work}", file=sys.stderr)
        return 1
    finally:
        prov.stop()
        from pipeline.workers import close_pools
        close_pools()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
    return 0
