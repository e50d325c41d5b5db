"""What a reading process and the parent keep resident: the matcher's one-to-one assignment
without all of scipy.optimize (~48 MiB a reading process; `dti bench pipeline` measures the
figures)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _in_fresh_process(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={"OMP_THREAD_LIMIT": "1", "DTI_READER_CORES": "1", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_word_report_is_read_and_matched_without_importing_scipy_optimize():
    """The real reader on a real Word report: its rows matched one to one, and the heavy
    package not loaded for the one function it needs."""
    got = _in_fresh_process(
        "import json, sys\n"
        "from pipeline.stages import process_file\n"
        "r = process_file('samples/hungson-2022.docx')\n"
        "print(json.dumps({'rows': sum(1 for x in r.rows if x.indicator),"
        " 'heavy': sorted(m for m in sys.modules if m.startswith(('scipy.optimize.', 'scipy.sparse', 'scipy.linalg'))"
        " and m != 'scipy.optimize._lsap')}))")
    assert got["rows"] >= 10, "the Word sample's rows were not matched"
    assert got["heavy"] == [], f"the reader imported {got['heavy'][:5]}"


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (7, 12), (12, 7), (30, 45)])
def test_the_slim_assignment_is_scipys(shape):
    """Same answer as scipy.optimize's own function, square or not, minimised or maximised."""
    from scipy.optimize import linear_sum_assignment as full

    from matchers.assignment import linear_sum_assignment
    rng = np.random.default_rng(sum(shape))
    cost = rng.random(shape)
    for maximize in (False, True):
        a, b = linear_sum_assignment(cost, maximize=maximize), full(cost, maximize=maximize)
        assert [x.tolist() for x in a] == [x.tolist() for x in b]


def test_the_slim_assignment_loads_scipys_compiled_module_once():
    """Loaded alone first, then scipy.optimize imported by someone else: one module, not two."""
    got = _in_fresh_process(
        "import json, sys, numpy as np\n"
        "from matchers.assignment import linear_sum_assignment\n"
        "r = linear_sum_assignment(np.array([[4.0, 1.0], [2.0, 3.0]]))\n"
        "alone = 'scipy.optimize' not in sys.modules\n"
        "lsap = sys.modules['scipy.optimize._lsap']\n"
        "import scipy.optimize\n"
        "print(json.dumps({'alone': alone, 'same': scipy.optimize.linear_sum_assignment is lsap.linear_sum_assignment,"
        " 'r': [x.tolist() for x in r], 'again': [x.tolist() for x in scipy.optimize.linear_sum_assignment("
        "np.array([[4.0, 1.0], [2.0, 3.0]]))]}))")
    assert got["alone"] and got["same"]
    assert got["r"] == got["again"] == [[0, 1], [1, 0]]


def test_a_ceiling_of_130_replaces_the_reader_that_loaded_spacy_and_only_it(monkeypatch):
    """The real reader, DTI_READER_MEMORY_MB=130 (the memory-tight choice the README gives): a
    table report leaves it small and it is kept; a narrative one makes it load spaCy for good,
    so it is replaced after that report, whose reading comes back whole."""
    from settings import settings
    from pipeline.workers import WorkerPool
    monkeypatch.setenv("DTI_READER_MEMORY_MB", "130")
    monkeypatch.setenv("DTI_READER_CORES", "1")
    settings.reload()
    pool = WorkerPool("pipeline.stages:process_file", size=1, max_reports=0)
    files = [ROOT / "samples" / n for n in ("hungson-2022.docx", "huongxuan-2020-narrative.docx",
                                            "hungson-2022.docx")]
    seen, readings = [], []
    try:
        for f in files:
            pool.warm()
            seen.append(pool.pids()[0])
            readings.append(pool.run(f, timeout=300))
    finally:
        pool.close()
        settings.reload()
    assert seen[0] == seen[1] != seen[2], "the process that loaded spaCy was kept (or a small one replaced)"
    assert pool.recycled() == 1
    assert all(r.report.rows for r in readings), "a report was lost in the swap"
