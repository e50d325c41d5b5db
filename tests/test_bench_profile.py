"""`dti bench extract --profile` and the benchmark's plain-tesseract baseline (issue #23).

Times are printed, never asserted: what is checked is that the steps account
for a page's own measured time, and that the baseline reads the page images a
user would have (their native resolution), not the product's enlarged ones."""
from __future__ import annotations

import re
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from PIL import Image

from extractors import bench, ocr, render
from fakes.ocr_pages import ruled_table, scanned
from commands.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def _scan(tmp_path: Path, dpi: int = 300) -> Path:
    rows = [["TT", "Nội dung chỉ số", "Kết quả", "Điểm"]] + [
        [f"2.{i}", "Tỷ lệ hộ gia đình có kết nối Internet", f"{600 + i}/645", "8,45"] for i in range(1, 7)]
    im, _, _ = ruled_table(rows, [160, 1100, 400, 220], size_pt=11, row_h=100)
    out = tmp_path / "scan.png"
    scanned(im).save(out, dpi=(dpi, dpi))
    return out


@needs_tesseract
def test_profile_steps_add_up_to_each_pages_measured_time(tmp_path, capsys):
    assert main(["bench", "extract", str(_scan(tmp_path)), "--profile", "--no-ratio", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    head = next(ln for ln in out.splitlines() if ln.startswith("page "))
    names = head.split()[1:]
    for step in ("load", "prepare", "clean", "ocr", "layout", "match"):
        assert step in names, head
    page_rows = [ln for ln in out.splitlines() if ln.startswith("scan.png#")]
    assert len(page_rows) == 1
    values = [float(v) for v in page_rows[0].split()[1:]]
    steps, total, measured = values[:-2], values[-2], values[-1]
    assert measured > 0 and steps[names.index("ocr")] > 0
    assert abs(sum(steps) - total) <= 0.02 * len(steps)           # the table's own sum
    # every second of the page is in some step: nothing big happens outside them
    assert total == pytest.approx(measured, rel=0.05, abs=0.05)
    assert re.search(r"^share\s", out, re.M)


@needs_tesseract
def test_page_steps_are_recorded_only_when_asked(tmp_path):
    src = render.image_file_sources(_scan(tmp_path))
    plain = ocr.ocr_sources(src, [1], ocr.OcrOptions(jobs=1, cache_dir=None))[0]
    assert "steps" not in plain.ocr_stats
    timed = ocr.ocr_sources(src, [1], ocr.OcrOptions(jobs=1, cache_dir=None, profile=True))[0]
    st = timed.ocr_stats["steps"]
    assert sum(st.values()) == pytest.approx(timed.ocr_stats["seconds"], rel=0.05, abs=0.05)
    # the profile changes nothing of what is read
    assert asdict(timed)["blocks"] == asdict(plain)["blocks"]


def test_baseline_images_are_the_pages_own_pixels(tmp_path):
    # a scanned PDF of 200-dpi pictures: the baseline reads 200-dpi pages, not the product's render
    imgs = bench.native_images(SAMPLES / "hungson-2022-scan.pdf", tmp_path)
    assert len(imgs) == 5
    with Image.open(imgs[0]) as im:
        assert im.size == (1655, 2339)
    # a photo is read as the file it is
    photo = SAMPLES / "photo-hungyen.jpg"
    assert bench.native_images(photo, tmp_path) == [photo]


def test_pages_are_first_drawn_at_their_captured_resolution(tmp_path):
    o = ocr.OcrOptions(jobs=1, cache_dir=None)
    scan = render.pdf_page_sources(SAMPLES / "hungson-2022-scan.pdf", [1])[0]
    assert ocr.start_dpi(scan, o) == 200
    vector = render.pdf_page_sources(SAMPLES / "two-page-table.pdf", [1])[0]
    assert ocr.start_dpi(vector, o) == o.dpi
    img = render.image_file_sources(_scan(tmp_path, dpi=240))[0]
    assert ocr.start_dpi(img, o) == 240


@needs_tesseract
@pytest.mark.slow
def test_bench_run_times_dti_run_against_plain_tesseract(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "photo-hungyen.jpg", folder)
    assert main(["bench", "run", str(folder)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"1 reports stored", out), out
    m = re.search(r"1 files, 1 pages: plain .* ([\d.]+) s; `dti run`: ([\d.]+) s; ratio ([\d.]+)", out)
    assert m and float(m.group(1)) > 0 and float(m.group(2)) > 0, out
    assert list(folder.iterdir()) == [folder / "photo-hungyen.jpg"]    # the user's folder is left as it was
