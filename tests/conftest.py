"""Shared pytest options.

``--update-golden`` rewrites tests/golden/*.json from what the pipeline reads
now; review the change with ``git diff tests/golden`` before committing it.
"""
from __future__ import annotations


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.json from the current output (then review the git diff)")


import itertools  # noqa: E402

import pytest  # noqa: E402

_db_names = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_settings():
    """settings.settings as this test's environment gives it, before and after: a variable a
    test or fixture set (and monkeypatch put back) must not leak into the next test through
    the cached object.  A test that sets a DTI_* variable itself calls settings.reload()."""
    from settings import settings
    settings.reload()
    yield
    settings.reload()


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL server for the whole run (tests/pgserver.py); never skipped:
    `make test` installs PostgreSQL, and a store test that silently ran on SQLite only would
    hide exactly the breakage it exists to find."""
    from pgserver import PgServer
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty store database on each engine the product supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dti.sqlite'}"
    return request.getfixturevalue("pg_server").create_database(f"dti_{next(_db_names)}")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request):
    """For a module's seeded store: None (SQLite in the module's folder), or a fresh PostgreSQL
    database, so the ranking, export and accepted-score tests run on both engines."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("pg_server").create_database(f"dti_{next(_db_names)}")


# ---- the PostgreSQL tests, counted in the summary: the issue asks that `make test` show
# they ran, and a count that drops to zero is how one notices they stopped running
_pg_ids: set[str] = set()
_pg_outcomes: dict[str, str] = {}


def _on_postgresql(item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return ("pg_server" in item.fixturenames or params.get("db_url") == "postgresql"
            or params.get("module_db_url") == "postgresql")


def pytest_collection_modifyitems(config, items):
    _pg_ids.update(item.nodeid for item in items if _on_postgresql(item))


def pytest_runtest_logreport(report):
    if report.nodeid not in _pg_ids:
        return
    if report.when == "call" or report.outcome != "passed":     # a setup error or skip counts too
        _pg_outcomes.setdefault(report.nodeid, report.outcome)
        if report.outcome == "failed":
            _pg_outcomes[report.nodeid] = "failed"


def pytest_terminal_summary(terminalreporter):
    if not _pg_outcomes:
        return
    counts = {k: sum(1 for v in _pg_outcomes.values() if v == k) for k in ("passed", "failed", "skipped")}
    terminalreporter.write_line(
        f"PostgreSQL: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped "
        f"(tests that ran on a throwaway PostgreSQL server)")
