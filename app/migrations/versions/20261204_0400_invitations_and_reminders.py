"""Invitations and reminders: an assessment's close date and reminder plan, when each
respondent was invited (and their link, sealed, for reminders), their opt-out and thank-you
choices, and the workspace's time zone.

Every column is added in place with a default (or nullable), never by a batch copy of the
table: on SQLite a batch copy drops the old table, and ON DELETE CASCADE would take every
respondent and answer with it (see 20261203_0300_item_targets.py). Respondents invited
before this release get no `invited_at`, so no scheduled reminder goes to them.

Revision ID: 20261204_0400
Revises: 20261204_0200
Create Date: 2026-12-04 04:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0400"
down_revision: str | Sequence[str] | None = "20261204_0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "workspace",
        sa.Column(
            "time_zone", sa.String(length=64), nullable=False, server_default=sa.text("'UTC'")
        ),
    )
    op.add_column("assessment", sa.Column("closes_at", sa.DateTime(), nullable=True))
    op.add_column(
        "assessment",
        sa.Column("reminder_days", sa.JSON(), nullable=False, server_default=sa.text("'[3, 7]'")),
    )
    op.add_column(
        "assessment",
        sa.Column(
            "remind_before_close", sa.Boolean(), nullable=False, server_default=sa.text("true")
        ),
    )
    op.add_column("assessment", sa.Column("completion_notice_at", sa.DateTime(), nullable=True))
    # Assessments completed before this release were seen by their consultants already: no
    # notice for them now.
    op.execute("UPDATE assessment SET completion_notice_at = CURRENT_TIMESTAMP")
    op.add_column("respondent", sa.Column("invited_at", sa.DateTime(), nullable=True))
    op.add_column(
        "respondent", sa.Column("invite_token_sealed", sa.String(length=200), nullable=True)
    )
    op.add_column("respondent", sa.Column("mail_opt_out_at", sa.DateTime(), nullable=True))
    op.add_column(
        "respondent",
        sa.Column(
            "thanks_requested", sa.Boolean(), nullable=False, server_default=sa.text("false")
        ),
    )


def downgrade() -> None:
    # DROP COLUMN in place (SQLite 3.35 and later), for the same reason as above.
    op.drop_column("respondent", "thanks_requested")
    op.drop_column("respondent", "mail_opt_out_at")
    op.drop_column("respondent", "invite_token_sealed")
    op.drop_column("respondent", "invited_at")
    op.drop_column("assessment", "completion_notice_at")
    op.drop_column("assessment", "remind_before_close")
    op.drop_column("assessment", "reminder_days")
    op.drop_column("assessment", "closes_at")
    op.drop_column("workspace", "time_zone")
