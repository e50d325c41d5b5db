"""The README's Dask path for real: `dask scheduler` and two `dask worker` processes on 127.0.0.1
(free ports) and a Prefect server they all use (PREFECT_API_URL, as the README sets on every
machine), `dti run --prefect` with DTI_TASK_RUNNER=dask and DTI_DASK_ADDRESS over a mixed
batch (Word, text PDF, a one-page scan): every report stored once.  Then one worker's machine is
lost (SIGKILL of the worker and all it started) in the middle of a pass: nothing is lost or
stored twice (each file archived, or back in processing/ for the next pass), and the next pass
completes it.  The harness is deploy/scaleout.py (also `dti bench pipeline --dask`).
Part of `make test` and `make test-scale`, not of the quick `-m "not slow and not scale"`.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from cluster import copy_samples, files as _files, stored_shas as _shas, two_workers
from deploy.bench import make_batch
from deploy.scaleout import ROOT, DaskCluster, Province, tail, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.scale]
TEXT_KINDS = ("hungson-2022.docx", "hungson-2022.pdf", "hungyen-2024-criteria.docx", "two-page-table.pdf")


def _one_page_scan(dest: Path) -> None:
    """The first page of the sample scan, as a PDF of its own: a real scan, read by OCR, but short."""
    import pypdfium2 as pdfium
    src = pdfium.PdfDocument(ROOT / "samples" / "hungson-2022-scan.pdf")
    one = pdfium.PdfDocument.new()
    one.import_pages(src, [0])
    one.save(dest)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    work = tmp_path_factory.mktemp("dask")
    store_url = f"sqlite:///{work / 'store.sqlite'}"
    prefect = Province(work / "prefect", store_url)      # `prefect server start`, as on the server machine
    c = DaskCluster(work, prefect.api)
    c.kinds = copy_samples(work / "kinds", TEXT_KINDS)
    c.store_url = store_url
    with two_workers(c, "Prefect server, Dask scheduler", start=(prefect.start_server, c.start_scheduler),
                     stop=(prefect.stop,)):
        yield c


def _explain(c: DaskCluster, err: str) -> str:
    return err[-3000:] + tail(c.work / "worker-1.log") + tail(c.work / "worker-2.log")


def test_a_mixed_batch_on_two_dask_workers_is_stored_once(cluster):
    inbox = cluster.work / "inbox-1"
    batch = make_batch(cluster.kinds, inbox, 5)
    _one_page_scan(inbox / "quet-1-trang.pdf")
    t0 = time.monotonic()
    code, out, err = cluster.run_pass(inbox, cluster.store_url)
    print(f"\n6 reports (Word, text PDF, a scan) on two Dask workers: {time.monotonic() - t0:.0f} s")
    assert code == 0, _explain(cluster, err)
    assert "Connecting to an existing Dask cluster" in err, "the pass did not use the scheduler"
    shas = _shas(cluster.store_url)
    assert len(shas) == len(batch) + 1 and len(set(shas)) == len(shas)
    assert len(_files(inbox / "archive")) == len(batch) + 1
    assert not _files(inbox / "processing") and not _files(inbox / "quarantine")
    assert "processed:       6" in out


def test_a_lost_dask_worker_loses_nothing_and_stores_nothing_twice(cluster):
    before = len(_shas(cluster.store_url))
    inbox = cluster.work / "inbox-2"
    batch = make_batch(cluster.kinds, inbox, 12, offset=100)
    run = cluster.start_pass(inbox, cluster.store_url)
    try:
        # under way on both workers, some stored, some not yet: then one machine is lost
        victim = wait_until(lambda: len(_shas(cluster.store_url)) >= before + 2 and cluster.busy_worker(), 600, 0.2)
        assert victim, "no worker took the batch"
        assert len(_shas(cluster.store_url)) < before + len(batch), "the batch finished before a worker was lost"
        cluster.kill_machine(victim)
        out, err = run.communicate(timeout=900)
    finally:
        if run.poll() is None:
            run.kill()
    # nothing lost: every file archived or back in processing/ for the next pass, none quarantined
    archived, stranded = _files(inbox / "archive"), _files(inbox / "processing")
    assert len(archived) + len(stranded) == len(batch), _explain(cluster, err)
    assert not _files(inbox / "quarantine") and not any(inbox.glob("*.*"))
    shas = _shas(cluster.store_url)
    assert len(shas) == len(set(shas)), "a report was stored twice"
    print(f"\nafter the lost worker: exit {run.returncode}, {len(archived)} archived, {len(stranded)} left "
          f"in processing/ for the next pass")
    # the next pass (on the worker left) takes what is left; each report is then stored exactly once
    code, out, err = cluster.run_pass(inbox, cluster.store_url)
    assert code == 0, _explain(cluster, err)
    shas = _shas(cluster.store_url)
    assert len(shas) == before + len(batch) and len(set(shas)) == len(shas)
    assert len(_files(inbox / "archive")) == len(batch)
    assert not _files(inbox / "processing") and not _files(inbox / "quarantine")
