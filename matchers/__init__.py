"""Matchers: a Document and the rulesets → an (unscored) Report.

``match(doc)`` is in ``matchers.matching``; importing the package stays light
(scoring imports ``matchers.report`` only) and loads the matching stack on
first use.
"""
from __future__ import annotations

__all__ = ["match", "MatcherConfig"]


def __getattr__(name: str):
    if name in __all__:
        import importlib
        return getattr(importlib.import_module("matchers.matching"), name)
    raise AttributeError(name)
