"""Build the project's sample corpus (samples/README.md says what each file is for).

    .venv/bin/python samples/make_samples.py [--out samples/] [--only docx | NAME ...]

Word files are built with python-docx and are byte-identical between runs;
PDFs come from LibreOffice (headless, throw-away profile); the scan and the
photo are derived from those PDFs with seeded noise.  ``--only docx`` skips
LibreOffice and the image work (what the tests regenerate).
"""
from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from samplegen import degrade, hoabinh_decision, hungson, huongxuan, hungyen, render, tuachua, twopage  # noqa: E402

DOCX = {
    "hungson-2022.docx": hungson.build,
    "hungyen-2024-criteria.docx": hungyen.build,
    "huongxuan-2020-narrative.docx": huongxuan.build,
    "tuachua-ranking.docx": tuachua.build,
    # a province's decision, not a report: kept under decisions/, which `dti run --from` skips
    "decisions/hoabinh-1153-phuluc4.docx":
        lambda out: hoabinh_decision.build(out / "decisions" / "hoabinh-1153-phuluc4.docx"),
}
DERIVED = ["hungson-2022.pdf", "hungson-2022-scan.pdf", "photo-hungyen.jpg", "two-page-table.pdf",
           "photo-pages-hungson.pdf", "turned-scan-twopage.pdf"]
ALL = list(DOCX) + DERIVED
SCAN_SEED, PHOTO_SEED = 2022_065, 2024_118
PHOTO_PDF_SEED, TURNED_SEED = 2024_315, 2023_270
# a phone over the page on a dark desk, warm light, vignette; sent through a chat app (1600 px)
CHAT_PHOTO = degrade.PhotoNoise(canvas=(2000, 2800), jitter=45, light_falloff=0.3, shadow_depth=0.25,
                                blur_sigma=0.8, grain_sigma=3.5, jpeg_quality=72, desk=(42, 36, 32),
                                vignette=0.25, tint=(1.0, 0.95, 0.84), margin=1.2, long_side=1600)
# per page (cycled): clockwise turn as fed to the scanner, skew in degrees
TURNS = [(270, -4.5), (180, 3.0), (90, 4.0)]


def build(out: Path, only: list[str] | None = None) -> list[Path]:
    wanted = set(ALL if not only else (list(DOCX) if only == ["docx"] else only))
    unknown = wanted - set(ALL)
    if unknown:
        raise SystemExit(f"không biết tệp / unknown sample: {sorted(unknown)}; known: {ALL}")
    out.mkdir(parents=True, exist_ok=True)
    made = [fn(out) for name, fn in DOCX.items() if name in wanted]
    if not wanted & set(DERIVED):
        return made
    with tempfile.TemporaryDirectory(prefix="dti-samples-") as tmp:
        tmp = Path(tmp)
        srcs = {
            "hungson": hungson.build(tmp),
            "hungyen": hungyen.build(tmp),
            "twopage": twopage.build(tmp),
        }
        pdfs = dict(zip(srcs, render.to_pdf(list(srcs.values()), tmp / "pdf")))
        if "hungson-2022.pdf" in wanted:
            made.append(Path(shutil.copyfile(pdfs["hungson"], out / "hungson-2022.pdf")))
        if "two-page-table.pdf" in wanted:
            made.append(Path(shutil.copyfile(pdfs["twopage"], out / "two-page-table.pdf")))
        if "hungson-2022-scan.pdf" in wanted:
            made.append(make_scan(pdfs["hungson"], out / "hungson-2022-scan.pdf"))
        if "photo-hungyen.jpg" in wanted:
            made.append(make_photo(pdfs["hungyen"], out / "photo-hungyen.jpg"))
        if "photo-pages-hungson.pdf" in wanted:
            made.append(make_photo_pdf(pdfs["hungson"], out / "photo-pages-hungson.pdf"))
        if "turned-scan-twopage.pdf" in wanted:
            made.append(make_turned_scan(pdfs["twopage"], out / "turned-scan-twopage.pdf"))
    return made


def make_scan(pdf: Path, target: Path, cfg: degrade.ScanNoise = degrade.ScanNoise()) -> Path:
    rng = np.random.default_rng(SCAN_SEED)
    pages = [degrade.scan_page(p, rng, cfg) for p in render.rasterise(pdf, cfg.dpi, grayscale=True)]
    return degrade.images_to_pdf(pages, target, dpi=cfg.dpi, quality=cfg.jpeg_quality,
                                 title="hungson-2022 (scan)")


def make_photo(pdf: Path, target: Path, cfg: degrade.PhotoNoise = degrade.PhotoNoise()) -> Path:
    rng = np.random.default_rng(PHOTO_SEED)
    page = render.rasterise(pdf, 170, pages=[0])[0]
    photo = degrade.phone_photo(page, rng, cfg)
    return degrade.save_with_orientation(photo, target, quality=cfg.jpeg_quality)


def make_photo_pdf(pdf: Path, target: Path, cfg: degrade.PhotoNoise = CHAT_PHOTO) -> Path:
    """Every page photographed on its own (own perspective, light, shadow),
    the photos put into one PDF as a phone scanning app does."""
    rng = np.random.default_rng(PHOTO_PDF_SEED)
    photos = [degrade.phone_photo(p, rng, cfg) for p in render.rasterise(pdf, 240)]
    return degrade.images_to_pdf(photos, target, dpi=200, quality=cfg.jpeg_quality, title="hungson-2022 (photos)")


def make_turned_scan(pdf: Path, target: Path, cfg: degrade.ScanNoise = degrade.ScanNoise()) -> Path:
    rng = np.random.default_rng(TURNED_SEED)
    pages = [degrade.turned_scan(p, rng, turn, skew, cfg)
             for p, (turn, skew) in zip(render.rasterise(pdf, cfg.dpi, grayscale=True), itertools.cycle(TURNS))]
    return degrade.images_to_pdf(pages, target, dpi=cfg.dpi, quality=cfg.jpeg_quality,
                                 title="two-page-table (turned scan)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: samples/)")
    ap.add_argument("--only", nargs="+", metavar="NAME",
                    help=f"'docx' or some of: {', '.join(ALL)}")
    args = ap.parse_args(argv)
    for path in build(args.out, args.only):
        print(f"{path}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
