"""Sign-in throttling per (account, address) pair: a failed sign-in is one row naming the
account tried (the SHA-256 of the normalised email) and the client address, instead of one
row per email and one per address under a `subject` text (app/services/sign_in_throttle.py).

The rows are short-lived throttle state, not records: both directions delete them rather
than convert them. At worst, a guesser paused at the moment of the upgrade gets its free
failures again.

Revision ID: 20261203_0100
Revises: 20261202_0100
Create Date: 2026-12-03 01:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0100"
down_revision: str | Sequence[str] | None = "20261202_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM login_failure")
    op.drop_index(op.f("ix_login_failure_subject_created_at"), table_name="login_failure")
    with op.batch_alter_table("login_failure") as batch_op:
        batch_op.drop_column("subject")
        batch_op.add_column(sa.Column("account_key", sa.String(length=64), nullable=False))
        batch_op.add_column(sa.Column("address", sa.String(length=64), nullable=False))
    op.create_index(
        op.f("ix_login_failure_account_key_address_created_at"),
        "login_failure",
        ["account_key", "address", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_login_failure_address_created_at"),
        "login_failure",
        ["address", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_login_failure_created_at"), "login_failure", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.execute("DELETE FROM login_failure")
    op.drop_index(op.f("ix_login_failure_created_at"), table_name="login_failure")
    op.drop_index(op.f("ix_login_failure_address_created_at"), table_name="login_failure")
    op.drop_index(
        op.f("ix_login_failure_account_key_address_created_at"), table_name="login_failure"
    )
    with op.batch_alter_table("login_failure") as batch_op:
        batch_op.drop_column("address")
        batch_op.drop_column("account_key")
        batch_op.add_column(sa.Column("subject", sa.String(length=400), nullable=False))
    op.create_index(
        op.f("ix_login_failure_subject_created_at"),
        "login_failure",
        ["subject", "created_at"],
        unique=False,
    )
