"""Report cache: rendered reports keyed by a hash of their content, shared by every worker.

Revision ID: 20261123_0100
Revises: 20261123_0001
Create Date: 2026-11-23 09:25:27.782226
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261123_0100"
down_revision: str | Sequence[str] | None = "20261123_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_cache",
        sa.Column("cache_key", sa.String(length=64), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("assessment_id", sa.String(length=40), nullable=False),
        sa.Column("results_version", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_report_cache_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_report_cache_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cache_key", name=op.f("pk_report_cache")),
    )
    op.create_index(
        op.f("ix_report_cache_assessment_id_results_version"),
        "report_cache",
        ["assessment_id", "results_version"],
        unique=False,
    )
    op.create_index(
        op.f("ix_report_cache_source_key"), "report_cache", ["source_key"], unique=False
    )
    op.create_index(
        op.f("ix_report_cache_workspace_id"), "report_cache", ["workspace_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_report_cache_workspace_id"), table_name="report_cache")
    op.drop_index(op.f("ix_report_cache_source_key"), table_name="report_cache")
    op.drop_index(op.f("ix_report_cache_assessment_id_results_version"), table_name="report_cache")
    op.drop_table("report_cache")
