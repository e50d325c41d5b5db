"""Measure copied-between-units on generated units (samplegen/unitreports figures as contract rows,
not read from Word: the reading is measured elsewhere): how many honest pairs are flagged, and
which near-copies (k count rows changed) are still caught.

    .venv/bin/python samples/measure_crosscheck.py [--units 300] [--ruleset hoabinh-2023-xa]
"""
from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import rulesets  # noqa: E402
from samplegen import unitreports as u  # noqa: E402
from scoring.crosscheck import copies  # noqa: E402


def rows_of(rs, figs: u.Figures) -> list[dict]:
    out = []
    for i, ind in enumerate(rs.scorable()):
        f = figs.rows[ind.code]
        row = {"indicator": ind.code, "label": ind.name, "position": i, "max_points": f["max"],
               "claimed_points": f["claimed"], "evidence": f"{ind.name} | {f['evidence']}"}
        if "a" in f:
            row.update(numerator=f["a"], denominator=f["b"])
        else:
            row["answer"] = {"Có": "yes", "Không": "no"}.get(f["answer"], f["answer"])
        out.append(row)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=300)
    ap.add_argument("--ruleset", default="hoabinh-2023-xa")
    a = ap.parse_args(argv)
    rs = rulesets.load(a.ruleset)
    template = copies.template_shingles([i.name for i in rs.indicators])
    honest = [rows_of(rs, u.figures(rs, 1000 + s)) for s in range(a.units)]
    texts = [copies.text_shingles(r, template) for r in honest]
    flagged = sum(copies.compare(x, y, texts[i], texts[j]).copied
                  for (i, x), (j, y) in combinations(enumerate(honest), 2))
    pairs = a.units * (a.units - 1) // 2
    print(f"{a.ruleset}: honest pairs flagged {flagged} of {pairs}")
    counted = sum(1 for r in honest[0] if r.get("numerator") is not None)
    for k in (0, 1, 3, 5, 8, 12, 16, counted):
        caught = 0
        for s in range(50):
            base = u.figures(rs, 5000 + s)
            near = u.near_copy(base, 9000 + s, changes=k)
            ra, rb = rows_of(rs, base), rows_of(rs, near)
            caught += copies.compare(ra, rb, copies.text_shingles(ra, template), copies.text_shingles(rb, template)).copied
        print(f"near-copies with {k:2d} of {counted} count rows changed: caught {caught}/50")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
