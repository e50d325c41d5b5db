"""Alembic environment, driven from code (``store.dbengine.upgrade``), no alembic.ini.

The caller passes an open connection in ``config.attributes["connection"]``;
the command line (``alembic -x url=...``) works too, for operators.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from store.schema import Base

config = context.config


def _run(connection) -> None:
    # batch mode lets later migrations alter SQLite tables (it has no ALTER COLUMN)
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).begin() as conn:
        _run(conn)
