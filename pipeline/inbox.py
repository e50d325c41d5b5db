"""The inbox folder and a report's moves through it.

    inbox/… ─(size stable)─▶ processing/<sha>/… ─▶ archive/YYYY-MM-DD/…
                                                 └▶ quarantine/… + ….reason.txt

Every move is one ``os.rename`` inside the same folder tree (the state
folders live inside the inbox by default), so a crash leaves each file in
exactly one place, and the sweep at start resumes what is in ``processing/``.
The folder is polled: inboxes are often network shares where file events
never fire.  Symlinks and the pipeline's own folders are never read.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from extractors.detect import sha256_file as sha256_of  # the report's identity, one definition
from store import filenames
from settings.config import STATE_DIRS, PipelineConfig

# what copy tools, Word and the OS leave while writing or browsing: never reports
# what `dti run --from` copies in and `dti bench pipeline` takes from a folder as reports
REPORT_SUFFIXES = {".docx", ".doc", ".odt", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp",
                   ".webp", ".txt"}
SKIP_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".reason.txt", ".note.txt")
SKIP_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass
class Claim:
    """A file this run owns: moved into processing/, not yet archived or quarantined."""
    path: Path          # where it is now (inside processing/)
    rel: str            # where it was, relative to the inbox (kept in the archive)
    sha256: str
    size: int

    @property
    def name(self) -> str:
        """``rel`` as text (``store.filenames.text``): what the store keeps and messages print."""
        return filenames.text(self.rel)


@dataclass
class Scan:
    files: list[Path]
    refused: list[Path]     # symlinks: reported, never followed


def _unique(path: Path) -> Path:
    """``path``, or ``name (2).ext`` etc. when it is taken: an archive never overwrites."""
    if not os.path.lexists(path):
        return path
    for n in range(2, 10_000):
        cand = path.with_name(filenames.fits(path.stem, f" ({n}){path.suffix}"))
        if not os.path.lexists(cand):
            return cand
    raise FileExistsError(path)


def _beside(path: Path, suffix: str) -> Path:
    """The file the pipeline writes next to a report (its note or reason), within NAME_MAX."""
    return path.with_name(filenames.fits(path.name, suffix))


class Inbox:
    def __init__(self, cfg: PipelineConfig):
        self.cfg = cfg
        self.root = cfg.inbox
        self._state = {Path(p) for p in (cfg.processing, cfg.archive, cfg.quarantine)}

    def ensure(self) -> None:
        for p in (self.root, *self._state):
            p.mkdir(parents=True, exist_ok=True)

    # ---- finding files -------------------------------------------------------------------
    def _skip_name(self, name: str) -> bool:
        low = name.lower()
        return name.startswith((".", "~$")) or low in SKIP_NAMES or low.endswith(SKIP_SUFFIXES)

    def scan(self) -> Scan:
        """Regular files under the inbox, oldest first; never inside the state folders."""
        files, refused = [], []
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            here = Path(dirpath)
            keep = []
            for d in dirnames:
                p = here / d
                if p.is_symlink():
                    refused.append(p)
                elif d.lower() in STATE_DIRS or p in self._state or d.startswith("."):
                    continue
                else:
                    keep.append(d)
            dirnames[:] = sorted(keep)
            for name in filenames:
                p = here / name
                if self._skip_name(name):
                    continue
                if p.is_symlink():
                    refused.append(p)
                elif p.is_file():
                    files.append(p)
        sigs = {p: self._sig(p) for p in files}
        files = sorted((p for p in files if sigs[p]), key=lambda p: (sigs[p][1], str(p)))
        return Scan(files, refused)

    def stable(self, files: list[Path], seconds: float | None = None, max_wait: float | None = None) -> tuple[list[Path], list[Path]]:
        """Split into (stable, still-arriving): a file is taken once its size and mtime have
        not changed for ``seconds``; this waits up to ``max_wait`` (3 × seconds) for late ones."""
        seconds = self.cfg.stable_seconds if seconds is None else seconds
        if seconds <= 0:
            return [p for p in files if p.exists()], []
        max_wait = 3 * seconds if max_wait is None else max_wait
        first = {p: self._sig(p) for p in files}
        deadline = time.monotonic() + max_wait
        stable: list[Path] = []
        pending = [p for p in files if first[p] is not None]
        while pending:
            now = time.time()
            still = []
            for p in pending:
                sig = self._sig(p)
                if sig is None:
                    continue                            # gone (another run took it)
                if sig == first[p] and now - sig[1] >= seconds:
                    stable.append(p)
                else:
                    first[p] = sig
                    still.append(p)
            pending = still
            if not pending or time.monotonic() >= deadline:
                break
            time.sleep(min(0.5, seconds / 2))
        return stable, pending

    @staticmethod
    def _sig(p: Path) -> tuple[int, float] | None:
        try:
            st = p.stat()
        except FileNotFoundError:
            return None
        return st.st_size, st.st_mtime

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # ---- moves ---------------------------------------------------------------------------
    def claim(self, path: Path, sha256: str | None = None) -> Claim | None:
        """Move ``path`` into processing/ (one rename); None if someone else took it first."""
        rel = self.rel(path)
        try:
            size = path.stat().st_size
            sha = sha256 or sha256_of(path)
        except FileNotFoundError:
            return None
        dest = Path(self.cfg.processing) / sha[:16] / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():          # the same bytes under the same name are already being processed
            return None
        try:
            os.rename(path, dest)
        except FileNotFoundError:
            return None
        return Claim(dest, rel, sha, size)

    def sweep(self) -> list[Claim]:
        """What a crash left in processing/: each file is claimed again as it is."""
        out = []
        base = Path(self.cfg.processing)
        if not base.is_dir():
            return out
        for shadir in sorted(base.iterdir()):
            if not shadir.is_dir() or shadir.is_symlink() or shadir.name.startswith("."):
                continue
            for dirpath, _dirs, names in os.walk(shadir, followlinks=False):
                for name in names:
                    p = Path(dirpath) / name
                    if p.is_symlink() or not p.is_file():
                        continue
                    try:
                        out.append(Claim(p, p.relative_to(shadir).as_posix(), sha256_of(p), p.stat().st_size))
                    except OSError:         # gone meanwhile (another pass), or unreadable: left as it is
                        continue
        return out

    @contextmanager
    def for_reading(self, claim: Claim) -> Iterator[Path]:
        """The claimed file under a name every reader takes.  A name that is not UTF-8, holds a
        control character or is near NAME_MAX is read through a hard link (a copy where links
        are refused) named by ``filenames.text``, in processing/.reading/: the readers, their
        JSON channel and the tools they start (LibreOffice, tesseract) only ever see text."""
        name = claim.path.name
        safe = filenames.text(name)
        if filenames.text(str(claim.path)) == str(claim.path) and len(os.fsencode(name)) <= 200:
            yield claim.path        # the whole path, folders too: a subfolder's name may be bytes
            return
        stem, suffix = Path(safe).stem, Path(safe).suffix
        if len(suffix.encode()) > 16:
            stem, suffix = safe, ""
        folder = Path(self.cfg.processing) / ".reading" / f"{claim.sha256[:16]}-{os.getpid()}-{threading.get_ident()}"
        folder.mkdir(parents=True, exist_ok=True)
        link = folder / filenames.fits(stem.replace("\\", "_")[:100], suffix)
        try:
            link.unlink(missing_ok=True)
            try:
                os.link(claim.path, link)
            except OSError:
                shutil.copyfile(claim.path, link)
            yield link
        finally:
            link.unlink(missing_ok=True)
            for p in (folder, folder.parent):
                try:
                    p.rmdir()
                except OSError:
                    break

    def archive(self, claim: Claim, note: str | None = None, day: date | None = None) -> Path:
        """Move a finished report to archive/YYYY-MM-DD/<its inbox path>, with an optional note beside it."""
        day = day or date.today()
        dest = _unique(Path(self.cfg.archive) / day.isoformat() / claim.rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if note:
            _beside(dest, ".note.txt").write_text(filenames.clean(note) + "\n", encoding="utf-8")
        os.rename(claim.path, dest)
        self._prune(claim.path.parent)
        return dest

    def quarantine(self, claim: Claim, what_vi: str, what_en: str, detail: str = "") -> Path:
        """Move a failed report to quarantine/ with NAME.reason.txt saying what failed (vi + en).
        The reason is written first: a crash between the two leaves the file in processing/,
        and the sweep simply tries it again."""
        dest = _unique(Path(self.cfg.quarantine) / claim.rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = (f"Tệp / File: {filenames.shown(claim.rel)}\n"
                f"SHA-256: {claim.sha256}\n"
                f"Thời điểm / At: {datetime.now().isoformat(timespec='seconds')}\n\n"
                f"Lý do: {what_vi}\n"
                f"Reason: {what_en}\n")
        if detail:
            text += f"\nChi tiết / Detail:\n{detail.strip()}\n"
        text += ("\nSửa tệp hoặc gửi lại bản khác rồi chép vào hộp thư đến; tệp này sẽ không được xử lý lại tự động.\n"
                 "Fix or replace the file and drop it into the inbox again; this copy is not retried automatically.\n")
        _beside(dest, ".reason.txt").write_text(filenames.clean(text), encoding="utf-8")
        os.rename(claim.path, dest)
        self._prune(claim.path.parent)
        return dest

    def _prune(self, folder: Path) -> None:
        """Remove the emptied processing/<sha>/... folders (never processing/ itself)."""
        base = Path(self.cfg.processing)
        while folder != base and base in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent
