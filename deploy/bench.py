"""``dti bench pipeline --n N``: a generated batch through the whole pipeline, timed by stage.

The batch is N copies of the sample reports (all formats found in samples/),
each changed by a few bytes where readers ignore them (the zip comment of a
Word/ODT file, a trailing comment after a PDF's %%EOF, bytes after an
image's end marker) so every copy has its own SHA-256 and is really read.
It runs in a throw-away folder with its own SQLite file: the project's store
is not touched.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

from settings.config import PipelineConfig, var_dir

ZIP_SUFFIXES = {".docx", ".odt", ".xlsx"}


def make_variant(src: Path, dest: Path, n: int) -> None:
    shutil.copyfile(src, dest)
    if src.suffix.lower() in ZIP_SUFFIXES:
        with zipfile.ZipFile(dest, "a") as z:
            z.comment = f"dti-bench {n}".encode()
    elif src.suffix.lower() == ".pdf":
        with open(dest, "ab") as f:
            f.write(f"\n%dti-bench {n}\n".encode())
    else:   # images, .doc, text: trailing bytes after the end marker are ignored by readers
        with open(dest, "ab") as f:
            f.write(f"\ndti-bench {n}\n".encode())


# what a province's round looks like (issue #23: most reports are scans and photos), in tenths
PROVINCE_MIX = ("word", "text-pdf", "scan", "scan", "photo", "word", "text-pdf", "scan", "scan", "photo")


def kind_of(path: Path) -> str:
    """word | text-pdf | scan (a PDF without a text layer) | photo (an image file)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(path)
        try:
            text = pdf[0].get_textpage().get_text_range() if len(pdf) else ""
        finally:
            pdf.close()
        return "text-pdf" if len(text.strip()) >= 40 else "scan"
    if suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp"):
        return "photo"
    return "word"


def sample_reports(source: Path) -> list[Path]:
    from pipeline.inbox import REPORT_SUFFIXES
    samples = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                     and not p.name.startswith(".") and "decisions" not in p.relative_to(source).parts[:-1])
    if not samples:
        raise SystemExit(f"dti bench pipeline: không có báo cáo mẫu trong {source} / no sample reports in {source}")
    return samples


def make_batch(source: Path, inbox: Path, n: int, offset: int = 0, mix: str | None = None) -> list[Path]:
    """N variants of the sample reports: in turn, or with ``mix="province"`` in PROVINCE_MIX's shares."""
    samples = sample_reports(source)
    order = samples
    if mix == "province":
        by_kind: dict[str, list[Path]] = {}
        for p in samples:
            by_kind.setdefault(kind_of(p), []).append(p)
        missing = [k for k in dict.fromkeys(PROVINCE_MIX) if k not in by_kind]
        if missing:
            raise SystemExit(f"dti bench pipeline: thiếu mẫu loại {', '.join(missing)} trong {source} / "
                             f"no {', '.join(missing)} sample in {source}")
        seen = {k: 0 for k in by_kind}
        order = []
        for i in range(n):
            kind = PROVINCE_MIX[i % len(PROVINCE_MIX)]
            order.append(by_kind[kind][seen[kind] % len(by_kind[kind])])
            seen[kind] += 1
    elif mix:
        raise SystemExit(f"dti bench pipeline: --mix {mix}? chỉ có / only 'province'")
    inbox.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = order[i % len(order)]
        dest = inbox / f"{i + offset:04d}-{src.name}"
        make_variant(src, dest, i + offset)
        out.append(dest)
    return out


class PeakMemory:
    """Peak resident memory, sampled: this process (the parent), the largest reading process
    (``pipeline.child``, with and without the tesseract / LibreOffice it runs), and all of them
    together at one moment.  Apart, so a leak shows where it is."""

    def __init__(self, every: float = 0.1, roots: list | None = None):
        import psutil
        # roots: the processes whose trees make the pipeline (default this one); "parent" is their own RSS
        self.roots, self.every = roots or [psutil.Process()], every
        self.peak = self.parent = self.reader = self.reader_tree = 0
        self.at_peak: list[tuple[str, int]] = []    # (program, RSS) of every process at the peak
        self.unexeced = 0      # largest child seen between fork and exec (not counted, see sample)
        self.pss_peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss(p) -> int:
        import psutil
        try:
            return p.memory_info().rss
        except psutil.Error:
            return 0

    @staticmethod
    def _pss(p) -> int:
        import psutil
        try:
            return getattr(p.memory_full_info(), "pss", 0)
        except (psutil.Error, OSError):
            return 0

    @staticmethod
    def _cmdline(p) -> tuple:
        import psutil
        try:
            return tuple(p.cmdline())
        except psutil.Error:
            return ()

    @staticmethod
    def _name(p) -> str:
        """A process told by what it runs: the module of a Python child, else its program."""
        import psutil
        try:
            cmd = p.cmdline()
        except psutil.Error:
            return "?"
        if len(cmd) > 2 and cmd[1] == "-m":
            return cmd[2]
        return Path(cmd[0]).name if cmd else "?"

    def sample(self) -> None:
        import psutil
        kids = []
        for root in self.roots:
            try:
                kids += root.children(recursive=True)
            except psutil.Error:
                pass
        rss = {p.pid: self._rss(p) for p in kids}
        cmds = {p.pid: self._cmdline(p) for p in [*self.roots, *kids]}
        for p in kids:
            # a child forked but not yet running its program (subprocess's fork/vfork before
            # exec) still shows its parent's command line and its parent's pages as its own
            # RSS: 250-330 MiB of a reading process counted twice.  Its pages are its parent's.
            try:
                ppid = p.ppid()
            except psutil.Error:
                continue
            if cmds.get(p.pid) and cmds.get(p.pid) == cmds.get(ppid):
                self.unexeced = max(self.unexeced, rss[p.pid])
                rss[p.pid] = 0
        parent = sum(self._rss(r) for r in self.roots)
        # proportional set size: a page shared by k processes (the libraries every reading
        # process maps: numpy, OpenCV, the matcher's models) counts 1/k in each, so the sum
        # is what the pipeline holds; the RSS sum counts those pages once per process
        pss = sum(self._pss(p) for p in [*self.roots, *kids] if rss.get(p.pid, 1))
        self.pss_peak = max(self.pss_peak, pss)
        self.parent = max(self.parent, parent)
        if parent + sum(rss.values()) > self.peak:
            self.peak = parent + sum(rss.values())
            self.at_peak = [("parent", parent)] + [(self._name(p), rss[p.pid]) for p in kids]
        for p in kids:
            try:
                if "pipeline.child" not in p.cmdline():
                    continue
                tree = sum(rss.get(c.pid, 0) for c in p.children(recursive=True))
            except psutil.Error:
                continue
            self.reader = max(self.reader, rss.get(p.pid, 0))
            self.reader_tree = max(self.reader_tree, rss.get(p.pid, 0) + tree)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def __enter__(self) -> "PeakMemory":
        self._t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._t.join()

    def lines(self) -> list[str]:
        mib = 2 ** 20
        return [f"  peak memory, whole pipeline (parent + reading processes + their tesseract): "
                f"{self.peak / mib:.0f} MiB summed RSS, {self.pss_peak / mib:.0f} MiB summed PSS "
                f"(shared library pages counted once)",
                f"    parent {self.parent / mib:.0f} MiB; largest reading process {self.reader / mib:.0f} MiB "
                f"({self.reader_tree / mib:.0f} MiB with the programs it ran)",
                "    at the peak: " + ", ".join(f"{name} {rss / mib:.0f}" for name, rss in
                                               sorted(self.at_peak, key=lambda x: -x[1])) + " MiB"]  + (
                [f"    not counted: a child between fork and exec, up to {self.unexeced / mib:.0f} MiB "
                 f"(its parent's own pages)"] if self.unexeced else [])


def stage_sums(outcomes) -> dict[str, float]:
    sums = {k: 0.0 for k in ("read", "match", "score", "store", "worker")}
    for o in outcomes:
        for k in sums:
            sums[k] += float(o.times.get(k) or 0.0)
    return sums


def bench_pipeline(n: int, source: Path, with_prefect: bool = False, mix: str | None = None) -> int:
    from pipeline.batch import context, run_pass
    from store.store import Store

    var_dir().mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="bench-", dir=var_dir()))
    try:
        cfg = PipelineConfig(inbox=root / "inbox", database_url=f"sqlite:///{root / 'bench.sqlite'}",
                             stable_seconds=0, log_dir=root / "logs")
        batch = make_batch(source, cfg.inbox, n, mix=mix)
        kinds = Counter(kind_of(p) for p in batch) if mix else None
        store = Store(cfg.database_url)
        t = time.perf_counter()
        context(cfg, store).pool.warm()
        startup = time.perf_counter() - t
        with PeakMemory() as mem:
            s = run_pass(cfg, store=store, kind="bench")
        done = [o for o in s.outcomes if o.status == "processed"]
        pages = sum(o.pages for o in done)
        sums = stage_sums(done)
        busy = sums["worker"] + sums["store"]
        # what the orchestration costs beyond the reading itself, on cfg.workers parallel lanes
        overhead = max(0.0, s.wall - busy / max(1, cfg.workers))
        per_min = 60.0 / s.wall if s.wall else 0.0
        print(f"Lô / batch: {n} báo cáo / reports from {source}, {cfg.workers} workers"
              + (f" ({mix}: " + ", ".join(f"{v} {k}" for k, v in kinds.items()) + ")" if kinds else ""))
        print(f"  processed {len(done)}, quarantined {s.count('quarantined')}, skipped {s.count('skipped')}")
        print(f"  start-up (worker processes, imports): {startup:.2f} s (not in the figures below)")
        print(f"  wall time: {s.wall:.2f} s  ->  {len(done) * per_min:.1f} reports/min, {pages * per_min:.1f} pages/min"
              f" ({len(done) / s.wall if s.wall else 0:.1f} reports/s)")
        print("  time by stage (summed over reports, seconds):")
        for k in ("read", "match", "score", "store"):
            share = 100 * sums[k] / busy if busy else 0
            print(f"    {'extract' if k == 'read' else k:<8} {sums[k]:8.2f}  ({share:4.1f} % of work)")
        ipc = max(0.0, sums["worker"] - sums["read"] - sums["match"] - sums["score"])
        print(f"    worker IPC/JSON {ipc:8.2f}")
        print(f"  orchestration overhead (claim, hash, moves, waits): {overhead:.2f} s"
              f" = {100 * overhead / s.wall if s.wall else 0:.1f} % of wall")
        print(f"  store share of wall: {100 * sums['store'] / max(1, cfg.workers) / s.wall if s.wall else 0:.1f} %")
        if with_prefect:
            from pipeline.flow import run_with_prefect
            make_batch(source, cfg.inbox, n, offset=n, mix=mix)
            t = time.perf_counter()
            sp = run_with_prefect(cfg)
            total = time.perf_counter() - t
            print(f"  Prefect flow run of another {n}: {total:.2f} s in all (flow body {sp.wall:.2f} s); "
                  f"Prefect overhead vs the plain pass: {total - s.wall:+.2f} s")
        else:
            print("  Prefect overhead: not in this path (dti run without a server); measure with --prefect")
        print("\n".join(mem.lines()))
        print(f"    reading processes replaced (DTI_READER_MAX_REPORTS / DTI_READER_MEMORY_MB): "
              f"{context(cfg, store).pool.recycled()}")
    finally:
        from pipeline.workers import close_pools
        close_pools()
        shutil.rmtree(root, ignore_errors=True)
    return 0
