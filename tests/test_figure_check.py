"""A row's own arithmetic as a checksum of the figures a scan's reading gave it, on a criteria
table generated here and scanned (samples/samplegen/variants.scan_criteria: Hưng Yên, figures
drawn per seed, every self-score due by them).  The first reading of one figures cell is made to
say what OCR misreads ("a = 30; b = 32" read "a = 30; b = 37"), the page's pixels right:

- a misread that would accuse the commune (its self-score no longer follows the rule, or the
  counts exceed their whole) is read again, the re-read closes the arithmetic, the row is
  corrected and says so (``corrected-by-checksum``), no flag;
- a misread no arithmetic sees (the points move less than a tenth) is caught by the re-read's
  second opinion: the row goes to review with both readings;
- a re-read that cannot tell: no accusation, the row goes to review with the arithmetic;
- the commune's own inflated self-score, figures confirmed by the re-read: still flagged.
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

import numpy as np
import pytest

import extractors
import matchers
import rulesets
import scoring
from matchers import figure_check
from matchers.checksum import TAG
from pipeline import stages
from scoring.rules import compute_points

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
from samplegen import variants  # noqa: E402

pytestmark = pytest.mark.slow
SEED = 52
ACCUSE = {"claimed-formula-mismatch", "numerator-exceeds-denominator"}


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    pdf, truth = variants.scan_criteria(tmp_path_factory.mktemp("criteria"), SEED)
    return extractors.read(pdf), truth


def _run(doc, checksum: bool):
    report = matchers.match(doc)
    if checksum:
        stages.checksum(doc, report)
    return scoring.score_report(report, rulesets.load(report.ruleset))


def _compute(row, ind):
    return compute_points(ind, row.figures())


def _row(report, code):
    return next(r for r in report.rows if r.indicator == code)


def _flags(report, code):
    return {f.code for f in report.flags if f.indicator == code}


def _plants(scan):
    """(code, planted text, the clean reading's row) for each "a = …; b = …" row and each
    one-digit misread of it (figures drawn by the seed: the rows depend on them only)."""
    doc, truth = scan
    clean = {r.indicator: r for r in _run(copy.deepcopy(doc), False).rows}
    rng = np.random.default_rng(SEED)
    for code, fig in sorted(truth["figures"].items()):
        if not fig.startswith("a = ") or fig.count("=") != 2 or code not in clean:
            continue
        for _ in range(3):
            for plant in variants.figure_misreads(fig, rng)[:1]:
                yield code, plant, clean[code]


def _pick(scan, accuses: bool):
    doc, _truth = scan
    for code, plant, ref in _plants(scan):
        d = copy.deepcopy(doc)
        if variants.plant_figures_read(d, code, plant) is None:
            continue
        before = _run(copy.deepcopy(d), False)
        row = _row(before, code)
        wrong = (row.numerator, row.denominator) != (ref.numerator, ref.denominator)
        if not wrong:
            continue
        if accuses and _flags(before, code) & ACCUSE:
            return d, code, ref, before
        if not accuses and not _flags(before, code):
            return d, code, ref, before
    pytest.fail("no row to plant in")


def test_a_count_misread_that_would_accuse_is_read_again_and_corrected(scan):
    d, code, ref, before = _pick(scan, accuses=True)
    assert _flags(before, code) & ACCUSE            # without the re-read: an accusation
    after = _run(d, True)
    row = _row(after, code)
    assert (row.numerator, row.denominator) == (ref.numerator, ref.denominator)
    note = next(x for x in row.reasons if x.startswith(TAG))
    assert "số liệu đọc lần đầu" in note and "đọc lại ô trên ảnh trang được" in note
    assert not _flags(after, code)                  # neither a flag nor review


def test_a_count_misread_no_sum_sees_gets_a_second_opinion(scan):
    d, code, ref, before = _pick(scan, accuses=False)
    assert code not in {f.indicator for f in before.flags}      # silent before
    after = _run(d, True)
    assert "low-confidence" in _flags(after, code)
    row = _row(after, code)
    assert any("số liệu đọc hai lần khác nhau" in x for x in row.reasons), row.reasons
    assert not _flags(after, code) & ACCUSE


def test_an_undecided_reread_sends_the_accusing_row_to_review_with_the_arithmetic(scan):
    d, code, ref, _before = _pick(scan, accuses=True)
    report = matchers.match(d)
    split = lambda cells, settled: [[("1", 0.9), ("7", 0.9)] for _ in cells]  # noqa: E731
    rs = rulesets.load(report.ruleset)
    figure_check.check(d, report, rs, split, _compute)
    after = scoring.score_report(report, rs)
    assert not _flags(after, code) & ACCUSE
    assert "low-confidence" in _flags(after, code)
    row = _row(after, code)
    assert any("số liệu đọc chưa chắc" in x and ("tự chấm" in x or "tử số" in x) for x in row.reasons), row.reasons


def test_an_inflated_self_score_whose_figures_the_reread_confirms_is_flagged(scan):
    doc, truth = scan
    report = matchers.match(copy.deepcopy(doc))
    row = next(r for r in report.rows if r.numerator is not None and r.denominator
               and r.claimed_points is not None and r.max_points and r.claimed_points + 3 <= r.max_points
               and figure_check._cell(doc, r) is not None)
    row.claimed_points += 3                         # the commune's own inflated claim
    rs = rulesets.load(report.ruleset)
    from extractors.cell_reread import reread_figure_cells
    pages = {p.number: p for p in doc.pages}

    def reread(cells, settled):
        return [[(r.text, r.confidence) for r in rr]
                for rr in reread_figure_cells([(pages[n], b) for n, b in cells], settled)]

    figure_check.check(doc, report, rs, reread, _compute)
    after = scoring.score_report(report, rs)
    assert "claimed-formula-mismatch" in _flags(after, row.indicator)
    assert not any("số liệu đọc chưa chắc" in x for x in _row(after, row.indicator).reasons)


def test_counts_whose_slash_the_reading_lost_are_split_by_the_printed_rate(scan):
    import re
    doc, truth = scan
    code, fig = next((c, f) for c, f in sorted(truth["figures"].items())
                     if re.search(r"\d\.\d{3}/\d", f) and "%" in f)
    d = copy.deepcopy(doc)
    assert variants.plant_figures_read(d, code, fig.replace("/", "", 1)) is not None
    before = _row(_run(copy.deepcopy(d), False), code)
    assert before.numerator is None and before.ratio is not None       # the counts lost, unsaid
    after = _row(_run(d, True), code)
    a, b = (float(x.replace(".", "")) for x in re.search(r"([\d.]+)/([\d.]+)", fig).groups())
    assert (after.numerator, after.denominator) == (a, b)
    assert any(x.startswith(TAG) and "mất dấu “/”" in x for x in after.reasons), after.reasons
