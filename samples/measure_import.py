"""Measure `dti rulesets import` on decisions made from the seven built-in rulesets.

    .venv/bin/python samples/measure_import.py [--out DIR] [--scan NAME ...] [--no-pdf]

For each decision of ``samplegen.decision.CORPUS`` (Word, the same through
LibreOffice as a text PDF, and scanned for the names given with ``--scan``) and
for the Hòa Bình annex in the decision's own words (``samplegen.hoabinh_decision``),
runs ``dti rulesets import`` and compares every draft with the hand-written
ruleset through ``dti rulesets diff``'s figures.  Prints a Markdown table (the
README's) and writes each diff beside the drafts.

    .venv/bin/python samples/measure_import.py --layouts [--held-out] [--scan LAYOUT ...]

measures the decisions of ``samplegen.decision_layouts`` (the layouts provinces publish
beyond the two above; ``--held-out`` the ones the importer is never tuned on; ``--new`` the
layouts added last, with ``--weak`` their scans faint, crooked and in low JPEG quality).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from commands.cli import main  # noqa: E402
from rulesets import load, load_file  # noqa: E402
from decision_import.diff import report  # noqa: E402
from samples.samplegen import decision_layouts, degrade, hoabinh_decision, render, scan_weak  # noqa: E402
from samples.samplegen.decision import CORPUS, write_decision  # noqa: E402

SCAN_SEED = 2023_1153


def scan(pdf: Path, target: Path) -> Path:
    rng = np.random.default_rng(SCAN_SEED)
    cfg = degrade.ScanNoise()
    pages = [degrade.scan_page(p, rng, cfg) for p in render.rasterise(pdf, cfg.dpi, grayscale=True)]
    return degrade.images_to_pdf(pages, target, dpi=cfg.dpi, quality=cfg.jpeg_quality, title=target.stem)


def run_one(decision: Path, ids: list[str], out: Path) -> list[list[str]]:
    drafts = out / decision.name.replace(".", "-")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        rc = main(["rulesets", "import", str(decision), "--out", str(drafts)])
    if rc != 0:
        return [[decision.name, rid, "import failed: " + buf.getvalue().strip()[:80], "", "", "", ""] for rid in ids]
    rows = []
    for rid in ids:
        path = drafts / f"{rid}.yaml"
        prov, _, level = rid.partition("-")[0], None, rid.rsplit("-", 1)[-1]
        alike = sorted(drafts.glob(f"{prov}-*-{level}.yaml"))
        if not path.is_file() and len(alike) == 1:
            path = alike[0]     # the year unread (a weak scan): the importer said so; the indicators count
        if not path.is_file():
            rows.append([decision.name, rid, "no draft of this id", "", "", "", ""])
            continue
        text, d = report(load(rid), load_file(path))
        (drafts / f"{rid}.diff.txt").write_text(text + "\n", encoding="utf-8")
        f = d.figures()
        rows.append([decision.name, rid, f"{d.codes_same}/{d.codes_old}" + (f" +{d.codes_extra}" if d.codes_extra else ""),
                     f"{f['maxima_pct']:g} %", f"{d.rules_same}/{d.rules_old} ({f['kinds_pct']:g} %)",
                     str(d.rules_manual), str(len(d.rules_wrong)) + (f" ({', '.join(d.rules_wrong)})" if d.rules_wrong else "")])
    return rows


def layouts(out: Path, which: list, scans: list[str], no_pdf: bool, weak: bool = False) -> list[tuple[Path, list[str]]]:
    """The decisions of ``samplegen.decision_layouts`` (Word, text PDF, scans of the names given)."""
    docs = [(decision_layouts.write(load(rid), out / f"{lay.name}.docx", lay), rid) for lay, rid in which]
    files = [(p, [rid]) for p, rid in docs]
    if not no_pdf:
        pdfs = render.to_pdf([p for p, _ in docs], out / "pdf")
        files += [(p, [rid]) for p, (_, rid) in zip(pdfs, docs)]
        files += [(scan_weak.weak_scan(p, out / f"{p.stem}-weak-scan.pdf", SCAN_SEED) if weak else
                   scan(p, out / f"{p.stem}-scan.pdf"), [rid]) for p, (_, rid) in zip(pdfs, docs) if p.stem in scans]
    return files


def main_(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path)
    ap.add_argument("--scan", nargs="*", default=[], help="decisions of CORPUS to scan too (slow: OCR)")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--layouts", action="store_true",
                    help="the decisions of samplegen.decision_layouts instead (--scan names layouts)")
    ap.add_argument("--held-out", action="store_true", help="with --layouts: the held-out layouts only")
    ap.add_argument("--new", action="store_true", help="with --layouts: the layouts added last (decision_layouts.NEW)")
    ap.add_argument("--weak", action="store_true", help="with --layouts: scans faint, crooked, low JPEG quality")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="dti-import-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.layouts:
        which = decision_layouts.NEW if args.new else decision_layouts.HELD_OUT if args.held_out \
            else decision_layouts.LAYOUTS
        return _print([r for f, ids in layouts(out, which, args.scan, args.no_pdf, args.weak)
                       for r in run_one(f, ids, out)], out)
    docs = {name: write_decision([load(r) for r in ids], out / f"{name}.docx", layout=layout, points=pts, number=num)
            for name, ids, layout, pts, num in CORPUS}
    ids_of = {name: ids for name, ids, *_ in CORPUS}
    files = [(p, ids_of[n]) for n, p in docs.items()]
    # the same decisions in a second, independent wording (samplegen.wording_other)
    others = [(write_decision([load(r) for r in ids], out / f"{name}-other-wording.docx", layout=layout, points=pts,
                              number=num, wording="other"), ids) for name, ids, layout, pts, num in CORPUS]
    if not args.no_pdf:
        pdfs = render.to_pdf(list(docs.values()), out / "pdf")
        files += [(p, ids_of[n]) for n, p in zip(docs, pdfs)]
        for n, p in zip(docs, pdfs):
            if n in args.scan:
                files.append((scan(p, out / f"{n}-scan.pdf"), ids_of[n]))
    files += others
    files.append((hoabinh_decision.build(out / "hoabinh-1153-phuluc4-own-words.docx"), ["hoabinh-2023-xa"]))
    return _print([r for f, ids in files for r in run_one(f, ids, out)], out)


def _print(rows: list[list[str]], out: Path) -> int:
    head = ["decision file", "ruleset", "codes", "maxima", "rules the same", "manual", "wrong"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\n(drafts and diffs in {out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
