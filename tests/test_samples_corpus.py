"""The sample corpus (samples/) and the hostile inputs (tests/hostile.py) are what
they claim to be: the generator is deterministic, every file opens with the
library a reader would use, the seed's figures survived, the scan has no text
layer, the photo needs EXIF, and each hostile file really is hostile."""
from __future__ import annotations

import re
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pdfplumber
import pytest
from PIL import Image, ImageOps

import hostile

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(SAMPLES))
import make_samples  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not available at {SEEDS}")
    return found[0].read_text(encoding="utf-8")


def _rows(path: Path, table: int = 0) -> list[list[str]]:
    t = docx.Document(str(path)).tables[table]
    return [[c.text.strip() for c in r.cells] for r in t.rows]


def _num(s: str) -> float:
    return float(s.replace(",", "."))


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    make_samples.build(out, ["docx"])
    return out


@pytest.fixture(scope="session")
def bad(tmp_path_factory) -> dict[str, Path]:
    return hostile.write_all(tmp_path_factory.mktemp("hostile"))


# --- generator ---------------------------------------------------------------------

def test_every_sample_is_committed_and_documented_and_small():
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    total = 0
    for name in make_samples.ALL:
        path = SAMPLES / name
        assert path.is_file() and path.stat().st_size > 1000, name
        assert f"`{name}`" in readme, f"{name} not described in samples/README.md"
        total += path.stat().st_size
    assert total < 8 * 1024 * 1024


@pytest.mark.parametrize("name", list(make_samples.DOCX))
def test_docx_generator_is_deterministic(regenerated, name):
    def xml(p):
        with zipfile.ZipFile(p) as z:
            return z.read("word/document.xml").decode("utf-8")
    assert xml(regenerated / name) == xml(SAMPLES / name)
    assert (regenerated / name).read_bytes() == (SAMPLES / name).read_bytes()


# --- Hùng Sơn ----------------------------------------------------------------------

def _seed000_table() -> dict[str, tuple[str, str]]:
    text = _seed("000")
    body = text[text.index("STT\tTIÊU CHÍ"):text.index("Tổng cộng")]
    clean = lambda s: (s.replace("$", "").replace("\\%", "%").replace("\\times", "x")  # noqa: E731
                       .replace("\\geq", "≥").strip())
    out = {}
    for line in body.splitlines()[1:]:
        cells = line.split("\t")
        if re.match(r"^\d+(\.\s?\d+)+$", cells[0].strip()) and len(cells) == 5:
            out[cells[0].strip()] = (clean(cells[3]), clean(cells[4]))
    return out


def test_hungson_docx_keeps_every_seed_figure():
    seed = _seed000_table()
    rows = {r[0]: (r[3], r[4]) for r in _rows(SAMPLES / "hungson-2022.docx") if re.match(r"^\d+\.", r[0])}
    assert len(seed) > 50 and set(rows) == set(seed)
    for code, (pts, mx) in seed.items():
        assert rows[code] == (pts, mx), code
    # the inconsistencies the flags are tested on
    assert rows["4.1"] == ("100% x 30", "20") and rows["5.2"] == ("80% x 30", "30")
    assert rows["6.1"] == rows["6.2"] == ("100% x 20", "15")
    assert rows["7.1"] == ("Tỷ lệ% x 20", "20") and rows["7.3"] == ("Tỷ 50% x 20", "10")


def test_hungson_docx_layout_quirks():
    d = docx.Document(str(SAMPLES / "hungson-2022.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Số: 65 /BC-UBND" in text and "ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM 2022" in text
    table = d.tables[0]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    rows = table.rows
    pillar = next(r for r in rows if r.cells[0].text == "1")
    assert pillar.cells[1]._tc is pillar.cells[3]._tc          # merged over TIÊU CHÍ..Điểm
    assert pillar.cells[1].text == "Thể chế số" and pillar.cells[4].text == "90"
    texts = [[c.text for c in r.cells] for r in rows]
    assert ["", "Gửi nhận văn bản điện tử", "", "", "50"] in texts
    assert ["", "", "", "0", ""] in texts                      # option continuation row
    assert ["", "", "< 5%", "0", ""] in texts
    i = next(k for k, t in enumerate(texts) if t[0] == "5.27")
    assert texts[i + 1][:2] == ["", "mục riêng về chuyên đổi số"] and texts[i + 2][2:4] == ["Hàng tháng", "0"]
    italic = next(r for r in rows if r.cells[0].text == "5.16. 5")
    assert all(run.italic for run in italic.cells[1].paragraphs[0].runs)
    assert texts[-1][0] == "Tổng cộng" and texts[-1][4] == "904"
    assert not any("$" in c or "\\" in c for t in texts for c in t)   # LaTeX cleaned


def test_hungson_pdf_has_text_layer_and_scan_has_none():
    with pdfplumber.open(SAMPLES / "hungson-2022.pdf") as pdf:
        n_pages = len(pdf.pages)
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Thị trấn Hùng Sơn" in text and "Tổng cộng" in text and "904" in text
    assert "100% x 30" in text
    with pdfplumber.open(SAMPLES / "hungson-2022-scan.pdf") as pdf:
        assert len(pdf.pages) == n_pages
        for page in pdf.pages:
            assert page.chars == [] and (page.extract_text() or "") == ""
            assert len(page.images) == 1
            img = page.images[0]
            dpi = img["srcsize"][0] / float(page.width) * 72
            assert 190 < dpi < 210
            assert "DCTDecode" in str(img["stream"].get("Filter"))   # JPEG-compressed pages


def test_scan_is_rotated_not_clean():
    import numpy as np
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(SAMPLES / "hungson-2022-scan.pdf"))
    gray = np.asarray(doc[1].render(scale=100 / 72, grayscale=True).to_pil().convert("L"), dtype=float)
    doc.close()
    paper = gray[gray > 150]
    assert 200 < paper.mean() < 250           # grey, uneven paper, not pure white
    assert paper.std() > 3


# --- Hưng Yên criteria and photo ---------------------------------------------------

def test_hungyen_criteria_matches_seed_indicators_and_plants():
    seed = _seed("002")
    seed_rows = {}
    for line in seed[seed.index("1\tNhận thức số\t100"):].splitlines():
        m = re.match(r"^(\d\.\d)\t([^\t]+)\t(\d+)\t", line)
        if m:
            seed_rows[m.group(1)] = (m.group(2).strip(), int(m.group(3)))
    rows = _rows(SAMPLES / "hungyen-2024-criteria.docx", table=1)
    assert rows[0] == ["STT", "Chỉ số", "Điểm tối đa", "Số liệu / Kết quả", "Điểm tự chấm"]
    ind = {r[0]: r for r in rows if re.match(r"^\d\.\d$", r[0])}
    assert len(seed_rows) == 40 and set(ind) == set(seed_rows)
    for code, (name, mx) in seed_rows.items():
        assert ind[code][1].startswith(name[:25]) and int(ind[code][2]) == mx, code
    pillars = [r for r in rows if re.match(r"^\d$", r[0])]
    assert len(pillars) == 8 and sum(int(p[2]) for p in pillars) == 1000
    for p in pillars:                                            # subtotals are consistent
        sub = sum(_num(r[4]) for c, r in ind.items() if c.split(".")[0] == p[0])
        assert abs(sub - _num(p[4])) < 0.011, p[0]
    assert rows[-1][0] == "TỔNG ĐIỂM"
    assert abs(sum(_num(r[4]) for r in ind.values()) - _num(rows[-1][4])) < 0.011
    over = [c for c, r in ind.items() if _num(r[4]) > int(r[2])]
    assert over == ["6.4"]                                       # the one claimed > max
    assert ind["3.2"][3].startswith("1.570/2.000 hộ") and _num(ind["3.2"][4]) == 35


def test_photo_needs_exif_orientation():
    im = Image.open(SAMPLES / "photo-hungyen.jpg")
    assert im.format == "JPEG" and im.getexif().get(0x0112) == 6
    assert im.width > im.height                                   # stored sideways
    up = ImageOps.exif_transpose(im)
    assert up.height > up.width                                   # a portrait page once honoured
    assert up.size == (im.height, im.width)


# --- other layouts -----------------------------------------------------------------

def test_huongxuan_narrative_figures():
    d = docx.Document(str(SAMPLES / "huongxuan-2020-narrative.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    for s in ("Tiêu chí 15: Tỷ lệ máy tính/CBCC: 171% (48/28)", "645/645", "743/746 đạt 99,59%",
              "Chưa đạt", "Số: 612/BC-UBND"):
        assert s in text or any(s in c.text for t in d.tables for r in t.rows for c in r.cells), s
    assert len(d.tables) == 2                 # header and signature blocks only: no score table
    assert any(p.style.name == "List Bullet" for p in d.paragraphs)
    bold = [r.text for p in d.paragraphs for r in p.runs if r.bold]
    assert "645/645" in bold


def test_tuachua_ranking_is_the_seeds():
    seed = _seed("003")
    seed_units = [ln.split("\t") for ln in seed[seed.index("Phụ lục 2"):].splitlines()
                  if re.match(r"^\d+\tUBND", ln)]
    rows = _rows(SAMPLES / "tuachua-ranking.docx")
    assert rows[0][0] == "TT" and rows[0][-1] == "Xếp hạng" and len(rows[0]) == 12
    assert [[c.strip() for c in u] for u in seed_units] == rows[1:]
    d = docx.Document(str(SAMPLES / "tuachua-ranking.docx"))
    assert d.sections[0].page_width > d.sections[0].page_height   # landscape


def test_two_page_table_repeats_its_header():
    with pdfplumber.open(SAMPLES / "two-page-table.pdf") as pdf:
        assert len(pdf.pages) == 2
        tables = [p.extract_tables() for p in pdf.pages]
    header = tables[0][0][0]
    assert header[0] == "STT" and header[1] == "TIÊU CHÍ"
    assert tables[1][0][0] == header                              # repeated on page 2
    body = [r for t in tables for r in t[0] if r != header]
    assert body[-1][0] == "Tổng cộng"
    claims = [(r[3], r[4]) for r in body if r[0] and re.match(r"^\d+\.\d", r[0])]
    total = sum(_num(mx) if "x" in (pts or "") else _num(pts) for pts, mx in claims if pts)
    assert abs(total - _num(body[-1][4])) < 0.05
    assert ["6.1"] == [r[0] for r in tables[1][0] if r[3] == "70% x 20" and r[4] == "20"]


# --- hostile -----------------------------------------------------------------------

def test_hostile_names_match_expectations(bad):
    assert set(bad) == set(hostile.EXPECTED)


def test_minimal_pdf_helper_is_a_real_pdf(tmp_path):
    path = tmp_path / "ok.pdf"
    path.write_bytes(hostile.minimal_pdf())
    with pdfplumber.open(path) as pdf:
        assert "CHUYEN DOI SO" in pdf.pages[0].extract_text()


def test_encrypted_pdf_asks_for_password(bad):
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    with pytest.raises(Exception) as err:
        with pdfplumber.open(bad["encrypted.pdf"]) as pdf:
            pdf.pages[0].extract_text()
    chain = [err.value, *err.value.args, err.value.__cause__]
    assert any(isinstance(e, PDFPasswordIncorrect) for e in chain)
    with pdfplumber.open(bad["encrypted.pdf"], password=hostile.PASSWORD) as pdf:
        assert "CHUYEN DOI SO" in pdf.pages[0].extract_text()


@pytest.mark.parametrize("name", ["truncated.pdf", "corrupt.pdf", "fake-exe.pdf"])
def test_broken_pdfs_do_not_open(bad, name):
    data = bad[name].read_bytes()
    assert b"%%EOF" not in data
    with pytest.raises(Exception):
        with pdfplumber.open(bad[name]) as pdf:
            pdf.pages[0].extract_text()


def test_simple_hostile_files(bad):
    assert bad["empty.pdf"].stat().st_size == 0
    assert bad["truncated.pdf"].read_bytes().startswith(b"%PDF-")
    exe = bad["fake-exe.pdf"].read_bytes()
    pe_at = int.from_bytes(exe[0x3C:0x40], "little")
    assert exe[:2] == b"MZ" and exe[pe_at:pe_at + 4] == b"PE\0\0"
    assert not zipfile.is_zipfile(bad["random.docx"])


def test_zip_bomb_is_a_docx_that_inflates_past_a_gigabyte(bad):
    path = bad["zip-bomb.docx"]
    assert path.stat().st_size < 2 * 1024 * 1024
    with zipfile.ZipFile(path) as z:
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(z.namelist())
        info = z.getinfo("word/document.xml")
        assert info.file_size > 10**9 and info.file_size / info.compress_size > 500
        with z.open(info) as f:                                  # read a little, never all
            start = f.read(1 << 20)
    assert start.startswith(b"<?xml") and b"<w:t>" in start and start.endswith(b"0" * 1000)


def test_entities_docx_declares_a_billion_laughs(bad):
    with zipfile.ZipFile(bad["entities.docx"]) as z:
        xml = z.read("word/document.xml").decode()
    decls = dict(re.findall(r'<!ENTITY (\w+) "([^"]*)">', xml))
    assert "<!DOCTYPE" in xml and "&lol9;" in xml
    size = {"lol": 3}
    for i in range(1, 10):
        refs = re.findall(r"&(\w+);", decls[f"lol{i}"])
        size[f"lol{i}"] = sum(size[r] for r in refs)
    assert size["lol9"] >= 10**9


def test_huge_png_is_a_decompression_bomb(bad):
    path = bad["huge.png"]
    assert path.stat().st_size < 200_000
    data = path.read_bytes()
    assert data[12:16] == b"IHDR" and int.from_bytes(data[16:20], "big") == hostile.HUGE_SIDE
    with pytest.raises(Image.DecompressionBombError):
        Image.open(path)
    idat = data[data.index(b"IDAT") + 4:]
    first_row = zlib.decompressobj().decompress(idat[:4096], (hostile.HUGE_SIDE + 7) // 8 + 1)
    assert first_row[0] == 0                                     # a well-formed scanline
