"""Indexes for the cross-report checks (store.crosschecks): the reports of a year and
ruleset read in order, and the cross-report flags of the whole store found at once.

Revision ID: x001_crosscheck_indexes
Revises: u001_communes
"""
from alembic import op

revision = "x001_crosscheck_indexes"
down_revision = "u001_communes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_year_ruleset", "reports", ["unit_year", "ruleset", "id"])
    op.create_index("ix_flags_code_report", "flags", ["code", "report_id"])


def downgrade() -> None:
    op.drop_index("ix_flags_code_report", table_name="flags")
    op.drop_index("ix_reports_year_ruleset", table_name="reports")
