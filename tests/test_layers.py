"""The rooms import downward only: every module of every room, parsed, against one declared order.

A room may import itself and any room below it, never one above, at the top of a module or
inside a function alike (a lazy import is still a dependency).  ``commands`` dispatches the
rooms' own ``register`` functions by name (``importlib``), which is the one way up and is
not an ``import`` statement.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# lowest first; a room imports only rooms before it in this list
LAYERS = (
    "settings",         # DTI_* variables and where things are kept
    "rulesets",         # the ruleset model: data, loader, schema, formula, vocabulary, numbers
    "extractors",       # files -> typed Document
    "matchers",         # Document + ruleset -> Report
    "scoring",          # rules, points, flags, corrections' and ranking's rules
    "store",            # the database, its migrations, submissions, communes, cross-checks
    "outputs",          # the ranking, the approval decision, exports
    "pipeline",         # the flow: inbox -> read -> store
    "deploy",           # dti serve, province scale-out, benchmarks
    "decision_import",  # dti rulesets import/check/diff/sheet/list/show
    "review",           # the reviewers' web page
    "commands",         # dti
)

# (importing module, imported module): why it may go up.  Keep this empty or nearly so.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every module an ``import``/``from … import`` names, absolute (relative ones resolved)."""
    mod = _module(path)
    package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
    return found


def modules() -> list[Path]:
    return [p for room in LAYERS for p in sorted((ROOT / room).rglob("*.py")) if "__pycache__" not in p.parts]


def upward() -> list[str]:
    rank = {room: i for i, room in enumerate(LAYERS)}
    bad = []
    for path in modules():
        src = _module(path)
        for target, line in _imports(path):
            room = target.split(".")[0]
            if room in rank and rank[room] > rank[src.split(".")[0]] and (src, target) not in EXCEPTIONS:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {src} imports {target} (above it)")
    return bad


def test_every_room_is_in_the_order():
    """A new top-level package must be given its place, or the check would not see it."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "samples"}
    assert packages == set(LAYERS), f"rooms not in LAYERS: {packages - set(LAYERS)}; gone: {set(LAYERS) - packages}"


def test_imports_run_one_way():
    assert modules(), "no module found: the check would pass on nothing"
    bad = upward()
    assert not bad, "upward imports:\n" + "\n".join(bad)


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The check itself can fail: a lazy import of the store from scoring is reported."""
    fake = tmp_path / "scoring"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "late.py").write_text("def f():\n    from store.store import Store\n    return Store\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert upward() == ["scoring/late.py:2: scoring.late imports store.store (above it)"]


def test_the_exceptions_are_still_needed():
    """An exception whose import is gone is removed, not kept 'just in case'."""
    seen = {(_module(p), t) for p in modules() for t, _ in _imports(p)}
    assert set(EXCEPTIONS) <= seen, f"exceptions no longer needed: {set(EXCEPTIONS) - seen}"
