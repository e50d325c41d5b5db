"""Grid detection, merged cells, word assignment, borderless tables, render guards."""
import numpy as np
import pytest
from PIL import Image

from extractors import imageprep, ocr_layout, render
from extractors.document import Table
from extractors.errors import TooLarge
from extractors.tesseract import OcrWord
from fakes.ocr_pages import ruled_table


def _grid(merge=False):
    im, xs, ys = ruled_table([["", "", ""]] * 3, [200, 500, 300], merge_first_row=merge)
    grids, rules = ocr_layout.detect_grids(imageprep.ink_mask(np.asarray(im)))
    return grids, xs, ys


def test_grid_rules_found_where_drawn():
    grids, xs, ys = _grid()
    assert len(grids) == 1
    g = grids[0]
    assert all(abs(a - b) <= 3 for a, b in zip(g.xs, xs)) and len(g.xs) == len(xs)
    assert all(abs(a - b) <= 3 for a, b in zip(g.ys, ys)) and len(g.ys) == len(ys)
    assert len(g.spans) == 9


def test_missing_internal_rules_make_a_colspan():
    grids, xs, ys = _grid(merge=True)
    g = grids[0]
    words = [OcrWord("Tiêu", (300, ys[0] + 30, 380, ys[0] + 70), 90),
             OcrWord("đề", (390, ys[0] + 30, 440, ys[0] + 70), 80),
             OcrWord("30", (xs[3] - 100, ys[2] + 30, xs[3] - 50, ys[2] + 70), 95)]
    t = ocr_layout.grid_table(g, words, page=2)
    assert [len(r) for r in t.rows] == [1, 3, 3]
    head = t.rows[0][0]
    assert (head.text, head.colspan, head.col) == ("Tiêu đề", 3, 0)
    assert head.confidence == pytest.approx(0.85)
    assert t.rows[2][2].text == "30" and t.rows[2][2].col == 2 and t.n_cols == 3


def test_words_outside_grid_become_lines_in_reading_order():
    grids, xs, ys = _grid()
    above = [OcrWord("Phụ", (60, 5, 120, 40), 90), OcrWord("lục", (130, 5, 190, 40), 90)]
    inside = [OcrWord("5", (xs[1] + 40, ys[1] + 30, xs[1] + 60, ys[1] + 70), 90)]
    blocks = ocr_layout.build_blocks(above + inside, grids, page=1)
    assert blocks[0].text == "Phụ lục" and isinstance(blocks[1], Table)
    ocr_layout.to_points(blocks, 300)
    assert blocks[0].bbox == pytest.approx((60 * 0.24, 5 * 0.24, 190 * 0.24, 40 * 0.24))


def _w(text, x, y):
    return OcrWord(text, (x, y, x + 20 * len(text), y + 40), 90)


def _phrase(text, x, y):
    out = []
    for t in text.split():
        out.append(_w(t, x, y))
        x = out[-1].bbox[2] + 15
    return out


def test_borderless_table_needs_aligned_columns_with_numbers():
    rows = [("Dân số", "11.765"), ("Số hộ", "3.263"), ("Máy tính", "24"), ("Cán bộ", "21")]
    words = []
    for i, (a, b) in enumerate(rows):
        words += _phrase(a, 100, 100 + i * 70) + _phrase(b, 900, 100 + i * 70)
    blocks = ocr_layout.build_blocks(words, [], page=1)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1 and [r[1].text for r in tables[0].rows] == [b for _, b in rows]
    letterhead = [_w("UBND", 100, 100), _w("CỘNG", 900, 100), _w("XÃ", 100, 170), _w("Độc", 900, 170),
                  _w("Số:", 100, 240), _w("ngày", 900, 240)]
    blocks = ocr_layout.build_blocks(letterhead, [], page=1)
    assert not any(isinstance(b, Table) for b in blocks) and len(blocks) == 6


def test_choose_dpi_raises_for_small_text():
    small, _, _ = ruled_table([["1.1", "Tỷ lệ 645/645 hộ"]] * 4, [200, 700], size_pt=7)
    big, _, _ = ruled_table([["1.1", "Tỷ lệ 645/645 hộ"]] * 4, [200, 900], size_pt=13)
    assert imageprep.choose_dpi(np.asarray(small), 300) > 300
    assert imageprep.choose_dpi(np.asarray(small), 300) <= 450
    assert imageprep.choose_dpi(np.asarray(big), 300) == 300


def test_skew_angle_measured():
    im, _, _ = ruled_table([["1", "Thành lập Ban chỉ đạo"]] * 5, [200, 900])
    tilted = np.asarray(im.rotate(2, expand=True, fillcolor=255, resample=Image.BICUBIC))
    assert imageprep.skew_angle(tilted) == pytest.approx(-2, abs=0.3)


def test_render_guards_and_frames(tmp_path, monkeypatch):
    frames = [Image.new("L", (400, 300), 255), Image.new("L", (300, 400), 255)]
    tif = tmp_path / "scan.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:], dpi=(200, 200))
    srcs = render.image_file_sources(tif)
    assert len(srcs) == 2 and srcs[0].width_pt == pytest.approx(400 * 72 / 200)
    assert srcs[1].render(400).size == (600, 800)
    monkeypatch.setattr(render, "MAX_PIXELS", 100_000)
    with pytest.raises(TooLarge):
        render.image_file_sources(tif)


def test_pdf_pages_render_at_dpi(tmp_path):
    pdf = tmp_path / "scan.pdf"
    Image.new("L", (850, 1100), 200).save(pdf, resolution=100)   # 8.5 x 11 in
    src = render.pdf_page_sources(pdf, [1])[0]
    assert (src.width_pt, src.height_pt) == pytest.approx((612, 792))
    w, h = src.render(150).size
    assert abs(w - 1275) <= 1 and abs(h - 1650) <= 1
