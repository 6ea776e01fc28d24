"""Web console: sign-in sessions, login throttling, workspace branding and public link,
and the kind of an assessment (a team assessment or an online self-assessment).

Revision ID: 20261123_0200
Revises: 20261123_0100
Create Date: 2026-11-23 11:18:14.567584
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261123_0200"
down_revision: str | Sequence[str] | None = "20261123_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index(
        op.f("ix_login_failure_subject_created_at"),
        "login_failure",
        ["subject", "created_at"],
        unique=False,
    )
    op.create_table(
        "web_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_web_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_web_session_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_session")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"], unique=False)
    with op.batch_alter_table("assessment") as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), nullable=False, server_default="team")
        )
    with op.batch_alter_table("workspace") as batch_op:
        batch_op.add_column(sa.Column("brand_colour", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("logo_media_type", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("logo", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("public_slug", sa.String(length=60), nullable=True))
        batch_op.add_column(
            sa.Column("self_assessment_client_id", sa.String(length=40), nullable=True)
        )
        batch_op.create_unique_constraint(op.f("uq_workspace_public_slug"), ["public_slug"])


def downgrade() -> None:
    with op.batch_alter_table("workspace") as batch_op:
        batch_op.drop_constraint(op.f("uq_workspace_public_slug"), type_="unique")
        batch_op.drop_column("self_assessment_client_id")
        batch_op.drop_column("public_slug")
        batch_op.drop_column("logo")
        batch_op.drop_column("logo_media_type")
        batch_op.drop_column("brand_colour")
    with op.batch_alter_table("assessment") as batch_op:
        batch_op.drop_column("kind")
    op.drop_index(op.f("ix_web_session_user_id"), table_name="web_session")
    op.drop_table("web_session")
    op.drop_index(op.f("ix_login_failure_subject_created_at"), table_name="login_failure")
    op.drop_table("login_failure")
