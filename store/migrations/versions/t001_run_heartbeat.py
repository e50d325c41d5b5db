"""Runs say they are alive: a heartbeat time and the process id, so the next pass can tell a
pass that was killed (a lost worker, kill -9) from one still working, and mark it interrupted.

Revision ID: t001_run_heartbeat
Revises: r002_review_sessions
"""
from alembic import op
import sqlalchemy as sa

revision = "t001_run_heartbeat"
down_revision = "r002_review_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as b:      # batch: SQLite cannot ALTER in place
        b.add_column(sa.Column("seen_at", sa.DateTime(timezone=True)))
        b.add_column(sa.Column("pid", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("runs") as b:
        b.drop_column("pid")
        b.drop_column("seen_at")
