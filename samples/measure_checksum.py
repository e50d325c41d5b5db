"""Measure the scan families that check a reading by the report's own sums (variants.scan_table):
a clean scan, one self-score misread by a digit, one self-score unread, a row whose printed code
an ink blot covers.  Each scan is read (OCR) once; the first-read plants are made on the reading
(the page's pixels unchanged), then matched and scored with and without the checksum stage.

    .venv/bin/python samples/measure_checksum.py [--seeds 41 42 43] [--out /tmp/m]

Prints per family and stage: false score flags, planted values got wrong and not sent to review
(silent), rows sent to review, and rows corrected by the checksum.
"""
from __future__ import annotations

import argparse
import copy
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import extractors  # noqa: E402
import matchers  # noqa: E402
import rulesets  # noqa: E402
import scoring  # noqa: E402
from pipeline import stages  # noqa: E402
from samplegen import variants  # noqa: E402

SCORE = {"claimed-exceeds-max", "claimed-formula-mismatch", "subtotal-mismatch", "total-mismatch",
         "numerator-exceeds-denominator", "max-differs-from-ruleset", "missing-figures", "missing-indicator"}


def judge(doc, truth: dict, checksum: bool) -> dict:
    report = matchers.match(doc)
    corrected = stages.checksum(doc, report) if checksum else 0
    report = scoring.score_report(report, rulesets.load(report.ruleset))
    queued = {f.indicator for f in report.flags if f.code == "low-confidence"}
    partial = any(f.code == "partially-read" for f in report.flags)
    rows = {r.indicator: r for r in report.rows if r.indicator}
    silent = sum(1 for code, want in truth["claimed"].items()
                 if not partial and code not in queued and (code not in rows or rows[code].claimed_points is None
                                                            or abs(rows[code].claimed_points - want) > 0.01))
    false = sorted((f.code, f.indicator) for f in report.flags if f.code in SCORE)
    review = len(report.rows) if partial else len(queued & set(rows))
    return {"false_flags": false, "silent": silent, "review": review, "rows": len(rows), "corrected": corrected}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[41, 42, 43])
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args(argv)
    out = a.out or Path(tempfile.mkdtemp(prefix="measure-checksum-"))
    hy = rulesets.load("hungyen-2024-xa")
    for seed in a.seeds:
        pdf, truth = variants.scan_table(out, seed)
        doc = extractors.read(pdf)
        # the row to plant in: drawn by the seed among those with a digit to misread
        fit = [c for c, v in sorted(truth["claimed"].items())
               if v > 0 and variants.misread_of(variants.vn_text(v), hy.indicator(c).max_points)]
        code = fit[seed % len(fit)]
        printed = variants.vn_text(truth["claimed"][code])
        wrong = variants.misread_of(printed, hy.indicator(code).max_points)
        for family, plant in (("clean", None), ("misread", wrong), ("unread", "")):
            d = copy.deepcopy(doc)
            if plant is not None and variants.plant_first_read(d, code, plant) is None:
                print(f"seed {seed} {family}: row {code} not found in the reading")
                continue
            for stage in (False, True):
                r = judge(copy.deepcopy(d), truth, stage)
                print(f"seed {seed} {family:8s} {code} {printed}->{plant!r:8s} {'after ' if stage else 'before'} {r}")
        pdf, truth = variants.scan_table(out, seed, smudge=1)
        doc = extractors.read(pdf)
        for stage in (False, True):
            r = judge(copy.deepcopy(doc), truth, stage)
            print(f"seed {seed} smudged  {truth['smudged']} {'after ' if stage else 'before'} {r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
