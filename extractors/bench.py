"""``dti bench extract [FILES…]``: reading speed per format, OCR overhead, memory.

For scans and photos it also times plain ``tesseract IMG - -l vie`` on the
page images at their native resolution (a photo file as it is, a scanned
PDF page at its picture's resolution: what a user would run), both sides
with every core busy (``--jobs`` pages at a time) one after the other in
the same run, and prints the ratio per kind (targets: scans <= 1.20, photos
<= 1.40).  ``--profile`` prints each page's seconds per step.
"""
from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path


SCAN_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}


def register(sub) -> None:  # extractors' own commands live in extractors/cli.py
    pass


def _default_files(tmp: Path) -> list[Path]:
    samples = Path("samples")
    found = sorted(p for p in samples.glob("*") if p.suffix.lower() in SCAN_SUFFIXES | {".pdf"}) \
        if samples.is_dir() else []
    if found:
        return found
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    try:
        from fakes.ocr_pages import ruled_table
    except ImportError:
        from PIL import Image, ImageDraw
        im = Image.new("L", (1800, 800), 255)
        ImageDraw.Draw(im).text((100, 100), "Bảng điểm 645/645", fill=0)
    else:
        rows = [["TT", "Nội dung chỉ số", "Kết quả", "Điểm"]] + [
            [f"2.{i}", "Tỷ lệ hộ gia đình có kết nối Internet", f"{600 + i}/645", "8,45"] for i in range(1, 25)]
        im, _, _ = ruled_table(rows, [160, 1100, 400, 220], size_pt=10, row_h=90)
    out = tmp / "generated-scan.png"
    im.save(out, dpi=(300, 300))
    return [out]


def _read(path: Path, jobs: int):
    """(format, pages) as the pipeline reads the file."""
    import extractors
    doc = extractors.read(path)
    return doc.format, doc.pages


def _sources(path: Path):
    from extractors import render
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium
        with render.PDFIUM_LOCK:
            n = len(pdfium.PdfDocument(str(path)))
        return render.pdf_page_sources(path, list(range(1, n + 1)))
    return render.image_file_sources(path)


def native_images(path: Path, tmp: Path) -> list[Path]:
    """The page images a user would hand to tesseract: a photo or scan file as it
    is, a scanned PDF page at the resolution of the picture it is made of (the
    same pixels as that picture; 300 dpi when the page is not one picture)."""
    from extractors import render
    if path.suffix.lower() != ".pdf":
        return [path]
    out = []
    for i, src in enumerate(_sources(path), 1):
        dpi = round(render.page_image_dpi(src) or 300)
        img = tmp / f"native-{path.stem}-{i}.png"
        src.render(dpi).save(img, dpi=(dpi, dpi))
        out.append(img)
    return out


def plain_tesseract(images: list[Path], jobs: int) -> float:
    """Wall seconds of plain ``tesseract IMG - -l vie`` on ``images``, ``jobs`` at a time."""
    from concurrent.futures import ThreadPoolExecutor
    from extractors import tesseract
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(img: Path) -> None:
        subprocess.run([tesseract.binary() or "tesseract", str(img), "-", "-l", "vie"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(images)))) as ex:
        list(ex.map(one, images))
    return time.perf_counter() - t0


def ocr_file(path: Path, jobs: int, profile: bool = False) -> tuple[list, float]:
    """(pages, wall seconds) of the product's OCR of every page of ``path``."""
    from extractors import ocr  # OpenCV and pdfium load only for a bench run
    opts = ocr.OcrOptions(jobs=jobs, cache_dir=None, profile=profile)
    sources = _sources(path)
    t0 = time.perf_counter()
    pages = ocr.ocr_sources(sources, list(range(1, len(sources) + 1)), opts)
    return pages, time.perf_counter() - t0


def kind_of(path: Path, pages) -> str:
    """photo: an image file whose sheet was cut out, or a PDF of photographed pages; else scan."""
    return "photo" if any(getattr(p, "ocr_stats", {}).get("sheet_cut") for p in pages) else "scan"


def _ratio(path: Path, tmp: Path, jobs: int) -> dict[str, list[float]]:
    """Per kind of page ("scan", "photo"): [pipeline OCR seconds, plain tesseract
    seconds, pages].  Both sides run ``jobs`` pages at a time (every core busy,
    as in production), one after the other in this run: the product through its
    own thread pool, plain tesseract as ``jobs`` processes on the page images at
    their native resolution (``native_images``), so the ratio is wall time against
    wall time of what a user would otherwise have run."""
    imgs = native_images(path, tmp)
    plain = plain_tesseract(imgs, jobs)
    pages, ours = ocr_file(path, jobs)
    return {kind_of(path, pages): [ours, plain, len(pages)]}


RATIO_TARGET = {"scan": 1.20, "photo": 1.40}


def profile_rows(path: Path, jobs: int, match=None) -> list[tuple[str, dict, float]]:
    """(label, seconds per step, measured seconds) per page of ``path`` read with the
    profile on, then one row for the whole document's matching when ``match`` (a
    callable taking the Document) is given."""
    import extractors
    from extractors.ocr import OcrOptions
    from extractors.options import ReadOptions
    doc = extractors.read(path, ReadOptions(ocr=OcrOptions(jobs=jobs, cache_dir=None, profile=True)))
    rows = []
    for p in doc.pages:
        st = getattr(p, "ocr_stats", None) or {}
        if "steps" in st:
            rows.append((f"{path.name}#{p.number}", dict(st["steps"]), float(st["seconds"])))
    if match is not None:
        t0 = time.perf_counter()
        match(doc)
        dt = time.perf_counter() - t0
        rows.append((f"{path.name} (all)", {"match": dt}, dt))
    return rows


def run_bench(args, match=None) -> int:
    """``match``: the Document -> Report step, timed in the profile (given by the pipeline)."""
    from extractors import ocr_profile, tesseract
    ok, msg = tesseract.is_available("vie")
    print(f"OCR: {msg}")
    with tempfile.TemporaryDirectory(prefix="dti-bench-") as td:
        tmp = Path(td)
        files = [Path(f) for f in args.files] or _default_files(tmp)
        per_format: dict[str, list[float]] = {}
        scans: list[Path] = []
        for f in files:
            t0 = time.perf_counter()
            try:
                fmt, pages = _read(f, args.jobs)
            except Exception as e:  # a bench reports, it doesn't stop
                print(f"{f}: {e}")
                continue
            dt = time.perf_counter() - t0
            if fmt in ("pdf-scanned", "image"):
                scans.append(f)
            acc = per_format.setdefault(fmt, [0.0, 0.0])
            acc[0] += len(pages)
            acc[1] += dt
            print(f"{f}: {fmt}, {len(pages)} pages, {dt:.2f} s")
        for fmt, (n, dt) in sorted(per_format.items()):
            print(f"{fmt:12s} {n / dt if dt else 0:6.2f} pages/s ({int(n)} pages, jobs={args.jobs})")
        if ok and getattr(args, "profile", False) and scans:
            rows = [r for f in scans for r in profile_rows(f, args.jobs, match)]
            print(f"seconds per page and step ({args.jobs} pages at a time; a page's 'measured' is its own "
                  f"wall time, a tesseract call inside a step counts to that step):")
            print(ocr_profile.table(rows))
        if ok and not args.no_ratio:
            tot: dict[str, list[float]] = {}
            for f in scans:
                for kind, (a, b, n) in _ratio(f, tmp, args.jobs).items():
                    acc = tot.setdefault(kind, [0.0, 0.0, 0])
                    acc[0], acc[1], acc[2] = acc[0] + a, acc[1] + b, acc[2] + n
            for kind, (ours, plain, npages) in sorted(tot.items()):
                if plain:
                    print(f"OCR time vs plain `tesseract IMG - -l vie`, {kind}s ({int(npages)} pages, page images "
                          f"at their native resolution, {args.jobs} at a time): {ours:.2f} s / {plain:.2f} s = "
                          f"{ours / plain:.2f} (target <= {RATIO_TARGET[kind]:.2f})")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # no figure for the children: their ru_maxrss includes this process's pages they
    # held between fork and exec, so it only ever repeated this one
    print(f"peak memory: {own:.0f} MiB (this process; tesseract beside it ~50-80 MiB a page)")
    return 0
