"""Anonymity k of at least 3: every stored anonymity_k below 3 is raised to 3.

Raised in `workspace` (the default for new assessments) and in `assessment`, except in
self-assessments (kind "self"): one person reading their own answers, stored with k=1 on
purpose. Each raised row gets one audit event (action "<table>.anonymity_k_raised", actor
"migration", detail: the old and new k). A raised assessment's results version is bumped,
since its results change, and its updated_at too, so that API clients syncing by
`updated_since` see the new k.

Downgrade leaves the raised values and the audit events as they are: restoring a k below 3
would show groups small enough to single out a person, and the audit events record what
happened. The schema does not change, so there is nothing else to undo.

Plain SQL only: the models may change after this migration is written.

Revision ID: 20261202_0100
Revises: 20261124_0100
Create Date: 2026-12-02 01:00:00.000000
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_0100"
down_revision: str | Sequence[str] | None = "20261124_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIN_ANONYMITY_K = 3  # a copy: a migration never imports app code that may change later
ACTOR = "migration"

_RECORD_EVENT = sa.text(
    "INSERT INTO audit_event "
    "(id, workspace_id, actor, action, subject_type, subject_id, detail, created_at) "
    "VALUES (:id, :workspace_id, :actor, :action, :subject_type, :subject_id, :detail, :now)"
).bindparams(sa.bindparam("detail", type_=sa.JSON()), sa.bindparam("now", type_=sa.DateTime()))
_RAISE = {
    "workspace": sa.text(
        "UPDATE workspace SET anonymity_k = :k WHERE id = :id AND anonymity_k < :k"
    ),
    "assessment": sa.text(
        "UPDATE assessment SET anonymity_k = :k, "
        "results_version = results_version + 1, updated_at = :now "
        "WHERE id = :id AND anonymity_k < :k"
    ).bindparams(sa.bindparam("now", type_=sa.DateTime())),
}
_LOW = {
    "workspace": sa.text(
        "SELECT id, id AS workspace_id, anonymity_k FROM workspace WHERE anonymity_k < :k"
    ),
    "assessment": sa.text(
        "SELECT id, workspace_id, anonymity_k FROM assessment "
        "WHERE anonymity_k < :k AND kind <> 'self'"
    ),
}


def upgrade() -> None:
    connection = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC (app/models/columns.py)
    for table in ("workspace", "assessment"):
        low = connection.execute(_LOW[table], {"k": MIN_ANONYMITY_K}).all()
        if not low:
            continue
        # Row by row, by id: exactly the rows read get raised, each with its own event.
        connection.execute(
            _RAISE[table], [{"id": row.id, "k": MIN_ANONYMITY_K, "now": now} for row in low]
        )
        connection.execute(
            _RECORD_EVENT,
            [
                {
                    "id": f"evt_{uuid.uuid4().hex}",
                    "workspace_id": row.workspace_id,
                    "actor": ACTOR,
                    "action": f"{table}.anonymity_k_raised",
                    "subject_type": table,
                    "subject_id": row.id,
                    "detail": {
                        "field": "anonymity_k",
                        "from": row.anonymity_k,
                        "to": MIN_ANONYMITY_K,
                        "revision": revision,
                    },
                    "now": now,
                }
                for row in low
            ],
        )


def downgrade() -> None:
    """Nothing to undo: the raised values and their audit events stay (see above)."""
