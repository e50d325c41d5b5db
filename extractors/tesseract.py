"""The one place that runs the tesseract binary.

Images go in on stdin and TSV comes back on stdout, so no temporary files are
made and one call per page gives text, boxes and confidences together.  The
child gets OMP_THREAD_LIMIT=1: we run one tesseract per core ourselves, and
tesseract's own OpenMP threads fighting over the same cores made two pages on
two cores four times slower.  ``DTI_TESSERACT`` overrides the binary (tests
point it at fake executables).
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from extractors.errors import ExtractError, ToolMissing, ToolTimeout
from extractors.procs import kill_group
from settings.settings import current


class OcrError(ExtractError):
    """tesseract ran but failed: crashed, was killed, or printed garbage."""
    message_vi = "Công cụ nhận dạng chữ (tesseract) bị lỗi khi đọc trang ảnh"
    message_en = "The OCR engine (tesseract) failed while reading a page image"


@dataclass
class OcrWord:
    text: str
    bbox: tuple[int, int, int, int]   # x0, y0, x1, y1 in pixels of the image read
    conf: float                       # 0..100
    block: int = 0
    par: int = 0
    line: int = 0
    word: int = 0

    @property
    def cx(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def cy(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2


def binary() -> str | None:
    override = current().tesseract
    if override:
        return override if os.access(override, os.X_OK) else None
    return shutil.which("tesseract")


def _env() -> dict:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def _quick(args: list[str]) -> str:
    exe = binary()
    if exe is None:
        raise ToolMissing("tesseract", "Máy chưa cài tesseract (gói tesseract-ocr)",
                          "tesseract is not installed (Debian package tesseract-ocr)")
    try:
        p = subprocess.run([exe, *args], capture_output=True, timeout=30, env=_env())
    except subprocess.TimeoutExpired as e:
        raise ToolTimeout("tesseract", detail=str(e)) from None
    return (p.stdout + p.stderr).decode("utf-8", "replace")


@functools.lru_cache(maxsize=8)
def _version_for(exe: str) -> str:
    m = re.search(r"tesseract\s+v?(\S+)", _quick(["--version"]))
    return m.group(1) if m else "unknown"


def version() -> str:
    exe = binary()
    return _version_for(exe) if exe else "missing"


@functools.lru_cache(maxsize=8)
def _langs_for(exe: str) -> tuple[str, ...]:
    out = _quick(["--list-langs"])
    return tuple(ln.strip() for ln in out.splitlines()[1:] if ln.strip() and " " not in ln.strip())


def langs() -> tuple[str, ...]:
    exe = binary()
    return _langs_for(exe) if exe else ()


def is_available(lang: str = "vie") -> tuple[bool, str]:
    """(ok, message): the message names what is missing, in Vietnamese and English."""
    if binary() is None:
        return False, ("Thiếu chương trình tesseract (cài gói tesseract-ocr) / "
                       "tesseract binary not found (install tesseract-ocr)")
    missing = [lg for lg in lang.split("+") if lg not in langs()]
    if missing:
        names = ", ".join(missing)
        return False, (f"Thiếu dữ liệu ngôn ngữ '{names}' cho tesseract (cài gói tesseract-ocr-{missing[0]}) / "
                       f"tesseract traineddata '{names}' missing (install tesseract-ocr-{missing[0]})")
    return True, f"tesseract {version()} ({lang})"


def encode(image: Image.Image) -> bytes:
    """PNM: no compression cost, and leptonica reads it from memory."""
    if image.mode not in ("L", "RGB", "1"):
        image = image.convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="PPM")
    return buf.getvalue()


def run(image: Image.Image | bytes, args: list[str], timeout: float = 120, what: str = "page") -> str:
    """Run ``tesseract stdin stdout *args``; return stdout text or raise a typed error."""
    exe = binary()
    if exe is None:
        raise ToolMissing(what, "Máy chưa cài tesseract (gói tesseract-ocr) nên không đọc được ảnh quét",
                          "tesseract is not installed (package tesseract-ocr); scans cannot be read")
    data = image if isinstance(image, bytes) else encode(image)
    proc = subprocess.Popen([exe, "stdin", "stdout", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                            start_new_session=True)  # own group: a timeout kills its children too
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise ToolTimeout(what, f"Nhận dạng chữ một trang quá {timeout:g} giây, đã dừng",
                          f"OCR of one page took longer than {timeout:g} s and was stopped") from None
    except BaseException:
        kill_group(proc)
        raise
    if proc.returncode < 0:
        sig = -proc.returncode
        raise OcrError(what, f"tesseract bị dừng đột ngột (tín hiệu {sig}) khi đọc trang ảnh",
                       f"tesseract was killed by signal {sig} while reading a page image",
                       detail=err.decode("utf-8", "replace")[-500:])
    if proc.returncode != 0:
        raise OcrError(what, f"tesseract báo lỗi (mã {proc.returncode}) khi đọc trang ảnh",
                       f"tesseract failed with exit code {proc.returncode}",
                       detail=err.decode("utf-8", "replace")[-500:])
    return out.decode("utf-8", "replace")


def tsv_args(lang: str = "vie", psm: int = 3, dpi: int | None = None, config: dict | None = None) -> list[str]:
    args = ["-l", lang, "--psm", str(psm)]
    if dpi:
        args += ["--dpi", str(dpi)]
    for k, v in (config or {}).items():
        args += ["-c", f"{k}={v}"]
    return args + ["tsv"]


def run_tsv(image: Image.Image | bytes, lang: str = "vie", psm: int = 3, dpi: int | None = None,
            config: dict | None = None, timeout: float = 120, cache_dir: str | Path | None = None,
            what: str = "page") -> list[OcrWord]:
    """Words of one image (one tesseract call, or none on a cache hit)."""
    from extractors import ocr_cache  # local: the cache module imports this one

    data = image if isinstance(image, bytes) else encode(image)
    args = tsv_args(lang, psm, dpi, config)
    key = ocr_cache.key(data, args, version()) if cache_dir else None
    text = ocr_cache.get(cache_dir, key) if key else None
    if text is None:
        text = run(data, args, timeout=timeout, what=what)
        if not text.startswith("level\t"):
            raise OcrError(what, "tesseract trả về kết quả không đọc được",
                           "tesseract returned output that is not TSV", detail=text[:200])
        if key:
            ocr_cache.put(cache_dir, key, text)
    return parse_tsv(text)


def parse_tsv(text: str) -> list[OcrWord]:
    words: list[OcrWord] = []
    for ln in text.splitlines()[1:]:
        f = ln.split("\t")
        if len(f) < 12 or f[0] != "5":
            continue
        t = unicodedata.normalize("NFC", f[11]).strip()
        if not t:
            continue
        x, y, w, h = (int(v) for v in f[6:10])
        words.append(OcrWord(t, (x, y, x + w, y + h), max(0.0, float(f[10])),
                             int(f[2]), int(f[3]), int(f[4]), int(f[5])))
    return words


def osd_rotation(image: Image.Image, timeout: float = 60) -> tuple[int, float] | None:
    """(degrees to rotate clockwise to make the page upright, confidence), or None
    when the osd traineddata is missing or the page has too little text."""
    if "osd" not in langs():
        return None
    try:
        out = run(image, ["--psm", "0", "-l", "osd"], timeout=timeout, what="osd")
    except OcrError:
        return None  # "Too few characters": not an error for the page
    rot = re.search(r"Rotate:\s*(\d+)", out)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rot:
        return None
    return int(rot.group(1)), float(conf.group(1)) if conf else 0.0
