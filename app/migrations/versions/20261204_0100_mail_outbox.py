"""The mail outbox: messages to people, their delivery log, a workspace's Reply-To,
password resets asked for by e-mail, and the public self-assessment's lead form.

`mail_message` holds each message rendered in full, written in the transaction of its cause;
`mail_attempt` logs each hand-over to the relay. `workspace.mail_reply_to` is a new nullable
column: existing workspaces send without a Reply-To until an owner sets one.
`password_reset` keeps the hash of each reset link's token, its expiry and when it was used.
`workspace.lead_form_enabled` (false for existing workspaces) and `lead_consent_wording` turn
on the lead form; `lead` keeps each lead with the consent wording it agreed to, and when.
`respondent.erased_at` marks a respondent whose personal data was erased on request.

Downgrade drops the four tables, with any mail not yet sent, any reset link not yet used
and every lead, and the columns.

Plain op calls only: the models may change after this migration is written.

Revision ID: 20261204_0100
Revises: 20261203_0300
Create Date: 2026-12-04 01:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0100"
down_revision: str | Sequence[str] | None = "20261203_0300"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy of the workspace table (its cascades would empty
    # every table that hangs off it on SQLite).
    op.add_column("workspace", sa.Column("mail_reply_to", sa.String(length=320), nullable=True))
    op.add_column(
        "workspace",
        sa.Column("lead_form_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("workspace", sa.Column("lead_consent_wording", sa.Text(), nullable=True))
    op.add_column("respondent", sa.Column("erased_at", sa.DateTime(), nullable=True))
    op.create_table(
        "mail_message",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=True),
        sa.Column("respondent_id", sa.String(length=40), nullable=True),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("from_address", sa.String(length=400), nullable=False),
        sa.Column("reply_to", sa.String(length=320), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("to_name", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_mail_message_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_message")),
        sa.UniqueConstraint("message_id", name=op.f("uq_mail_message_message_id")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_mail_message_dedupe_key")),
    )
    op.create_index(
        op.f("ix_mail_message_status_next_attempt_at"),
        "mail_message",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_mail_message_workspace_id_created_at"),
        "mail_message",
        ["workspace_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_mail_message_respondent_id"), "mail_message", ["respondent_id"], unique=False
    )
    op.create_table(
        "mail_attempt",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["mail_message.id"],
            name=op.f("fk_mail_attempt_message_id_mail_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_attempt")),
    )
    op.create_index(
        op.f("ix_mail_attempt_message_id_attempt"),
        "mail_attempt",
        ["message_id", "attempt"],
        unique=False,
    )
    op.create_table(
        "password_reset",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_password_reset_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_password_reset")),
    )
    op.create_index(op.f("ix_password_reset_user_id"), "password_reset", ["user_id"], unique=False)
    op.create_table(
        "lead",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("respondent_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("consent_wording", sa.Text(), nullable=False),
        sa.Column("consented_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_lead_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondent.id"],
            name=op.f("fk_lead_respondent_id_respondent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead")),
        sa.UniqueConstraint("respondent_id", name=op.f("uq_lead_respondent_id")),
    )
    op.create_index(op.f("ix_lead_workspace_id"), "lead", ["workspace_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_lead_workspace_id"), table_name="lead")
    op.drop_table("lead")
    op.drop_index(op.f("ix_password_reset_user_id"), table_name="password_reset")
    op.drop_table("password_reset")
    op.drop_index(op.f("ix_mail_attempt_message_id_attempt"), table_name="mail_attempt")
    op.drop_table("mail_attempt")
    op.drop_index(op.f("ix_mail_message_respondent_id"), table_name="mail_message")
    op.drop_index(op.f("ix_mail_message_workspace_id_created_at"), table_name="mail_message")
    op.drop_index(op.f("ix_mail_message_status_next_attempt_at"), table_name="mail_message")
    op.drop_table("mail_message")
    op.drop_column("respondent", "erased_at")
    op.drop_column("workspace", "lead_consent_wording")
    op.drop_column("workspace", "lead_form_enabled")
    op.drop_column("workspace", "mail_reply_to")
