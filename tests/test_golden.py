"""Golden results per sample: what the pipeline reads from each file of samples/.

Each sample's result is projected to the fields a reviewer checks (rows with
their figures and points, flags, totals, unit) and compared with
tests/golden/<sample>.json.  After a deliberate change, regenerate with
``pytest tests/test_golden.py --update-golden`` and review ``git diff tests/golden``.

OCR output is cached in tests/ocr_cache (keyed by the page image, tesseract's
arguments and version), so the scans replay in seconds; a change to image
preparation misses the cache and runs tesseract for real.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.stages import process_file
from reviewkit import replayed_ocr

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir()
                 if p.suffix.lower() in (".docx", ".pdf", ".jpg", ".png"))


def project(report) -> dict:
    d = report.to_dict()
    return {
        "format": d["format"], "layout": d["layout"], "ruleset": d["ruleset"], "unit": d["unit"],
        "totals": d["totals"],
        "rows": [{k: r[k] for k in ("indicator", "claimed_points", "max_points", "computed_points", "ratio",
                                    "numerator", "denominator", "answer")} | {"label": r["label"][:70]}
                 for r in d["rows"]],
        "flags": sorted([f["code"], f["indicator"] or ""] for f in d["flags"]),
        "units": [{"name": u["name"], "total": u["total"], "rank": u["rank"]} for u in d.get("units") or []],
    }


@pytest.fixture(scope="module", autouse=True)
def ocr_cache():
    with replayed_ocr():
        yield


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_matches_golden(name, request):
    got = project(process_file(ROOT / "samples" / name))
    path = GOLDEN / f"{name}.json"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.skip(f"rewrote {path.name}: review it with git diff")
    assert path.exists(), f"no golden file for {name}: run pytest --update-golden and review the diff"
    want = json.loads(path.read_text(encoding="utf-8"))
    for key in ("format", "layout", "ruleset", "unit", "totals", "units"):
        assert got[key] == want[key], key
    assert [r["indicator"] for r in got["rows"]] == [r["indicator"] for r in want["rows"]]
    assert got["rows"] == want["rows"]
    assert got["flags"] == want["flags"]
