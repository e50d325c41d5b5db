"""Submissions and reprocessing: reviewers' choice of the version that counts (audited, never
overwritten), why a file is not a self-assessment, and the version of the code that read a report.

Revision ID: s001_submissions
Revises: r001_review_users
"""
from alembic import op
import sqlalchemy as sa

revision = "s001_submissions"
down_revision = "r001_review_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_choices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_key", sa.Text, nullable=False),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reviewer", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("why", sa.Text),
    )
    op.create_index("ix_submission_choices_unit_key", "submission_choices", ["unit_key"])
    with op.batch_alter_table("reports") as b:      # batch: SQLite cannot ALTER in place
        b.add_column(sa.Column("status_reason", sa.Text))
        b.add_column(sa.Column("reader_version", sa.String(32)))
    # what was stored before as a "report" but is none (matchers.kinds): said so from now on
    reports = sa.table("reports", sa.column("layout", sa.String), sa.column("format", sa.String),
                       sa.column("status", sa.String), sa.column("status_reason", sa.Text))
    op.execute(reports.update().where(reports.c.layout == "ranking-table").values(
        status="not-report", status_reason="bảng xếp hạng của nhiều đơn vị, không phải báo cáo của một đơn vị / "
                                           "a ranking table of several units, not one unit's report"))
    op.execute(reports.update().where(reports.c.layout == "unknown",
                                      reports.c.format.notin_(("image", "pdf-scanned"))).values(
        status="not-report", status_reason="không có bảng chỉ số hay bài viết nào theo một bộ chỉ số DTI / "
                                           "no indicator table or narrative matching a DTI ruleset"))


def downgrade() -> None:
    with op.batch_alter_table("reports") as b:
        b.drop_column("reader_version")
        b.drop_column("status_reason")
    op.drop_index("ix_submission_choices_unit_key", table_name="submission_choices")
    op.drop_table("submission_choices")
