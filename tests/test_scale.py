"""Scale-out for real: Prefect server on PostgreSQL, a process pool, two workers, one shared inbox.

Every report is stored exactly once and none is lost; then one worker's machine is lost
(kill -9 of the worker and all it started) in the middle of a second batch: its flow run stops
beating, Prefect's automation (pipeline/zombies.py) marks it Crashed, which frees the
deployment's one slot, and the next pass, on the other worker, takes its reports again without
storing any twice.  The harness is deploy/scaleout.py (also `dti bench pipeline --workers`).
Run alone with `make test-scale`; it is part of `make test` too.
"""
from __future__ import annotations

import time

import pytest

from sqlalchemy import select
from sqlalchemy.orm import Session

from cluster import copy_samples, files, opened, stored_shas, two_workers
from deploy.bench import make_batch
from deploy.scaleout import Province, tail, wait_until
from store.schema import Run

pytestmark = [pytest.mark.slow, pytest.mark.scale]
BATCH = 30
# commune reports with a text layer: the test is about the deployment, not about OCR
KINDS = ("hungson-2022.docx", "hungson-2022.pdf", "hungyen-2024-criteria.docx", "huongxuan-2020-narrative.docx")


@pytest.fixture(scope="module")
def province(pg_server, tmp_path_factory):
    work = tmp_path_factory.mktemp("province")
    store_url = pg_server.create_database("dti_store")
    pg_server.create_database("prefect")
    prov = Province(work, store_url, pg_server.url("prefect", driver="asyncpg"))
    prov.kinds = copy_samples(work / "kinds", KINDS)
    with two_workers(prov, "server, deployment", start=(prov.start_server, prov.deploy)):
        yield prov


def _files(folder) -> list:
    return files(folder, notes=True)      # each report archived once, with no duplicate's note


def _stored(prov) -> int:
    with opened(prov.store_url) as store:
        return store.counts()["reports"]


def _shas(prov) -> list[str]:
    return stored_shas(prov.store_url)


def test_two_workers_store_every_report_once(province):
    make_batch(province.kinds, province.inbox, BATCH)
    t0 = time.monotonic()
    run = province.trigger()
    state = province.wait_finished(run, 300)
    elapsed = time.monotonic() - t0
    assert state == "COMPLETED", tail(province.work / "worker-1.log") + tail(province.work / "worker-2.log")
    shas = _shas(province)
    assert len(shas) == BATCH and len(set(shas)) == BATCH
    assert len(_files(province.inbox / "archive")) == BATCH
    assert not _files(province.inbox / "processing") and not _files(province.inbox / "quarantine")
    print(f"\n{BATCH} reports in {elapsed:.1f} s through the deployment ({BATCH / elapsed:.2f} reports/s)")


def test_a_lost_worker_loses_nothing_and_stores_nothing_twice(province):
    make_batch(province.kinds, province.inbox, BATCH, offset=BATCH)
    run = province.trigger()
    # wait until the pass is under way on one worker, some reports stored, some not yet
    victim = wait_until(lambda: _stored(province) >= BATCH + 3 and province.worker_running_a_flow(), 240, 0.5)
    assert victim, "no worker took the second batch"
    assert _stored(province) < 2 * BATCH, "the batch finished before the worker could be killed"
    province.kill_machine(victim)
    killed = time.monotonic()
    assert len(_files(province.inbox / "processing")) > 0      # its claimed reports are stranded
    # The schedule (or anyone) asks for the next pass at once; it waits for the deployment's one
    # slot, which the dead run holds until the automation marks it Crashed (~90 s of silence;
    # without it, Prefect 3.8.8's 300 s lease renewals kept the slot 324-349 s).
    again = province.trigger()
    state = province.wait_finished(again, 420)
    took = time.monotonic() - killed
    started = time.monotonic() - province.seconds_since_start(again)
    print(f"\nafter the lost worker: the dead run {province.run_state(run)}, the next pass started "
          f"{started - killed:.0f} s and finished {took:.0f} s after the kill")
    assert state == "COMPLETED", (state, tail(province.work / "server.log"))
    assert province.run_state(run) == "CRASHED", "the dead run was not marked Crashed: the slot came back by its lease"
    shas = _shas(province)
    assert len(shas) == 2 * BATCH and len(set(shas)) == 2 * BATCH
    assert len(_files(province.inbox / "archive")) == 2 * BATCH
    assert not _files(province.inbox / "processing") and not _files(province.inbox / "quarantine")
    assert not any(province.inbox.glob("*.*")), "reports left in the inbox"
    assert run != again
    # the killed pass is not left "running" in the store's runs table
    with opened(province.store_url) as store, Session(store.engine) as s:
        statuses = sorted(s.scalars(select(Run.status)))
    assert "running" not in statuses and statuses.count("interrupted") == 1, statuses
