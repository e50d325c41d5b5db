"""Memory flat in the batch size: a reading process is replaced by a fresh one after its share of
reports or as soon as it holds too much after one, and the reading processes share the cores
instead of each reading pages on all of them (`dti bench pipeline` measures the figures)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from settings import settings
from pipeline.workers import WorkerPool

PROC = f"{Path(__file__).resolve().parent / 'pipeline_textproc.py'}:process"


def _report(folder: Path, i: int, *extra: str) -> Path:
    p = folder / f"bao-cao-{i}.txt"
    p.write_text("\n".join([f"unit: Xã Số {i}", "year: 2024", "row: 1.1 5 10", *extra]) + "\n", encoding="utf-8")
    return p


def _pids_while_reading(pool: WorkerPool, files: list[Path]) -> list[int]:
    """The reading process each report went to (started beforehand, so its pid is known)."""
    seen = []
    for i, f in enumerate(files):
        pool.warm()
        seen.append(pool.pids()[0])
        assert pool.run(f, timeout=60).report.unit.name.endswith(str(i)), "a report was lost in the swap"
    return seen


def test_a_reading_process_is_replaced_after_its_share_of_reports(tmp_path):
    pool = WorkerPool(PROC, size=1, max_reports=2, recycle_mb=0)
    try:
        seen = _pids_while_reading(pool, [_report(tmp_path, i) for i in range(5)])
    finally:
        pool.close()
    assert seen[0] == seen[1] != seen[2] == seen[3] != seen[4]
    assert pool.recycled() == 2


def test_a_reading_process_that_keeps_memory_is_replaced_after_that_report(tmp_path):
    pool = WorkerPool(PROC, size=1, max_reports=0, recycle_mb=150)
    files = [_report(tmp_path, 0), _report(tmp_path, 1, "hold: 200"), _report(tmp_path, 2), _report(tmp_path, 3)]
    try:
        seen = _pids_while_reading(pool, files)
    finally:
        pool.close()
    # the one that grew is ended after the report that made it grow (its answer kept); a fresh one
    # holding little is kept for the rest
    assert seen[0] == seen[1] != seen[2] == seen[3]
    assert pool.recycled() == 1


def test_no_ceiling_and_no_count_keep_one_process(tmp_path):
    pool = WorkerPool(PROC, size=1, max_reports=0, recycle_mb=0)
    try:
        seen = _pids_while_reading(pool, [_report(tmp_path, 0, "hold: 50"), _report(tmp_path, 1)])
    finally:
        pool.close()
    assert len(set(seen)) == 1 and pool.recycled() == 0


@pytest.mark.parametrize("setting, expected", [(None, max(1, (os.cpu_count() or 1) // 2)), ("3", 3)])
def test_the_reading_processes_share_the_cores(tmp_path, monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv("DTI_READER_CORES", raising=False)
    else:
        monkeypatch.setenv("DTI_READER_CORES", setting)
    settings.reload()
    pool = WorkerPool(PROC, size=2)
    f = tmp_path / "r.txt"
    f.write_text("unit-from-env: DTI_READER_CORES\nyear: 2024\nrow: 1.1 5 10\n", encoding="utf-8")
    try:
        assert pool.run(f, timeout=60).report.unit.name == str(expected)
    finally:
        pool.close()
        monkeypatch.delenv("DTI_READER_CORES", raising=False)
        settings.reload()


def test_the_reader_reads_pages_on_the_cores_it_was_given(monkeypatch):
    from pipeline.stages import _read_options
    monkeypatch.setenv("DTI_READER_CORES", "1")
    settings.reload()
    try:
        assert _read_options().ocr.jobs == 1
        monkeypatch.delenv("DTI_READER_CORES")
        settings.reload()
        assert _read_options() is None      # outside a pool: extractors' own default (all cores)
    finally:
        settings.reload()
