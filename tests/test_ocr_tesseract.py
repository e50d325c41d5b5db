"""The tesseract wrapper: typed errors from fake binaries, availability, the TSV cache."""
import time
from pathlib import Path

import pytest
from PIL import Image

from extractors import ocr, tesseract
from extractors.errors import ExtractError, ToolMissing, ToolTimeout
from extractors.tesseract import OcrError
from fakes.ocr_pages import text_page
from settings import settings

FAKES = Path(__file__).parent / "fakes"
SMALL = Image.new("L", (200, 80), 255)


@pytest.fixture
def fake(monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))          # nothing may be left behind here

    def use(name):
        monkeypatch.setenv("DTI_TESSERACT", str(FAKES / name))
        settings.reload()
    yield use
    assert list(tmp_path.iterdir()) == [] or all(p.name.startswith("pid") for p in tmp_path.iterdir())


def test_crash_raises_ocr_error_with_both_languages(fake):
    fake("tesseract_crash")
    with pytest.raises(OcrError) as e:
        tesseract.run_tsv(SMALL, what="trang 3")
    assert isinstance(e.value, ExtractError)
    assert "mã 1" in e.value.message_vi and "exit code 1" in e.value.message_en
    assert "pixReadMem" in e.value.detail


def test_killed_by_signal_is_typed(fake):
    fake("tesseract_signal")
    with pytest.raises(OcrError) as e:
        tesseract.run_tsv(SMALL)
    assert "tín hiệu 11" in e.value.message_vi and "signal 11" in e.value.message_en


def test_hang_is_killed_at_timeout(fake, monkeypatch, tmp_path):
    pidfile = tmp_path / "pid"
    monkeypatch.setenv("DTI_FAKE_PIDFILE", str(pidfile))
    fake("tesseract_hang")
    t0 = time.monotonic()
    with pytest.raises(ToolTimeout):
        tesseract.run_tsv(SMALL, timeout=1)
    assert time.monotonic() - t0 < 8
    child = int(pidfile.read_text())
    time.sleep(0.2)
    alive = Path(f"/proc/{child}").exists() and "zombie" not in Path(f"/proc/{child}/status").read_text().lower()
    assert not alive, "the hung child of tesseract was left running"


def test_page_error_propagates_from_ocr_images(fake):
    fake("tesseract_crash")
    with pytest.raises(OcrError):
        ocr.ocr_images([text_page(["Xin chào"])], options=ocr.OcrOptions(jobs=1, cache_dir=None))


def test_availability_names_what_is_missing(monkeypatch):
    monkeypatch.setenv("DTI_TESSERACT", "/nonexistent/tesseract")
    settings.reload()
    ok, msg = tesseract.is_available()
    assert not ok and "tesseract-ocr" in msg
    with pytest.raises(ToolMissing):
        ocr.ocr_images([SMALL])
    monkeypatch.setenv("DTI_TESSERACT", str(FAKES / "tesseract_novie"))
    settings.reload()
    ok, msg = tesseract.is_available("vie")
    assert not ok and "'vie'" in msg and "traineddata" in msg
    assert tesseract.is_available("eng")[0]


def test_parse_tsv_is_nfc_and_skips_non_words():
    decomposed = "Vie\u0302\u0323t"        # Việt with combining marks
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "4\t1\t1\t1\t1\t0\t10\t10\t100\t20\t-1\t\n"
           f"5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t91.5\t{decomposed}\n"
           "5\t1\t1\t1\t1\t2\t70\t10\t40\t20\t95\t \n")
    words = tesseract.parse_tsv(tsv)
    assert [w.text for w in words] == ["Việt"] and words[0].bbox == (10, 10, 60, 30)
    assert words[0].conf == 91.5


@pytest.mark.slow
def test_cache_hit_skips_tesseract(monkeypatch, tmp_path):
    count = tmp_path / "calls"
    monkeypatch.setenv("DTI_TESSERACT", str(FAKES / "tesseract_counting"))
    monkeypatch.setenv("DTI_FAKE_COUNT", str(count))
    settings.reload()
    opts = ocr.OcrOptions(cache_dir=str(tmp_path / "cache"), jobs=1)
    page = text_page(["Ủy ban nhân dân xã 2024"], width=1200)
    first = ocr.ocr_images([page], options=opts)
    calls = len(count.read_text().splitlines())
    assert calls >= 1
    second = ocr.ocr_images([page], options=opts)
    assert len(count.read_text().splitlines()) == calls      # no new tesseract run
    assert [b.text for b in second[0].blocks] == [b.text for b in first[0].blocks]
    assert "Ủy ban" in first[0].blocks[0].text
