"""Pages scanned or photographed out of order are read in the order their indicator codes run
(``extractors.pdf_join.page_order``), so a row the page break split finds its other half and
no false ``missing-indicator`` is raised.  A scan of the Hùng Sơn sample fed to the scanner
last page first (OCR replayed from tests/ocr_cache)."""
from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import numpy as np
import pytest

import extractors
from extractors.pdf_join import page_order
from pipeline.stages import process_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
from samplegen import degrade, render  # noqa: E402


@pytest.fixture(scope="module")
def reversed_scan(tmp_path_factory):
    old = os.environ.get("DTI_OCR_CACHE")
    os.environ["DTI_OCR_CACHE"] = str(ROOT / "tests" / "ocr_cache")
    try:
        rng = np.random.default_rng(19)
        pages = render.rasterise(ROOT / "samples" / "hungson-2022.pdf", 200, grayscale=True)
        scans = [degrade.scan_page(im, rng, degrade.ScanNoise(dpi=200)) for im in pages][::-1]
        pdf = degrade.images_to_pdf(scans, tmp_path_factory.mktemp("order") / "hungson-reversed.pdf", dpi=200,
                                    quality=70, title="scan")
        yield pdf, extractors.read(pdf), process_file(pdf)
    finally:
        if old is None:
            os.environ.pop("DTI_OCR_CACHE", None)
        else:
            os.environ["DTI_OCR_CACHE"] = old


def test_a_scan_fed_last_page_first_is_read_in_its_codes_order(reversed_scan):
    _pdf, doc, report = reversed_scan
    assert [p.number for p in doc.pages] == [5, 4, 3, 2, 1]
    assert any("không theo thứ tự" in w and "5, 4, 3, 2, 1" in w for w in doc.warnings)
    flags = {(f.code, f.indicator) for f in report.flags}
    # the row split by the page break (its code on one page, the end of its name on the next)
    assert "5.16.7" in {r.indicator for r in report.rows}
    assert ("missing-indicator", "5.16.7") not in flags
    assert not [f for f in report.flags if f.code in ("missing-indicator", "duplicate-indicator")]
    # the source of each row is still the page of the file it stands on
    assert {r.source.page for r in report.rows if r.indicator and r.indicator.startswith("1.")} == {5}


def test_pages_in_order_are_left_and_shuffled_ones_restored(reversed_scan):
    _pdf, doc, _report = reversed_scan
    ordered = list(doc.pages)      # as read: put back in order
    assert page_order(ordered) is None
    shuffled = list(ordered)
    random.Random(3).shuffle(shuffled)
    assert page_order(shuffled) == [5, 4, 3, 2, 1]
    # two pages whose codes do not follow one another (the same page twice): no order is proven
    assert page_order([ordered[2], ordered[1], ordered[1]]) is None
