"""Where a stored report's original is, for the review page's crops and ``dti reprocess``.

The store does not (yet) record the archived path: ``reports.file_names`` hold the names
relative to the inbox, ``runs.inbox`` the inbox, and the pipeline moves each file to
``<inbox>/archive/YYYY-MM-DD/<name>`` (``name (2).ext`` when taken).  This is the one place
that knows this.  A candidate is used only when its SHA-256 equals the stored report's, so a
stored name (data) can never make us read another file.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

from extractors.detect import sha256_file as sha256_of  # the report's identity, one definition
from store import filenames
from store.stored import StoredReport

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_found: dict[tuple[int, str], Path] = {}
_lock = threading.Lock()


def _inside(root: Path, rel: str) -> Path | None:
    """root/rel when rel stays inside root (a stored name is data, never trusted as a path)."""
    if not rel or Path(rel).is_absolute() or ".." in Path(rel).parts:
        return None
    return root / rel


def _variants(path: Path) -> list[Path]:
    """The name and the `name (2).ext` forms the archive uses when a name is taken."""
    return [path] + [path.with_name(f"{path.stem} ({i}){path.suffix}") for i in range(2, 6)]


def _candidates(report: StoredReport, archive_roots: list[Path]) -> list[Path]:
    names = [n for n in [*(report.file_names or []), report.file_name,
                         (report.original_document or report.document).get("file")] if n]
    out: list[Path] = []
    # a stored name is text: one that was not UTF-8 on disk is stored escaped (store.filenames)
    for name in dict.fromkeys(n for stored in names for n in filenames.on_disk(stored)):
        p = Path(name)
        if p.is_absolute():
            out.append(p)         # a file processed in place (`dti extract`, tests): still hash-checked
        for root in archive_roots:
            if not root.is_dir():
                continue
            days = sorted((d for d in root.iterdir() if d.is_dir() and _DAY.match(d.name)), reverse=True)
            for day in days:
                base = _inside(day, name)
                if base is not None:
                    out.extend(_variants(base))
        if not p.is_absolute():
            out.append(p)         # relative to where the server runs
    return out


def archive_roots(report: StoredReport, run_inbox: str | None, configured: list[Path]) -> list[Path]:
    roots = [Path(p) for p in configured]
    if run_inbox:
        roots.append(Path(run_inbox) / "archive")
    return roots


def original_path(report: StoredReport, run_inbox: str | None = None,
                  configured: list[Path] | None = None) -> Path | None:
    """The stored original of a report (``Store.get_report``), or None when it cannot be found."""
    key = (int(report.id), report.sha256)
    with _lock:
        hit = _found.get(key)
    if hit is not None and hit.is_file():
        return hit
    for cand in _candidates(report, archive_roots(report, run_inbox, configured or [])):
        try:
            if cand.is_file() and not cand.is_symlink() and sha256_of(cand) == report.sha256:
                with _lock:
                    _found[key] = cand
                return cand
        except OSError:
            continue
    return None


