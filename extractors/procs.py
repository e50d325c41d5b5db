"""Child processes of the external tools (tesseract, LibreOffice, the PDF reader).

Each runs in its own process group so that a timeout can stop it with all
its children (soffice.bin forks; a hostile PDF may wedge the parser).
"""
from __future__ import annotations

import os
import signal
import subprocess


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process group and reap it; never hangs on the child's pipes."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.communicate(timeout=5)
    except Exception:  # the group is gone; don't wait on pipes a grandchild may hold
        proc.kill()
