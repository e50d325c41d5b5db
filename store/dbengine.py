"""The database connection: the engine, SQLite's pragmas and the Alembic upgrade.

Apart from ``Store`` so that anything needing only a connection to the schema (the
migration tests, ``store.store.Store.__init__``) opens it the one way: a SQLite file
created 0600 with WAL, foreign keys and a busy timeout, any other URL with pre-ping, and
the schema brought to the newest migration in ``store/migrations``.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from store.private_files import create_private

MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config():
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op, one query, when it is there)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = _alembic_config()
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    for attempt in range(3):     # two processes opening a fresh SQLite file at once: the loser retries
        try:
            with engine.begin() as conn:
                if set(MigrationContext.configure(conn).get_current_heads()) == heads:
                    return
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            return
        except OperationalError:
            if attempt == 2:
                raise


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers (the review page) never block the pipeline's writer
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    from settings.settings import database_url
    try:        # `postgresql://` and `postgres://` mean psycopg 3, from whichever option they came
        url = database_url(url)
    except ValueError:
        pass    # not one of ours: SQLAlchemy says what is wrong with it
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            if "?" not in path and not path.startswith("file:"):
                create_private(Path(path))  # the reports and reviewers' hashes: 0600 from the start
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)
