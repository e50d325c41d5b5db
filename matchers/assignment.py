"""The Hungarian method (``scipy.optimize.linear_sum_assignment``) without importing all of
``scipy.optimize``.

Importing ``scipy.optimize`` loads its solvers, ``scipy.sparse`` and ``scipy.linalg``: ~48 MiB
resident in every reading process, for one function.  That function lives in a compiled module
of its own (``scipy/optimize/_lsap``) that needs nothing of ``scipy.optimize``; it is loaded
here by its file, under its own name, so a later ``import scipy.optimize`` (anyone's) finds it
and does not load it twice.  Any surprise (another scipy layout) falls back to the full import:
the same function, only heavier.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from typing import Callable

_NAME = "scipy.optimize._lsap"
_fn: Callable | None = None


def _load_alone() -> Callable:
    module = sys.modules.get(_NAME)
    if module is None:
        import scipy        # the package only (~1 MiB): its __init__ sets up the compiled libraries
        folder = Path(scipy.__file__).parent / "optimize"
        path = next(folder / f"_lsap{s}" for s in importlib.machinery.EXTENSION_SUFFIXES
                    if (folder / f"_lsap{s}").exists())
        spec = importlib.util.spec_from_file_location(_NAME, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[_NAME] = module
    return module.linear_sum_assignment


def linear_sum_assignment(cost, maximize: bool = False):
    """``scipy.optimize.linear_sum_assignment(cost, maximize)``: (row indices, column indices)."""
    global _fn
    if _fn is None:
        try:
            _fn = _load_alone()
        except Exception:       # StopIteration, ImportError, an older scipy: the plain way
            from scipy.optimize import linear_sum_assignment as full
            _fn = full
    return _fn(cost, maximize=maximize)
