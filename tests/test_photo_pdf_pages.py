"""Photo PDFs page by page (issue 19): the sheet found under a hand's shadow on any
background, and a photographed continuation page without the table's header joined to
the previous page's table by where its columns stand across the table.

The photos are made by the sample generator (samples/samplegen/degrade.py) from a page
of samples/hungson-2022.pdf; the same seed without the shadow gives the same sheet on
the same desk, so the sheet found without a shadow is the reference."""
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from extractors import imageprep, ocr
from extractors.document import Cell, Line, Page, Table
from extractors.pdf_join import join_ocr_continuations

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))
from samplegen import degrade  # noqa: E402

PDF = ROOT / "samples" / "hungson-2022.pdf"


@pytest.fixture(scope="module")
def page_image():
    # a small render: the sheet's outline is what is tested, not the text
    return pdfium.PdfDocument(str(PDF))[2].render(scale=110 / 72).to_pil().convert("RGB")


SHADOWS = [  # (shape, desk colour, pattern, seed)
    ("band", (70, 110, 80), "plain", 31),
    ("band", (95, 100, 110), "plain", 32),
    ("wedge", (72, 46, 28), "wood", 33),
    ("hand", (160, 92, 64), "plain", 34),
    ("hand", (45, 65, 125), "cloth", 35),
    ("wedge", (130, 45, 55), "cloth", 36),
]


@pytest.mark.parametrize("shape,desk,pattern,seed", SHADOWS)
def test_the_sheet_is_found_whole_under_a_hands_shadow(page_image, shape, desk, pattern, seed):
    cfg = degrade.PhotoNoise(canvas=(1000, 1400), jitter=40, desk=desk, desk_pattern=pattern, vignette=0.25,
                             tint=(1.0, 0.95, 0.84), margin=0.6, band_shadow=0.5, band_soft=20.0,
                             shadow_shape=shape)
    lit = degrade.phone_photo(page_image, np.random.default_rng(seed), degrade.PhotoNoise(
        **{**cfg.__dict__, "band_shadow": 0.0}))
    shaded = degrade.phone_photo(page_image, np.random.default_rng(seed), cfg)
    ref = imageprep.flatten_page(imageprep.to_gray(lit))
    got = imageprep.flatten_page(imageprep.to_gray(shaded))
    assert ref is not None
    # the whole sheet, not the part on one side of the shadow's edge
    assert got is not None
    assert abs(got.shape[0] - ref.shape[0]) <= 0.02 * ref.shape[0], (got.shape, ref.shape)
    assert abs(got.shape[1] - ref.shape[1]) <= 0.02 * ref.shape[1], (got.shape, ref.shape)


def test_a_flat_scan_has_no_sheet_to_cut_out():
    # a page filling the picture (a flatbed scan): no sheet edge, nothing cut
    g = np.full((1400, 1000), 238, np.uint8)
    g[200:1200:40, 100:900] = 30
    assert imageprep.flatten_page(g) is None


# ---- continuation pages without header ----------------------------------------

def _table(page: int, rows: list[list[str]], x0: float, scale: float, y0: float = 80.0) -> Table:
    """A table as OCR gives it: cells with their bboxes in the page's own points."""
    widths = [30, 200, 90, 50, 50]
    out = []
    for i, texts in enumerate(rows):
        x, row = x0, []
        for k, (t, w) in enumerate(zip(texts, widths)):
            y = y0 + i * 20 * scale
            row.append(Cell(t, (x, y, x + w * scale, y + 20 * scale), 0.9, col=k, page=page))
            x += w * scale
        out.append(row)
    right = x0 + sum(widths) * scale
    return Table(rows=out, page=page, bbox=(x0, y0, right, y0 + len(rows) * 20 * scale), pages=[page])


HEADER = ["STT", "Tiêu chí", "Các xác định", "Điểm", "Điểm tối đa"]


def _pages(second_rows: list[list[str]], scale: float = 1.13, x0: float = 61.0) -> list[Page]:
    a = _table(1, [HEADER, ["1.1", "Ban chỉ đạo", "Có", "10", "10"], ["1.2", "Kế hoạch", "Có", "10", "10"]],
               48.0, 1.0)
    b = _table(2, second_rows, x0, scale, y0=40.0)
    return [Page(1, 595, 842, [Line("BÁO CÁO", 1, (200, 20, 400, 40)), a], ocr=True),
            Page(2, 610, 860, [b, Line("2", 2, (300, 820, 310, 830))], ocr=True)]


def test_a_photographed_continuation_page_without_header_joins_the_table():
    # the next photo: its own scale and offset, no header row
    pages = _pages([["2.1", "Máy tính", "100%", "20", "20"], ["2.2", "Mạng nội bộ", "Có", "20", "20"]])
    join_ocr_continuations(pages)
    (table,) = [b for p in pages for b in p.blocks if isinstance(b, Table)]
    assert [r[0].text for r in table.rows] == ["STT", "1.1", "1.2", "2.1", "2.2"]
    assert table.pages == [1, 2]
    assert [c.page for c in table.rows[-1]] == [2] * 5       # the rows keep their own page


def test_a_continuation_page_with_its_own_header_is_left_as_read():
    # an OCR'd header repeated on the new page (misread a little): read as before
    pages = _pages([["STT", "Tiêu chi", "Các xác đinh", "Điểm", "Điểm tối da"],
                    ["2.1", "Máy tính", "100%", "20", "20"]])
    join_ocr_continuations(pages)
    assert sum(isinstance(b, Table) for p in pages for b in p.blocks) == 2


def test_a_table_with_other_columns_is_not_joined():
    pages = _pages([["2.1", "Máy tính", "100%", "20", "20"]])
    t = pages[1].blocks[0]
    for r in t.rows:            # the label column twice as wide: another table
        r[1].bbox = (r[1].bbox[0], r[1].bbox[1], r[1].bbox[2] + 200, r[1].bbox[3])
        for c in r[2:]:
            c.bbox = (c.bbox[0] + 200, c.bbox[1], c.bbox[2] + 200, c.bbox[3])
    join_ocr_continuations(pages)
    assert sum(isinstance(b, Table) for p in pages for b in p.blocks) == 2


def test_text_pages_are_not_joined_by_the_ocr_rule():
    pages = _pages([["2.1", "Máy tính", "100%", "20", "20"]])
    for p in pages:
        p.ocr = False
    join_ocr_continuations(pages)
    assert sum(isinstance(b, Table) for p in pages for b in p.blocks) == 2


# ---- end to end: a photo PDF with shadows and a header-less continuation page -----

@pytest.mark.slow
def test_a_photo_pdf_with_shadows_and_a_headerless_continuation_reads_every_row(tmp_path):
    """Phone photos of two table pages of samples/hungson-2022.pdf in one PDF: a wedge
    of shadow across each sheet on a wooden desk, and the second page's table going on
    without its header row.  Every indicator of those pages is read with the points it
    claims and its maximum, as from the born-digital PDF, and no score flag is raised
    that the born-digital PDF does not raise."""
    from samplegen import photo_variants, render
    from pipeline.stages import process_file

    pages = [1, 2]
    imgs = render.rasterise(PDF, 240, pages=pages)
    imgs[1] = photo_variants._drop_header(imgs[1], PDF, pages[1], 240)
    cfg = degrade.PhotoNoise(**{**photo_variants.WOOD_WEDGE.__dict__, "desk": (88, 58, 36)})
    rng = np.random.default_rng(1919)
    photos = [degrade.phone_photo(im, rng, cfg) for im in imgs]
    pdf = degrade.images_to_pdf(photos, tmp_path / "photos.pdf", dpi=200, quality=80, title="photos")

    truth = photo_variants._truth(PDF, pages)
    got = process_file(pdf).to_dict()
    want = {r["indicator"]: r for r in truth["rows"] if r["indicator"]}
    have = {r["indicator"]: r for r in got["rows"] if r["indicator"]}
    assert len(want) >= 25
    tp = len(set(want) & set(have))
    f1 = 2 * tp / (len(want) + len(have))
    assert f1 >= 0.97, sorted(set(want) ^ set(have))
    # the continuation page's columns are the first page's: claimed and maximum in place
    same = [k for k in set(want) & set(have)
            if have[k]["claimed_points"] == want[k]["claimed_points"] and have[k]["max_points"] == want[k]["max_points"]]
    assert len(same) >= 0.97 * len(want), sorted(set(want) - set(same))
    scored = {"subtotal-mismatch", "total-mismatch", "claimed-formula-mismatch", "claimed-exceeds-max"}
    allowed = {(f["indicator"], f["code"]) for f in truth["flags"] + truth["optional_flags"]}
    false = {(f["indicator"], f["code"]) for f in got["flags"] if f["code"] in scored} - allowed
    assert not false


@pytest.mark.parametrize("name,read", [
    ("photo-pages-hungson.pdf", lambda p: ocr.ocr_pdf_pages(p, [1])),
    ("photo-hungyen.jpg", ocr.ocr_image_file),
])
def test_a_photographed_page_has_its_sheet_found_once(monkeypatch, name, read):
    # issue 23: a photo PDF's page was told a photo by its sheet, then the sheet
    # was looked for again when the page was made a photo source (a tenth of its time)
    from extractors import sheet
    calls = []
    find = sheet._sheet_quad
    monkeypatch.setattr(sheet, "_sheet_quad", lambda *a, **k: calls.append(1) or find(*a, **k))
    pages = read(ROOT / "samples" / name)
    assert len(pages) == 1 and pages[0].ocr_stats["sheet_cut"]
    assert pages[0].blocks, "the page was read"
    assert len(calls) == 1
