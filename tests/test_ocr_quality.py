"""Reading quality per OCR page (``Page.quality``): the share of the page's
table cells read with confidence, so a badly read page can go to review as a
whole.  Pages of the scan sample read well; the same kind of page degraded
(110 dpi, blurred, grainy) is reported as poorly read.  OCR output is replayed
from tests/ocr_cache (the degraded page is made the same way every time)."""
import os
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

import extractors
from extractors import ocr
from extractors.cli import render as render_text
from extractors.document import Cell, Document, Line, Table
from settings import settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def ocr_cache(monkeypatch):
    monkeypatch.setenv("DTI_OCR_CACHE", str(ROOT / "tests" / "ocr_cache"))
    settings.reload()


def test_scan_pages_report_a_high_quality():
    doc = extractors.read(ROOT / "samples" / "hungson-2022-scan.pdf")
    assert len(doc.pages) == 5
    for p in doc.pages:
        assert p.ocr and p.quality is not None and 0.9 <= p.quality <= 1.0
    # shown by `dti read` and kept through the JSON form
    assert "read with confidence" in render_text(doc)
    back = Document.from_dict(doc.to_dict())
    assert [p.quality for p in back.pages] == [p.quality for p in doc.pages]


def test_word_pages_have_no_quality():
    doc = extractors.read(ROOT / "samples" / "hungyen-2024-criteria.docx")
    assert all(p.quality is None for p in doc.pages)


@pytest.mark.slow
def test_a_badly_read_page_reports_a_low_quality():
    pg = pdfium.PdfDocument(str(ROOT / "samples" / "hungson-2022.pdf"))[1]
    a = np.asarray(pg.render(scale=110 / 72, grayscale=True).to_pil().convert("L")).astype(np.float32)
    a = cv2.GaussianBlur(a, (0, 0), 1.3) + np.random.default_rng(3).normal(0, 18, a.shape)
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    im.info["dpi"] = (110, 110)
    (page,) = ocr.ocr_images([im], options=ocr.OcrOptions(jobs=1, cache_dir=os.environ["DTI_OCR_CACHE"]))
    assert page.quality is not None and page.quality < 0.5


def test_page_quality_counts_cells_with_text_or_unread_ink():
    ok = Cell("20", confidence=0.95)
    weak = Cell("2Ð", confidence=0.4)
    disputed = Cell("645/645", confidence=0.9, disputed=True)
    missed = Cell("", confidence=0.3)
    missed.ocr_missed = True
    empty = Cell("", confidence=1.0)
    t = Table(rows=[[ok, weak], [disputed, missed, empty]], page=1)
    assert ocr.page_quality([t]) == 0.25
    assert ocr.page_quality([Line("a", 1, confidence=0.9), Line("b", 1, confidence=0.3)]) == 0.5
    assert ocr.page_quality([]) is None
