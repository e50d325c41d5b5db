#!/usr/bin/env python3
"""The house as drawn (issue #21): move modules into their rooms and rewrite every reference.

Run from the repository root (``python3 /work/house-moves.py``, or ``python3 docs/house-moves.py``).
Idempotent: a file already moved is not moved again, a reference already rewritten no longer
matches.  It touches only

- ``git mv`` of the modules named in MOVES (and the ``__init__.py`` of a new room);
- module references: ``from OLD import``, ``import OLD``, ``from PKG import NAME`` (split by
  the names' new packages), dotted names anywhere in Python/YAML/TOML/INI/Makefile/Markdown
  text (``"pipeline.settings.X"`` monkeypatch strings, ``python -m pipeline.cli``, the CLI's
  list of command modules) and file paths (``pipeline/store.py``, ``pipeline/migrations``);
- ``pyproject.toml``'s packages list, package-data and console script.

Re-run it after merging a branch that still imports the old paths: it rewrites those imports.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

# old dotted module -> new dotted module
MOVES: dict[str, str] = {}


def room(new_pkg: str, old_pkg: str, names: str) -> None:
    for n in names.split():
        MOVES[f"{old_pkg}.{n}"] = f"{new_pkg}.{n}"


# the settings: below every room
room("settings", "pipeline", "settings config")
# the decision importer: a tool above extractors and matchers (rulesets/ keeps the model)
room("decision_import", "rulesets",
     "importer annex_rows maxima repairs import_report draft methods methods_formula annex_columns "
     "clauses cli_import diff sheet cli")
# what kind of document a reading is: reads a Report only
room("matchers", "pipeline", "kinds")
# the domain rules of corrections: pure functions over the ruleset and scoring
room("scoring", "pipeline", "corrections correction_checks")
# the store, its tables, migrations and what it knows of its records
room("store", "pipeline",
     "store store_queries store_records store_review store_runs stored dbengine schema migrations "
     "private_files filenames version submissions communes crosschecks originals")
# what leaves the office: the ranking, the approval decision, exports, the Word kit
room("outputs", "pipeline", "ranking decision docxkit exporting")
# running the flow as a service, at province scale, and timing it
room("deploy", "pipeline", "serve serve_watch scaleout bench bench_dask bench_served bench_extract bench_run")
# the one command over the whole product
room("commands", "pipeline", "cli cli_decision cli_pipeline cli_settings cli_units")

NEW_ROOMS = {
    "settings": '"""Every setting (``settings.settings``) and where things are kept (``settings.config``): '
                'below every room."""\n',
    "decision_import": '"""``dti rulesets import | check | diff | sheet | list | show``: a province\'s decision '
                       'read into a draft ruleset (a tool above extractors and matchers)."""\n',
    "store": '"""The store: tables, migrations, the typed records and what it knows of submissions, '
             'communes and cross-checks."""\n',
    "outputs": '"""What leaves the office: the ranking, the approval decision, exports, the Word kit."""\n',
    "deploy": '"""The flow served (``dti serve``), at province scale (``scaleout``), and timed (``dti bench '
              'pipeline``)."""\n',
    "commands": '"""`dti`: the one command over the whole product (``commands.cli:main``)."""\n',
}

TEXT_SUFFIXES = {".py", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".md", ".mako", ".txt", ".sh"}
TEXT_NAMES = {"Makefile"}
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__", ".pytest_cache"}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def path_of(mod: str, root: Path) -> Path:
    """The file or folder of a dotted module."""
    p = root.joinpath(*mod.split("."))
    return p if p.is_dir() else p.with_suffix(".py")


def do_moves(root: Path) -> None:
    for pkg, doc in NEW_ROOMS.items():
        init = root / pkg / "__init__.py"
        if not init.exists():
            init.parent.mkdir(exist_ok=True)
            init.write_text(doc, encoding="utf-8")
            git("add", str(init.relative_to(root)))
    for old, new in MOVES.items():
        src, dst = path_of(old, root), path_of(new, root)
        if not src.exists():
            # a folder is known by its name alone; a module by its .py
            continue
        if src.is_dir():
            dst = root.joinpath(*new.split("."))
            if dst.exists():
                # a branch merged later added files under the old folder (a migration): move each
                for f in sorted(x for x in src.rglob("*") if x.is_file() and "__pycache__" not in x.parts):
                    to = dst / f.relative_to(src)
                    if to.exists():
                        sys.exit(f"both {f} and {to} exist: merge by hand")
                    to.parent.mkdir(parents=True, exist_ok=True)
                    git("mv", str(f.relative_to(root)), str(to.relative_to(root)))
                continue
        elif dst.exists():
            sys.exit(f"both {src} and {dst} exist: merge by hand")
        git("mv", str(src.relative_to(root)), str(dst.relative_to(root)))


# longest first so that pipeline.store_queries is not read as pipeline.store + _queries
_OLD = sorted(MOVES, key=len, reverse=True)
_DOTTED = re.compile(r"(?<![\w.])(" + "|".join(re.escape(o) for o in _OLD) + r")(?![\w])")
_PATHS = {o.replace(".", "/"): n.replace(".", "/") for o, n in MOVES.items()}
_PATH = re.compile(r"(?<![\w./-])(" + "|".join(re.escape(o) for o in sorted(_PATHS, key=len, reverse=True))
                   + r")(?=\.py\b|/|\b)")
# `from PKG import a, b as c` (one line, or parenthesised over several)
_FROM_PKG = re.compile(r"^(?P<ind>[ \t]*)from (?P<pkg>pipeline|rulesets) import "
                       r"(?P<names>\([^)]*\)|[^\n#]*?)(?P<tail>[ \t]*(?:#[^\n]*)?)$", re.M)


def _split_from(m: re.Match) -> str:
    pkg, names = m.group("pkg"), m.group("names")
    inner = names.strip()
    if inner.startswith("("):
        inner = inner[1:-1]
    items = [x.strip() for x in inner.replace("\n", " ").split(",") if x.strip()]
    if not any(f"{pkg}.{it.split()[0]}" in MOVES for it in items):
        return m.group(0)
    groups: dict[str, list[str]] = {}
    for it in items:
        new = MOVES.get(f"{pkg}.{it.split()[0]}")
        target = new.rsplit(".", 1)[0] if new else pkg
        groups.setdefault(target, []).append(it)
    lines = []
    for i, (target, its) in enumerate(groups.items()):
        tail = m.group("tail") if i == 0 else ""
        lines.append(f"{m.group('ind')}from {target} import {', '.join(its)}{tail}")
    return "\n".join(lines)


def rewrite(text: str, python: bool) -> str:
    if python:
        text = _FROM_PKG.sub(_split_from, text)
    text = _DOTTED.sub(lambda m: MOVES[m.group(1)], text)
    text = _PATH.sub(lambda m: _PATHS[m.group(1)], text)
    return text


def pyproject(root: Path) -> None:
    p = root / "pyproject.toml"
    if not p.exists():
        return
    t = p.read_text(encoding="utf-8")
    m = re.search(r"^packages = \[(.*?)\]", t, re.M)
    if m:
        have = re.findall(r'"([^"]+)"', m.group(1))
        want = ["settings", "rulesets", "extractors", "matchers", "scoring", "store", "outputs", "pipeline",
                "deploy", "decision_import", "review", "commands"]
        for h in have:
            if h not in want:
                want.append(h)
        t = t.replace(m.group(0), "packages = [" + ", ".join(f'"{w}"' for w in want) + "]")
    t = t.replace('pipeline = ["migrations/*", "migrations/**/*"]', 'store = ["migrations/*", "migrations/**/*"]')
    p.write_text(t, encoding="utf-8")


def main() -> None:
    root = Path(git("rev-parse", "--show-toplevel").strip())
    do_moves(root)
    changed = 0
    for f in git("-C", str(root), "ls-files").splitlines():
        p = root / f
        if any(part in SKIP_DIRS for part in Path(f).parts) or not p.is_file():
            continue
        if p.suffix not in TEXT_SUFFIXES and p.name not in TEXT_NAMES:
            continue
        if p.name == "house-moves.py":
            continue
        try:
            old = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(old, p.suffix == ".py")
        if new != old:
            p.write_text(new, encoding="utf-8")
            changed += 1
    pyproject(root)
    print(f"house-moves: {len(MOVES)} modules in their rooms, {changed} files rewritten")


if __name__ == "__main__":
    main()
