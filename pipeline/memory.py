"""Giving freed heap back to the system, for the parent and its reading processes alike.

glibc keeps freed memory for reuse, per thread arena: a report decoded in one of the parent's
report threads, or a page image freed in a reading process, stays resident after it is gone,
and each thread that allocates gets an arena of its own (up to 8 per core) that keeps its
share.  ``limit_arenas`` caps the arenas a process makes from now on, ``give_back`` returns
the free pages of all of them (``malloc_trim``: milliseconds).  Neither does anything off
glibc (musl, macOS), where there is nothing of the kind to give back.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os

M_ARENA_MAX = -8        # mallopt's parameter number in glibc's malloc.h

_libc = None


def _glibc():
    global _libc
    if _libc is None:
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            lib.malloc_trim, lib.mallopt      # noqa: B018  (AttributeError when not glibc)
            _libc = lib
        except (OSError, AttributeError):
            _libc = False
    return _libc or None


def limit_arenas(n: int = 2) -> bool:
    """At most ``n`` malloc arenas for threads started from now on; False when not possible.
    ``MALLOC_ARENA_MAX`` in the environment, when set, is the user's choice and wins."""
    libc = _glibc()
    if libc is None or os.environ.get("MALLOC_ARENA_MAX"):
        return False
    return bool(libc.mallopt(M_ARENA_MAX, n))


def give_back() -> None:
    """Return freed heap to the system (all arenas)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def resident_mb() -> float:
    """This process's resident MiB, 0.0 when it cannot be told (the caller then goes by counts)."""
    try:
        import psutil
        return psutil.Process().memory_info().rss / 2 ** 20
    except Exception:
        return 0.0
