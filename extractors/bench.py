"""``dti bench extract [FILES…]``: reading speed per format, OCR overhead, memory.

For scans and photos it also times plain ``tesseract IMG - -l vie`` on the
same page images at the same dpi, both sides with every core busy (``--jobs``
pages at a time), and prints the ratio per kind honestly (targets: scans
<= 1.20, photos <= 1.40): the pipeline adds preprocessing (sheet cut-out,
perspective, light), layout and the rereads of doubtful cells.
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


def register_bench(bench_sub) -> None:
    p = bench_sub.add_parser("extract", help="tốc độ đọc tệp / extraction speed per format")
    p.add_argument("files", nargs="*", help="files (default: scans in samples/, else a generated page)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--no-ratio", action="store_true", help="skip the plain-tesseract comparison")
    p.set_defaults(handler=run_bench)


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


def _ratio(path: Path, tmp: Path, jobs: int) -> dict[str, list[float]]:
    """Per kind of page ("scan", "photo"): [pipeline OCR seconds, plain tesseract
    seconds, pages].  Both sides run ``jobs`` pages at a time (every core busy,
    as in production): the pipeline through its own thread pool, plain
    tesseract as ``jobs`` processes on the page images the pipeline read (its
    render at the dpi it chose), so the ratio is wall time against wall time."""
    from concurrent.futures import ThreadPoolExecutor
    from extractors import ocr, tesseract  # OpenCV and pdfium load only for a bench run
    opts = ocr.OcrOptions(jobs=jobs, cache_dir=None)
    sources = _sources(path)
    t0 = time.perf_counter()
    pages = ocr.ocr_sources(sources, list(range(1, len(sources) + 1)), opts)
    ours = time.perf_counter() - t0
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    imgs = []
    for src, page in zip(sources, pages):
        img = tmp / f"plain-{path.stem}-{page.number}.png"
        src.render(page.dpi or opts.dpi).save(img, dpi=(page.dpi, page.dpi))
        imgs.append(img)

    def plain_one(img: Path) -> None:
        subprocess.run([tesseract.binary() or "tesseract", str(img), "-", "-l", "vie"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(imgs)))) as ex:
        list(ex.map(plain_one, imgs))
    plain = time.perf_counter() - t0
    # a photo: the sheet was cut out of its background (image or PDF page)
    kind = "photo" if any(getattr(p, "ocr_stats", {}).get("sheet_cut") for p in pages) else "scan"
    return {kind: [ours, plain, len(pages)]}


RATIO_TARGET = {"scan": 1.20, "photo": 1.40}


def run_bench(args) -> int:
    from extractors import tesseract
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
        if ok and not args.no_ratio:
            tot: dict[str, list[float]] = {}
            for f in scans:
                for kind, (a, b, n) in _ratio(f, tmp, args.jobs).items():
                    acc = tot.setdefault(kind, [0.0, 0.0, 0])
                    acc[0], acc[1], acc[2] = acc[0] + a, acc[1] + b, acc[2] + n
            for kind, (ours, plain, npages) in sorted(tot.items()):
                if plain:
                    print(f"OCR time vs plain `tesseract IMG - -l vie`, {kind}s ({int(npages)} pages, same images "
                          f"and dpi, {args.jobs} at a time): {ours:.2f} s / {plain:.2f} s = {ours / plain:.2f} "
                          f"(target <= {RATIO_TARGET[kind]:.2f})")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {own:.0f} MiB (this process), {kids:.0f} MiB (largest child, tesseract)")
    return 0
