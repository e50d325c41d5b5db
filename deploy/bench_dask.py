"""``dti bench pipeline --dask``: the Dask path of the README timed, with one worker and with two.

A Prefect server (``prefect server start``, as on the server machine), then
``deploy/scaleout.py``'s ``DaskCluster`` starts ``dask scheduler`` and N ``dask worker``
processes on 127.0.0.1, each worker one task at a time with one reading process reading pages on
one core (``DTI_READER_CORES=1``): each worker stands for one small machine.  A generated batch
then goes through ``dti run --prefect`` with ``DTI_TASK_RUNNER=dask`` and ``DTI_DASK_ADDRESS``, as
an office would run it.  What a second machine buys is the 1 → 2 workers line; on this one
machine the two "machines" share its two cores, so it is a lower bound when other jobs run.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

from deploy.bench import PeakMemory, make_batch
from settings.config import var_dir
from deploy.scaleout import DaskCluster, Province, ScaleoutError


def _flow_seconds(out: str) -> float | None:
    m = re.search(r"wall time:\s+([\d.]+) s", out)
    return float(m.group(1)) if m else None


def bench_dask(n: int, source: Path, workers: list[int], mix: str | None = None) -> int:
    import psutil
    var_dir().mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="bench-dask-", dir=var_dir()))
    rows = []
    prefect = Province(root / "prefect", f"sqlite:///{root / 'unused.sqlite'}")
    try:
        prefect.start_server()
        for k in workers:
            cluster = DaskCluster(root / f"{k}-workers", prefect.api, env={"DTI_READER_CORES": "1",
                                                                           "DTI_WORKERS": "1"})
            try:
                names = [f"worker-{i + 1}" for i in range(k)]
                cluster.start_scheduler()
                for name in names:
                    cluster.start_worker(name)
                cluster.wait_workers(names)
                inbox = cluster.work / "inbox"
                make_batch(source, inbox, n, mix=mix)
                store_url = f"sqlite:///{cluster.work / 'store.sqlite'}"
                t0 = time.perf_counter()
                run = cluster.start_pass(inbox, store_url)
                roots = [psutil.Process(run.pid)] + [psutil.Process(p.pid) for p in cluster.procs.values()]
                with PeakMemory(roots=roots) as mem:
                    out, err = run.communicate(timeout=3600)
                wall = time.perf_counter() - t0
                if run.returncode != 0:
                    raise ScaleoutError(f"dti run --prefect on {k} Dask workers → {run.returncode}\n{err[-2000:]}")
                done = sum(1 for p in (inbox / "archive").rglob("*")
                           if p.is_file() and not p.name.endswith(".note.txt"))
                rows.append((k, wall, _flow_seconds(out), done, mem))
            finally:
                cluster.stop()
        print(f"Dask: {n} báo cáo / reports from {source}{f' ({mix})' if mix else ''}, `dti run --prefect`, "
              "DTI_TASK_RUNNER=dask, DTI_DASK_ADDRESS; each worker 1 task, 1 reading process on 1 core")
        print("| Dask workers | wall (Prefect start incl.) | pass (flow body) | reports/min (pass) | archived "
              "| peak memory, all | largest reading process |")
        print("|---|---|---|---|---|---|---|")
        for k, wall, body, done, mem in rows:
            per_min = 60 * done / body if body else 0.0
            print(f"| {k} | {wall:.1f} s | {body or 0:.1f} s | {per_min:.1f} | {done} | {mem.peak / 2**20:.0f} MiB "
                  f"| {mem.reader / 2**20:.0f} MiB |")
        if len(rows) >= 2 and rows[0][2] and rows[-1][2]:
            print(f"  {rows[-1][0]} workers vs {rows[0][0]}: the pass took {rows[-1][2] / rows[0][2]:.2f}× the time")
    except ScaleoutError as e:
        print(f"dti bench pipeline --dask: {e}")
        return 1
    finally:
        prefect.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0
