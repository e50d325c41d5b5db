"""The one place that runs LibreOffice (``soffice``) headless.

Each run gets its own temporary folder holding the input copy, the output and
a fresh user profile (``-env:UserInstallation``): two conversions sharing the
default profile block each other or fail silently.  The folder is always
removed; on timeout the whole process group (soffice forks soffice.bin) is
killed.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import CorruptFile, ToolMissing, ToolTimeout
from extractors.procs import kill_group

_CANDIDATES = ("soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice")


def find_soffice() -> str | None:
    for c in _CANDIDATES:
        found = shutil.which(c)
        if found:
            return found
    return None


def is_available() -> tuple[bool, str]:
    """(True, "") or (False, what is missing, in words for the log)."""
    if find_soffice() is None:
        return False, "soffice (Debian package libreoffice-writer-nogui) is not installed"
    return True, ""


@contextlib.contextmanager
def convert(path: str | Path, to: str = "docx", timeout: float = 120,
            filter_options: str = "", input_suffix: str | None = None) -> Iterator[Path]:
    """Convert one file; yields the converted file's path, valid inside the
    ``with`` block only.  ``to`` is a LibreOffice target (docx, odt, doc, pdf);
    ``filter_options`` is appended as ``to:filter_options`` when given."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="dti-soffice-") as tmp:
        work = Path(tmp)
        # a plain ASCII name: soffice mangles some names and picks the
        # import filter partly from the extension
        src = work / ("input" + (input_suffix if input_suffix is not None else path.suffix.lower()))
        shutil.copyfile(path, src)
        outs = run_soffice([src], to, work / "out", timeout, filter_options, work / "profile",
                           shown_path=str(path))
        yield outs[0]


def convert_many(paths: list[Path], to: str, outdir: Path, timeout: float = 300,
                 filter_options: str = "") -> list[Path]:
    """Convert several files in one soffice start (saves its ~3 s start-up);
    results are written to ``outdir`` and left there for the caller."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dti-soffice-") as tmp:
        outs = run_soffice([Path(p) for p in paths], to, Path(tmp) / "out", timeout,
                           filter_options, Path(tmp) / "profile")
        final = []
        for o in outs:
            dest = outdir / o.name
            shutil.move(str(o), dest)
            final.append(dest)
        return final


def run_soffice(srcs: list[Path], to: str, outdir: Path, timeout: float, filter_options: str,
                profile: Path, shown_path: str | None = None) -> list[Path]:
    shown = shown_path or str(srcs[0])
    exe = find_soffice()
    if exe is None:
        raise ToolMissing(shown, "Máy chưa cài LibreOffice nên không đọc được tệp .doc/.odt",
                          "LibreOffice is not installed, so .doc/.odt files cannot be read")
    target = f"{to}:{filter_options}" if filter_options else to
    cmd = [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible",
           "--nologo", "--nodefault", "--norestore", "--nolockcheck",
           "--convert-to", target, "--outdir", str(outdir), *map(str, srcs)]
    env = {**os.environ, "HOME": str(profile.parent), "SAL_USE_VCLPLUGIN": "svp"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise ToolTimeout(shown, f"Chuyển đổi bằng LibreOffice quá {timeout:g} giây, đã dừng",
                          f"LibreOffice conversion took over {timeout:g} s and was stopped") from None
    finally:
        kill_group(proc)  # stray soffice.bin children must not outlive the call
    outs = []
    ext = to.split(":")[0]
    for src in srcs:
        out = outdir / f"{src.stem}.{ext}"
        if not out.exists() or out.stat().st_size == 0:
            raise CorruptFile(shown, "Tệp bị hỏng hoặc có mật khẩu, LibreOffice không chuyển đổi được",
                              "The file is damaged or password-protected; LibreOffice could not convert it",
                              detail=err.decode("utf-8", "replace")[-500:])
        outs.append(out)
    return outs


