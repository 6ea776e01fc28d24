"""Item targets: a target answer per item, and the reference of their percent-to-target.

`assessment.target_items` holds item id -> target answer (JSON, `{}` for none) and
`assessment.percent_to_target_from` says what the item targets' percent-to-target measures
from: "zero" (every item at 0) or "baseline" (the baseline round). Existing assessments get the
columns' defaults, no item targets and "zero", so their results stay as they were.

Downgrade drops both columns, and with them any item targets set since.

Plain op calls only: the models may change after this migration is written.

Revision ID: 20261203_0300
Revises: 20261203_0200
Create Date: 2026-12-03 03:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0300"
down_revision: str | Sequence[str] | None = "20261203_0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN with a default, never a batch copy of the table: on SQLite a batch copy
    # drops the old table, and ON DELETE CASCADE would take every respondent and answer with
    # it. The defaults stay, so rows written by code that predates these columns (a worker
    # of the previous release during a rolling deploy) get no item targets and "zero" too.
    op.add_column(
        "assessment",
        sa.Column("target_items", sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
    )
    op.add_column(
        "assessment",
        sa.Column(
            "percent_to_target_from",
            sa.String(length=10),
            nullable=False,
            server_default=sa.text("'zero'"),
        ),
    )


def downgrade() -> None:
    # DROP COLUMN in place (SQLite 3.35 and later), for the same reason as above.
    op.drop_column("assessment", "percent_to_target_from")
    op.drop_column("assessment", "target_items")
