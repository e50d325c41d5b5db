"""A folder of unseen scans and phone photos for timing ``dti run`` (``dti bench run``).

    .venv/bin/python -m samples.samplegen.speedset --out /tmp/speedset [--n 21]

Other communes and seeds than the samples: every third report is a commune's
Hùng Sơn-layout score table (``communes``), the others Hòa Bình / Hưng Yên
criteria tables (``unitreports``); two in three are scanned to a PDF at 200
or 300 dpi, the rest photographed page by page into a PDF (a scanning
app's) or, for a one-page photo, a JPEG of the first page.  Nothing here is
measured against a truth: the set times reading, it does not score it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samples.samplegen import communes, degrade, render, unitreports  # noqa: E402

UNITS = ["Tân Lập", "Phú Lương", "Đồng Tâm", "Yên Bình", "Thạch Khoán", "Minh Hòa", "Cự Đồng", "Hương Nộn",
         "Tứ Dân", "Bình Minh", "Quảng Lãng", "Vân Du", "Lạc Hồng", "Trung Nghĩa", "Hòa Phong", "Đại Đồng",
         "Xuân Trúc", "Ngọc Thanh", "An Vĩ", "Toàn Thắng", "Phù Ủng", "Nhật Tân", "Liên Khê", "Đông Kết"]
SEED = 2026_1207
RULESETS = ("hoabinh-2023-xa", "hungyen-2024-xa")
CHAT_PHOTO = degrade.PhotoNoise(canvas=(2000, 2800), jitter=40, desk=(60, 52, 44), long_side=1800)


def build(out: Path, n: int = 21) -> list[Path]:
    from rulesets import load
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    made = []
    with tempfile.TemporaryDirectory(prefix="dti-speedset-") as td:
        tmp = Path(td)
        docx = []
        for i in range(n):
            unit = UNITS[i % len(UNITS)]
            if i % 3 == 0:
                docx.append(communes.commune_report(tmp, f"Xã {unit}", SEED + i, file_name=f"r{i:02d}.docx"))
            else:
                rs = load(RULESETS[i % 2])
                figs = unitreports.figures(rs, SEED + i)
                docx.append(unitreports.build(rs, figs, tmp / f"r{i:02d}.docx", unit=unit))
        pdfs = render.to_pdf(docx, tmp / "pdf")
        for i, pdf in enumerate(pdfs):
            kind = i % 3
            if kind < 2:
                dpi = (200, 300)[kind]
                cfg = replace(degrade.ScanNoise(), dpi=dpi)
                pages = [degrade.scan_page(p, rng, cfg) for p in render.rasterise(pdf, dpi, grayscale=True)]
                made.append(degrade.images_to_pdf(pages, out / f"scan-{i:02d}.pdf", dpi=dpi,
                                                  quality=cfg.jpeg_quality, title=f"scan {i}"))
            elif i % 2:
                photos = [degrade.phone_photo(p, rng, CHAT_PHOTO) for p in render.rasterise(pdf, 240)]
                made.append(degrade.images_to_pdf(photos, out / f"photos-{i:02d}.pdf", dpi=200,
                                                  quality=CHAT_PHOTO.jpeg_quality, title=f"photos {i}"))
            else:
                photo = degrade.phone_photo(render.rasterise(pdf, 170, pages=[0])[0], rng)
                made.append(degrade.save_with_orientation(photo, out / f"photo-{i:02d}.jpg", quality=75))
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=21)
    args = ap.parse_args(argv)
    for p in build(args.out, args.n):
        print(f"{p}  {p.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
