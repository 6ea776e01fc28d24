"""Report render claims: one worker pre-renders each closed assessment's report.

Revision ID: 20261124_0100
Revises: 20261123_0300
Create Date: 2026-11-24 01:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261124_0100"
down_revision: str | Sequence[str] | None = "20261123_0300"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_render_claim",
        sa.Column("assessment_id", sa.String(length=40), nullable=False),
        sa.Column("results_version", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_report_render_claim_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_report_render_claim")),
    )


def downgrade() -> None:
    op.drop_table("report_render_claim")
