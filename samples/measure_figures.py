"""Measure scans of criteria tables whose figures cells OCR misread without a sign of doubt
(variants.scan_criteria + variants.figure_misreads): per seed the scan is read (OCR) once; each
planted first read (one digit of a count confused, a separator lost; the page's pixels right) is
matched and scored with and without the checksum stage, against the clean reading.

    .venv/bin/python samples/measure_figures.py [--seeds 51 52 53] [--rows 8] [--out /tmp/m]

Prints per seed and stage: plants, false score flags, wrong values not sent to review (silent),
planted rows sent to review, rows corrected by the checksum; and the totals.
"""
from __future__ import annotations

import argparse
import copy
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import extractors  # noqa: E402
import matchers  # noqa: E402
import rulesets  # noqa: E402
import scoring  # noqa: E402
from matchers.checksum import TAG  # noqa: E402
from pipeline import stages  # noqa: E402
from samplegen import variants  # noqa: E402

SCORE = {"claimed-exceeds-max", "claimed-formula-mismatch", "subtotal-mismatch", "total-mismatch",
         "numerator-exceeds-denominator", "max-differs-from-ruleset", "missing-figures", "missing-indicator"}
FIELDS = ("ratio", "numerator", "denominator", "count", "claimed_points", "computed_points")


def run(doc, checksum: bool):
    report = matchers.match(doc)
    if checksum:
        stages.checksum(doc, report)
    return scoring.score_report(report, rulesets.load(report.ruleset))


def _vals(row) -> dict:
    return {f: getattr(row, f, None) for f in FIELDS}


def _differs(a, b) -> bool:
    return (a is None) != (b is None) or (a is not None and abs(a - b) > 0.005)


def judge(report, ref, code: str, claimed: float) -> dict:
    queued = {f.indicator for f in report.flags if f.code == "low-confidence"}
    partial = any(f.code == "partially-read" for f in report.flags)
    rows = {r.indicator: r for r in report.rows if r.indicator}
    refrows = {r.indicator: r for r in ref.rows if r.indicator}
    reff = {(f.code, f.indicator) for f in ref.flags if f.code in SCORE}
    false = sorted({(f.code, f.indicator) for f in report.flags if f.code in SCORE} - reff)
    row = rows.get(code)
    # the self-score against the truth (the clean reading may itself be wrong), the figures against
    # the clean reading (what the plant changed)
    want = {**_vals(refrows[code]), "claimed_points": claimed}
    wrong = [f for f in FIELDS if row is None or _differs(_vals(row)[f], want[f])]
    silent = len(wrong) if wrong and not partial and code not in queued else 0
    fixed = row is not None and any(x.startswith(TAG) for x in row.reasons)
    return {"false": false, "silent": silent, "wrong": wrong, "queued": code in queued or partial,
            "fixed": fixed, "review": len(queued & set(rows))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[51, 52, 53])
    ap.add_argument("--rows", type=int, default=8, help="rows planted per seed")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args(argv)
    out = a.out or Path(tempfile.mkdtemp(prefix="measure-figures-"))
    tot = {s: {"plants": 0, "false": 0, "silent": 0, "queued": 0, "fixed": 0, "wrongly_fixed": 0}
           for s in ("before", "after")}
    for seed in a.seeds:
        pdf, truth = variants.scan_criteria(out, seed)
        doc = extractors.read(pdf)
        rng = np.random.default_rng(seed)
        ref = {s: run(copy.deepcopy(doc), s) for s in (False, True)}
        for s in (False, True):
            fl = sorted((f.code, f.indicator) for f in ref[s].flags if f.code in SCORE)
            rv = sum(1 for f in ref[s].flags if f.code == "low-confidence")
            print(f"seed {seed} clean {'after ' if s else 'before'} flags={fl} review={rv}/{len(ref[s].rows)}")
        numeric = [c for c, f in sorted(truth["figures"].items()) if any(ch.isdigit() for ch in f)]
        for code in rng.permutation(numeric)[: a.rows]:
            for plant in variants.figure_misreads(truth["figures"][code], rng):
                d = copy.deepcopy(doc)
                if variants.plant_figures_read(d, code, plant) is None:
                    print(f"seed {seed}: row {code} not found in the reading")
                    continue
                for s in (False, True):
                    stage = "after" if s else "before"
                    r = judge(run(copy.deepcopy(d), s), ref[False], code, truth["claimed"][code])
                    t = tot[stage]
                    t["plants"] += 1
                    t["false"] += len(r["false"])
                    t["silent"] += r["silent"]
                    t["queued"] += r["queued"]
                    t["fixed"] += r["fixed"] and not r["wrong"]
                    t["wrongly_fixed"] += r["fixed"] and bool(r["wrong"])
                    print(f"seed {seed} {code} {truth['figures'][code]!r} -> {plant!r} {stage:6s} "
                          f"false={r['false']} silent={r['silent']} wrong={r['wrong']} queued={r['queued']} "
                          f"fixed={r['fixed']}")
    for stage, t in tot.items():
        print(f"TOTAL {stage}: {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
