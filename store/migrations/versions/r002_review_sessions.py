"""Server-side sessions of the review page (so logout really ends one) and its login throttle.

Revision ID: r002_review_sessions
Revises: s001_submissions
"""
from alembic import op
import sqlalchemy as sa

revision = "r002_review_sessions"
down_revision = "s001_submissions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_sessions",
        # sha256 of the token the cookie carries: a copy of this table signs no one in
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_name", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_sessions_expires_at", "review_sessions", ["expires_at"])
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(200), primary_key=True),      # "user:<name>" or "addr:<ip>"
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("login_failures")
    op.drop_index("ix_review_sessions_expires_at", table_name="review_sessions")
    op.drop_table("review_sessions")
