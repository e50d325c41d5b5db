"""``dti bench run FOLDER``: ``dti run`` on a folder of scans and photos against plain
tesseract on the same pages, one after the other in one run.

Plain tesseract (``tesseract IMG - -l vie``) reads the page images at their native
resolution (``extractors.bench.native_images``), ``--jobs`` at a time; then ``dti
run`` reads the same files from its own temporary inbox into its own temporary
store (``DTI_VAR_DIR``), start-up included: what an official would wait for.  The
project's own store and inbox are not touched."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def add_parser(bench_sub) -> None:
    p = bench_sub.add_parser("run", help="dti run so với tesseract thuần / dti run against plain tesseract")
    p.add_argument("folder", type=Path, help="thư mục bản quét, ảnh chụp / folder of scans and photos")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="trang tesseract đọc cùng lúc / plain tesseract pages at a time")
    p.add_argument("--repeat", type=int, default=1, help="số lần đo / measurements (each side, alternating)")
    p.set_defaults(handler=run)


def _files(folder: Path) -> list[Path]:
    from pipeline.inbox import REPORT_SUFFIXES
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)


def time_dti_run(files: list[Path], root: Path) -> tuple[float, int, float]:
    """(wall seconds, reports stored, peak MiB of dti run and everything it started)."""
    import psutil
    from deploy.bench import PeakMemory
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    for f in files:
        shutil.copyfile(f, inbox / f.name)
    env = dict(os.environ, DTI_VAR_DIR=str(root / "var"))
    env.pop("DTI_DATABASE_URL", None)
    env.pop("DTI_INBOX", None)
    exe = str(Path(sys.executable).with_name("dti"))
    t0 = time.perf_counter()
    proc = subprocess.Popen([exe, "run", "--inbox", str(inbox), "--stable-seconds", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with PeakMemory(roots=[psutil.Process(proc.pid)]) as mem:
        out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.stderr.write(out.decode("utf-8", "replace")[-2000:])
    from store.store import Store
    store = Store(f"sqlite:///{root / 'var' / 'dti.sqlite'}")
    try:
        stored = store.counts()["reports"]
    finally:
        store.close()
    return wall, stored, mem.peak / 2 ** 20


def run(args) -> int:
    from extractors import bench
    files = _files(args.folder)
    if not files:
        print(f"{args.folder}: không có tệp báo cáo / no report files")
        return 1
    with tempfile.TemporaryDirectory(prefix="dti-bench-run-") as td:
        tmp = Path(td)
        imgs = [img for f in files for img in bench.native_images(f, tmp)]
        plains, ours = [], []
        for k in range(max(1, args.repeat)):
            plains.append(bench.plain_tesseract(imgs, args.jobs))
            wall, stored, peak = time_dti_run(files, tmp / f"run{k}")
            ours.append(wall)
            print(f"  run {k + 1}: plain tesseract {plains[-1]:.1f} s, dti run {wall:.1f} s "
                  f"({stored} reports stored, peak {peak:.0f} MiB) = {wall / plains[-1]:.2f}x")
        p, o = sorted(plains)[len(plains) // 2], sorted(ours)[len(ours) // 2]
        print(f"{len(files)} files, {len(imgs)} pages: plain `tesseract IMG - -l vie` at native resolution, "
              f"{args.jobs} at a time: {p:.1f} s; `dti run`: {o:.1f} s; ratio {o / p:.2f} (target <= 1.5)")
    return 0
