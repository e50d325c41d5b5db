"""The report's arithmetic as a checksum of a scan's reading, on scans generated here
(samples/samplegen/variants.scan_table: a Hưng Yên score table, pillar subtotals and a total,
every sum right, printed and scanned; figures drawn per seed).

- one self-score misread by a digit ('16,67' read '16,87', the pixels right): the cell is read
  again from the page image, the re-read closes the pillar's sum, the row is corrected and says
  so (``corrected-by-checksum``), no flag is raised;
- a self-score left unread: the same;
- a re-read that is not confident: no accusation, the row goes to review with the arithmetic;
- a commune's own wrong subtotal (re-reads confirm the cells): still flagged.
"""
from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest

import extractors
import matchers
import rulesets
import scoring
from pipeline import stages
from matchers.checksum import TAG, recheck

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
from samplegen import variants  # noqa: E402

pytestmark = pytest.mark.slow
SUMS = {"subtotal-mismatch", "total-mismatch"}
SEED = 42


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    pdf, truth = variants.scan_table(tmp_path_factory.mktemp("scan"), SEED)
    return pdf, extractors.read(pdf), truth


def _planted(scan, text_of):
    """The reading with a planted first read: a row of pillar 3 or 7 whose printed self-score
    has a digit to misread within its maximum (the pick depends on the seed's figures only)."""
    _pdf, doc, truth = scan
    hy = rulesets.load("hungyen-2024-xa")
    for code, v in truth["claimed"].items():
        printed = variants.vn_text(v)
        wrong = variants.misread_of(printed, hy.indicator(code).max_points)
        if code.split(".")[0] in ("3", "7") and wrong and v > 0:
            d = copy.deepcopy(doc)
            if variants.plant_first_read(d, code, text_of(printed, wrong)) is not None:
                return d, code, v, printed
    pytest.fail("no row to plant in")


def _run(doc, checksum: bool, reread=None):
    report = matchers.match(doc)
    if checksum:
        stages.checksum(doc, report) if reread is None else recheck(doc, report, rulesets.load(report.ruleset), reread)
    return scoring.score_report(report, rulesets.load(report.ruleset))


def _row(report, code):
    return next(r for r in report.rows if r.indicator == code)


@pytest.mark.parametrize("plant", ["misread", "unread"])
def test_a_misread_or_unread_self_score_is_read_again_and_closes_the_sum(scan, plant):
    doc, code, want, printed = _planted(scan, lambda p, w: w if plant == "misread" else "")
    before = _run(copy.deepcopy(doc), checksum=False)
    pillar = code.split(".")[0]
    queued = {f.indicator for f in before.flags if f.code == "low-confidence"}
    # without the re-read: an accusation, or the row in review: never the right figure silently
    assert ("subtotal-mismatch", pillar) in {(f.code, f.indicator) for f in before.flags} or code in queued
    after = _run(doc, checksum=True)
    row = _row(after, code)
    assert row.claimed_points == pytest.approx(want, abs=0.005)
    note = next(x for x in row.reasons if x.startswith(TAG))
    assert f"khớp tổng mục {pillar}" in note
    assert not {f.code for f in after.flags} & SUMS
    assert code not in {f.indicator for f in after.flags if f.code == "low-confidence"}


def test_an_unsure_reread_sends_the_row_to_review_with_the_arithmetic(scan):
    doc, code, want, printed = _planted(scan, lambda p, w: w)
    # the ways of the re-read disagree among themselves: nothing stands out
    split = lambda page, boxes: [[("1", 0.9), ("7", 0.9), ("4", 0.9)] for _ in boxes]  # noqa: E731
    after = _run(doc, checksum=True, reread=split)
    assert not {f.code for f in after.flags} & SUMS
    row = _row(after, code)
    assert not any(x.startswith(TAG) for x in row.reasons)
    assert code in {f.indicator for f in after.flags if f.code == "low-confidence"}     # queued
    arithmetic = f"nếu là {variants.vn_text(want)} thì khớp tổng mục {code.split('.')[0]}"
    assert any(arithmetic in x for x in row.reasons), row.reasons


def test_a_wrong_printed_subtotal_confirmed_by_the_reread_is_still_flagged(scan):
    _pdf, doc, truth = scan
    report = matchers.match(copy.deepcopy(doc))
    report.stated_subtotals["3"] = report.stated_subtotals["3"] + 5     # the commune's own slip
    stages.checksum(doc, report)
    report = scoring.score_report(report, rulesets.load(report.ruleset))
    assert ("subtotal-mismatch", "3") in {(f.code, f.indicator) for f in report.flags}
    assert not any(x.startswith(TAG) for r in report.rows for x in r.reasons)


def test_the_correction_shows_in_dti_extract_json(scan, monkeypatch, capsys):
    from commands.cli import main
    pdf, doc, _truth = scan
    planted, code, want, _printed = _planted(scan, lambda p, w: w)
    monkeypatch.setattr(extractors, "read", lambda path, options=None: copy.deepcopy(planted))
    assert main(["extract", str(pdf), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    row = next(r for r in out["rows"] if r["indicator"] == code)
    assert row["claimed_points"] == pytest.approx(want, abs=0.005)
    assert any(x.startswith(TAG) for x in row["reasons"])
    assert not {f["code"] for f in out["flags"]} & SUMS


# ---- missing-indicator only where the row's place on the page was read surely

def _lose_row(doc, code: str, garble: bool):
    """The reading without row ``code``: gone from the table (the row is truly not printed), or
    left as the scan gave it, unreadable (ink read as nothing sure, its code lost)."""
    for t in doc.tables():
        for k, row in enumerate(t.rows):
            if row and row[0].text.strip().replace(",", ".").rstrip(".") == code:
                if not garble:
                    del t.rows[k]
                    return
                for c in row:
                    c.text, c.confidence = ("~ ,.' ~~ ,;" if c.col == 1 else ""), 0.3
                    c.ocr_missed = True
                return
    pytest.fail(f"row {code} not in the reading")


@pytest.mark.parametrize("garble", [False, True])
def test_missing_indicator_only_where_the_page_was_read_surely(scan, garble):
    _pdf, doc, _truth = scan
    d = copy.deepcopy(doc)
    _lose_row(d, "4.3", garble)
    report = _run(d, checksum=False)
    flags = {(f.code, f.indicator) for f in report.flags}
    assert (("missing-indicator", "4.3") in flags) is (not garble)
    if garble:
        why = next(f.message for f in report.flags if f.code == "low-confidence" and f.indicator == "4.3")
        assert "không tìm thấy dòng 4.3" in why and "đọc kém" in why


# ---- a speck read as a symbol inside "100% x 30" (class: a rate unread on a scan)

def test_a_speck_inside_rate_times_max_does_not_lose_the_rate():
    sys.path.insert(0, str(ROOT / "tests"))
    from reviewkit import replayed_ocr
    with replayed_ocr():
        doc = extractors.read(ROOT / "samples" / "hungson-2022-scan.pdf")
    planted = None
    for t in doc.tables():
        for row in t.rows:
            for c in row:
                if planted is None and re.fullmatch(r"\d+([.,]\d+)?% x \d+", c.text.strip()):
                    c.text = c.text.replace(" x ", " x * ")
                    planted = (row[0].text.strip(), c.text)
    assert planted, "no 'rate x max' cell in the reading"
    report = matchers.match(doc)
    report = scoring.score_report(report, rulesets.load(report.ruleset))
    row = next(r for r in report.rows if r.printed_code and r.printed_code.strip(" .") == planted[0].strip(" ."))
    assert row.ratio is not None, planted
    assert ("missing-figures", row.indicator) not in {(f.code, f.indicator) for f in report.flags}
