"""Hostile files through the real pipeline: each quarantined with its reason, the rest processed."""
from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from pipeline.batch import reset, run_pass
from settings.config import PipelineConfig
from store.store import Store

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "samples" / "hungson-2022.docx"


@pytest.fixture(autouse=True)
def _stop_workers():
    yield
    reset()


def load_hostile():
    """tests/hostile.py (the samples room's), as a package module or beside this file."""
    for name in ("tests.hostile", "hostile"):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    pytest.skip("tests/hostile.py not there yet")


@pytest.mark.slow
def test_hostile_files_are_quarantined_and_the_rest_processed(tmp_path):
    hostile = load_hostile()
    pytest.importorskip("extractors.errors")
    pytest.importorskip("matchers")
    if not GOOD.exists():
        pytest.skip("samples/ not generated yet")
    cfg = PipelineConfig(inbox=tmp_path / "inbox", database_url=f"sqlite:///{tmp_path / 'dti.sqlite'}",
                         stable_seconds=0, workers=2, timeout=120, log_dir=tmp_path / "logs")
    bad = hostile.write_all(cfg.inbox / "xa-la")
    shutil.copy(GOOD, cfg.inbox / "hungson-2022.docx")

    s = run_pass(cfg)

    assert s.counts()["processed"] == 1
    assert s.counts()["quarantined"] == len(bad)
    for name, path in bad.items():
        q = cfg.quarantine / "xa-la" / name
        assert q.exists(), f"{name} not quarantined"
        reason = q.with_name(name + ".reason.txt").read_text(encoding="utf-8")
        assert "Lý do:" in reason and "Reason:" in reason, reason
        assert not path.exists()
    (stored,) = Store(cfg.database_url).reports()
    assert stored.file_name == "hungson-2022.docx" and stored.unit.name
    assert not any(cfg.processing.rglob("*.*"))
