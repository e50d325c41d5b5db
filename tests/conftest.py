"""Shared pytest options.

``--update-golden`` rewrites tests/golden/*.json from what the pipeline reads
now; review the change with ``git diff tests/golden`` before committing it.
"""
from __future__ import annotations


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.json from the current output (then review the git diff)")
