"""Unit identity: the receiving body's list of communes (with the names merged into each), and
the body a report is addressed to ("Kính gửi: …") as a column the ranking filters by.

Revision ID: u001_communes
Revises: t001_run_heartbeat
"""
from alembic import op
import sqlalchemy as sa

revision = "u001_communes"
down_revision = "t001_run_heartbeat"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "communes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.JSON),
        sa.Column("source", sa.Text),
        sa.Column("imported_by", sa.String(128)),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("reports") as b:      # batch: SQLite cannot ALTER in place
        b.add_column(sa.Column("unit_receiver", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("reports") as b:
        b.drop_column("unit_receiver")
    op.drop_table("communes")
