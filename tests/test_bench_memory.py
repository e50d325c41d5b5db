"""The pipeline bench's memory figure counts each resident page once (issue #23)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from deploy.bench import PeakMemory


def _forked_child() -> int:
    """A child forked from this process that never execs (as subprocess's fork before exec)."""
    pid = os.fork()
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    return pid


def test_a_child_between_fork_and_exec_is_not_counted_twice():
    ballast = bytearray(80 << 20)          # 80 MiB resident in this process
    ballast[::4096] = b"x" * len(ballast[::4096])
    # the whole tree before the fork: in the full suite this process has other children
    # (a throwaway PostgreSQL, servers), which count the same before and after
    before = PeakMemory()
    before.sample()
    pid = _forked_child()
    try:
        time.sleep(0.2)
        mem = PeakMemory()
        mem.sample()
        # counted once: the fork's pages are this process's own, so the tree grows by far less
        # than the 80 MiB it would if they were counted again
        assert mem.peak < before.peak + (40 << 20)
        assert mem.unexeced >= 80 << 20
        assert any("not counted" in ln for ln in mem.lines())
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    del ballast


def test_a_program_the_pipeline_runs_is_counted():
    code = "import time; b = bytearray(60 << 20); b[::4096] = b'x' * len(b[::4096]); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        time.sleep(1.0)
        mem = PeakMemory()
        mem.sample()
        own = PeakMemory._rss(PeakMemory().roots[0])
        assert mem.peak >= own + (60 << 20)
        assert mem.pss_peak >= 60 << 20
        assert "python" in " ".join(name for name, _ in mem.at_peak)
    finally:
        child.kill()
        child.wait()
