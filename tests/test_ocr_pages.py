"""Real tesseract on pages the tests draw: ruled table, rotated, skewed, EXIF photo."""
import pytest
from PIL import Image

from extractors import ocr
from extractors.document import Line, Table
from fakes.ocr_pages import ruled_table, text_page

pytestmark = pytest.mark.slow

ROWS = [["TT", "Nội dung chỉ số", "Kết quả", "Điểm"],
        ["1.1", "Thành lập Ban chỉ đạo", "Có", "30"],
        ["2.5", "Tỷ lệ hộ gia đình", "645/645", "8,45"],
        ["3.2", "Người dân được tập huấn", "85%", "20"]]
LINES = ["Báo cáo kết quả chuyển đổi số năm 2024",
         "Xã Hương Xuân tự đánh giá đạt 85% chỉ tiêu",
         "Người đứng đầu là Trưởng ban chỉ đạo"]
OPTS = ocr.OcrOptions(jobs=2, cache_dir=None)


@pytest.fixture(scope="session")
def pages():
    table, _, _ = ruled_table(ROWS, [180, 900, 380, 220], title="Phụ lục: bảng điểm")
    base = text_page(LINES)
    rotated = base.rotate(90, expand=True, fillcolor=255)
    skewed = base.rotate(2, expand=True, fillcolor=255, resample=Image.BICUBIC)
    # a whole page at 600 dpi, upside down: OSD must see its text large enough
    page = Image.new("L", (table.width + 400, table.height * 2 + 400), 255)
    page.paste(table, (200, 200))
    upside_down = page.resize((page.width * 2, page.height * 2)).rotate(180, expand=True, fillcolor=255)
    for im in (rotated, skewed):
        im.info["dpi"] = (300, 300)
    upside_down.info["dpi"] = (600, 600)
    return dict(zip(["table", "rotated", "skewed", "upside_down"],
                    ocr.ocr_images([table, rotated, skewed, upside_down], options=OPTS)))


def _texts(page):
    return [b.text for b in page.blocks if isinstance(b, Line)]


def test_ruled_table_cells_and_diacritics(pages):
    p = pages["table"]
    assert p.ocr and p.dpi == 300 and p.number == 1
    tables = [b for b in p.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    t = tables[0]
    assert t.n_cols == 4 and len(t.rows) == 4
    assert t.texts()[1:] == [r for r in ROWS[1:]]
    assert t.rows[0][1].text == "Nội dung chỉ số"
    assert _texts(p) == ["Phụ lục: bảng điểm"]
    assert t.bbox[1] > p.blocks[0].bbox[3]            # title above the table, in reading order


def test_bboxes_in_points_and_confidences(pages):
    p = pages["table"]
    t = next(b for b in p.blocks if isinstance(b, Table))
    # the drawing put the table's left rule at x=60 px at 300 dpi
    assert t.bbox[0] == pytest.approx(60 * 72 / 300, abs=1.5)
    assert p.width == pytest.approx((60 + 1680 + 60) * 72 / 300, abs=1)
    cell = t.rows[2][2]
    assert 0.5 < cell.confidence <= 1 and not cell.disputed
    assert cell.bbox[2] > cell.bbox[0] and cell.page == 1


def test_rotated_page_read_upright(pages):
    assert _texts(pages["rotated"]) == LINES


def test_upside_down_page_read_upright(pages):
    cells = lambda page: [[c.text for c in r] for b in page.blocks if isinstance(b, Table) for r in b.rows]
    assert cells(pages["upside_down"]) == cells(pages["table"])


def test_skewed_page_read(pages):
    assert _texts(pages["skewed"]) == LINES


def test_exif_rotated_jpeg(tmp_path):
    upright = text_page(LINES[:2], width=1500)
    stored = upright.rotate(90, expand=True)            # pixels on their side...
    exif = Image.Exif()
    exif[0x0112] = 6                                      # ...and the tag says "rotate 90° CW"
    path = tmp_path / "photo.jpg"
    stored.save(path, exif=exif, dpi=(300, 300), quality=95)
    pages = ocr.ocr_image_file(path, ocr.OcrOptions(fix_rotation=False, jobs=1, cache_dir=None))
    assert len(pages) == 1 and _texts(pages[0]) == LINES[:2]
    assert pages[0].height < pages[0].width               # upright landscape strip
