"""The first schema: runs, reports, rows, flags, corrections.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("inbox", sa.Text),
        sa.Column("host", sa.String(255)),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("processed", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("quarantined", sa.Integer, nullable=False),
        sa.Column("flagged", sa.Integer, nullable=False),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("file_names", sa.JSON, nullable=False),
        sa.Column("format", sa.String(16)),
        sa.Column("layout", sa.String(32)),
        sa.Column("ruleset", sa.String(64)),
        sa.Column("unit_name", sa.Text),
        sa.Column("unit_level", sa.String(16)),
        sa.Column("unit_year", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_points", sa.Float),
        sa.Column("computed_points", sa.Float),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("reviewed", sa.Boolean, nullable=False),
        sa.Column("reviewed_by", sa.String(128)),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
    )
    op.create_index("ix_reports_sha256", "reports", ["sha256"], unique=True)
    op.create_index("ix_reports_ruleset", "reports", ["ruleset"])
    op.create_index("ix_reports_unit_name", "reports", ["unit_name"])
    op.create_index("ix_reports_unit_year", "reports", ["unit_year"])
    op.create_table(
        "rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("indicator", sa.String(32)),
        sa.Column("label", sa.Text),
        sa.Column("claimed_points", sa.Float),
        sa.Column("max_points", sa.Float),
        sa.Column("computed_points", sa.Float),
        sa.Column("ratio", sa.Float),
        sa.Column("numerator", sa.Float),
        sa.Column("denominator", sa.Float),
        sa.Column("answer", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.Column("match_score", sa.Float),
        sa.Column("page", sa.Integer),
    )
    op.create_index("ix_rows_report_id", "rows", ["report_id"])
    op.create_index("ix_rows_indicator", "rows", ["indicator"])
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("indicator", sa.String(32)),
        sa.Column("code", sa.String(48), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_flags_report_id", "flags", ["report_id"])
    op.create_index("ix_flags_code", "flags", ["code"])
    op.create_index("ix_flags_status", "flags", ["status"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("row_id", sa.Integer, sa.ForeignKey("rows.id", ondelete="CASCADE")),
        sa.Column("flag_id", sa.Integer, sa.ForeignKey("flags.id", ondelete="CASCADE")),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("reviewer", sa.String(128), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("old", sa.JSON),
        sa.Column("new", sa.JSON),
        sa.Column("why", sa.Text),
    )
    op.create_index("ix_corrections_report_id", "corrections", ["report_id"])


def downgrade() -> None:
    for t in ("corrections", "flags", "rows", "reports", "runs"):
        op.drop_table(t)
