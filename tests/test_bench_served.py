"""`dti bench pipeline --workers 1,2` runs the served path for real and prints a line per N.

A Prefect server on SQLite in a temporary home, `prefect deploy`, one then two workers, a
small batch of Word reports (the figures are measured, not asserted: the machine is shared).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.slow, pytest.mark.scale]
LINE = re.compile(r"^\s*workers (\d+): ([\d.]+) s.*?, ([\d.]+) reports/s, Prefect overhead (-?[\d.]+) s/report", re.M)


def test_bench_pipeline_workers_prints_a_line_per_n(tmp_path):
    src = tmp_path / "kinds"
    src.mkdir()
    for name in ("hungson-2022.docx", "hungyen-2024-criteria.docx"):
        shutil.copy(ROOT / "samples" / name, src / name)
    env = {**os.environ, "DTI_VAR_DIR": str(tmp_path / "var"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "OMP_THREAD_LIMIT": "1"}
    env.pop("PREFECT_API_URL", None)
    r = subprocess.run([str(BIN / "dti"), "bench", "pipeline", "--workers", "1,2", "--n", "4", "--from", str(src)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    lines = LINE.findall(r.stdout)
    assert [int(n) for n, *_ in lines] == [1, 2], r.stdout
    for _n, wall, rate, _overhead in lines:
        assert float(wall) > 0 and float(rate) > 0
    assert re.search(r"direct \(dti run, no Prefect\), DTI_WORKERS=1: [\d.]+ s", r.stdout), r.stdout
    assert "standby" in r.stdout
    assert not (tmp_path / "var").exists() or not list((tmp_path / "var").glob("bench-served-*")), \
        "the benchmark's temporary folder was left behind"
