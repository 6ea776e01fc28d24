"""Webhooks: endpoints, the event outbox, deliveries and their attempts.

Revision ID: 20261123_0300
Revises: 20261123_0200
Create Date: 2026-11-23 13:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261123_0300"
down_revision: str | Sequence[str] | None = "20261123_0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspace.id"],
        name=op.f(f"fk_{table}_workspace_id_workspace"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("previous_secret", sa.String(length=100), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _workspace_key("webhook_endpoint"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoint")),
    )
    op.create_index(
        op.f("ix_webhook_endpoint_workspace_id"),
        "webhook_endpoint",
        ["workspace_id"],
        unique=False,
    )
    op.create_table(
        "webhook_event",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _workspace_key("webhook_event"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_event")),
    )
    op.create_index(
        op.f("ix_webhook_event_workspace_id"), "webhook_event", ["workspace_id"], unique=False
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("endpoint_id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoint.id"],
            name=op.f("fk_webhook_delivery_endpoint_id_webhook_endpoint"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_event.id"],
            name=op.f("fk_webhook_delivery_event_id_webhook_event"),
            ondelete="CASCADE",
        ),
        _workspace_key("webhook_delivery"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
    )
    op.create_index(
        op.f("ix_webhook_delivery_endpoint_id_created_at"),
        "webhook_delivery",
        ["endpoint_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_webhook_delivery_event_id"), "webhook_delivery", ["event_id"], unique=False
    )
    op.create_index(
        op.f("ix_webhook_delivery_status_next_attempt_at"),
        "webhook_delivery",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_table(
        "webhook_attempt",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("delivery_id", sa.String(length=40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("response_excerpt", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["webhook_delivery.id"],
            name=op.f("fk_webhook_attempt_delivery_id_webhook_delivery"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempt")),
    )
    op.create_index(
        op.f("ix_webhook_attempt_delivery_id_attempt"),
        "webhook_attempt",
        ["delivery_id", "attempt"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_attempt_delivery_id_attempt"), table_name="webhook_attempt")
    op.drop_table("webhook_attempt")
    op.drop_index(op.f("ix_webhook_delivery_status_next_attempt_at"), table_name="webhook_delivery")
    op.drop_index(op.f("ix_webhook_delivery_event_id"), table_name="webhook_delivery")
    op.drop_index(op.f("ix_webhook_delivery_endpoint_id_created_at"), table_name="webhook_delivery")
    op.drop_table("webhook_delivery")
    op.drop_index(op.f("ix_webhook_event_workspace_id"), table_name="webhook_event")
    op.drop_table("webhook_event")
    op.drop_index(op.f("ix_webhook_endpoint_workspace_id"), table_name="webhook_endpoint")
    op.drop_table("webhook_endpoint")
