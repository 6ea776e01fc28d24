"""Workspace members: a user belongs to several workspaces, with a role in each.

`workspace_member` (workspace_id, user_id, role, created_at) takes over
`user_account.workspace_id` and `user_account.role`: every existing user becomes a member of
their workspace with their role. `user_account.last_workspace_id` remembers the workspace a
user last switched to. `colleague_invitation` holds pending invitations (the SHA-256 of their
token, never the token).

Dropping a column that has a foreign key needs a copy of `user_account` on SQLite, and
dropping the old copy runs an implicit DELETE with ON DELETE CASCADE: every web session
and membership of the user would go with it, and API keys would forget who created them.
The foreign-key pragma cannot be turned off inside the migration's transaction, so the rows
that reference `user_account` are kept aside first and put back after the copy, in the same
transaction (`_keeping_children`). PostgreSQL drops the columns in place.

Downgrade gives each user the workspace and role of one membership (an owner's first,
else the oldest); users without any membership are deleted, as the old schema needs a
workspace for every user. Pending invitations are dropped.

Plain op calls and SQL only: the models may change after this migration is written.

Revision ID: 20261204_0200
Revises: 20261204_0100
Create Date: 2026-12-04 02:00:00.000000
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0200"
down_revision: str | Sequence[str] | None = "20261204_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROLE_CHECK = "role IN ('owner', 'consultant', 'viewer')"


def upgrade() -> None:
    op.create_table(
        "workspace_member",
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_ROLE_CHECK, name=op.f("ck_workspace_member_role")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_workspace_member_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workspace_member_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "user_id", name=op.f("pk_workspace_member")),
    )
    op.create_index(
        op.f("ix_workspace_member_user_id"), "workspace_member", ["user_id"], unique=False
    )
    op.create_table(
        "colleague_invitation",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_user_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(_ROLE_CHECK, name=op.f("ck_colleague_invitation_role")),
        sa.ForeignKeyConstraint(
            ["invited_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_colleague_invitation_invited_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_colleague_invitation_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_colleague_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_colleague_invitation_token_hash")),
    )
    op.create_index(
        op.f("ix_colleague_invitation_workspace_id"),
        "colleague_invitation",
        ["workspace_id"],
        unique=False,
    )
    op.execute(
        "INSERT INTO workspace_member (workspace_id, user_id, role, created_at) "
        "SELECT workspace_id, id, role, created_at FROM user_account"
    )
    op.drop_index(op.f("ix_user_account_workspace_id"), table_name="user_account")
    with _keeping_children("user_account"), op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_constraint(op.f("fk_user_account_workspace_id_workspace"), type_="foreignkey")
        batch_op.drop_column("workspace_id")
        batch_op.drop_column("role")
        batch_op.add_column(sa.Column("last_workspace_id", sa.String(length=40), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_user_account_last_workspace_id_workspace"),
            "workspace",
            ["last_workspace_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    op.add_column("user_account", sa.Column("workspace_id", sa.String(length=40), nullable=True))
    op.add_column("user_account", sa.Column("role", sa.String(length=20), nullable=True))
    # One membership each: an owner's first, else the oldest.
    chosen = (
        "SELECT {column} FROM workspace_member m WHERE m.user_id = user_account.id "
        "ORDER BY CASE WHEN m.role = 'owner' THEN 0 ELSE 1 END, m.created_at, m.workspace_id "
        "LIMIT 1"
    )
    op.execute(
        f"UPDATE user_account SET workspace_id = ({chosen.format(column='m.workspace_id')}), "  # noqa: S608 - fixed text
        f"role = ({chosen.format(column='m.role')})"
    )
    op.execute("DELETE FROM user_account WHERE workspace_id IS NULL")
    op.drop_index(op.f("ix_colleague_invitation_workspace_id"), table_name="colleague_invitation")
    op.drop_table("colleague_invitation")
    op.drop_index(op.f("ix_workspace_member_user_id"), table_name="workspace_member")
    op.drop_table("workspace_member")
    with _keeping_children("user_account"), op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_user_account_last_workspace_id_workspace"), type_="foreignkey"
        )
        batch_op.drop_column("last_workspace_id")
        batch_op.alter_column("workspace_id", existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column("role", existing_type=sa.String(length=20), nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_user_account_workspace_id_workspace"),
            "workspace",
            ["workspace_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.create_index(
        op.f("ix_user_account_workspace_id"), "user_account", ["workspace_id"], unique=False
    )


@contextmanager
def _keeping_children(parent: str) -> Iterator[None]:
    """On SQLite, keep aside the rows that reference `parent` while the batch operation copies
    it, and put them back afterwards: dropping the old copy deletes them (ON DELETE CASCADE)
    or clears their reference (SET NULL). Other databases alter in place: nothing to do."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        yield
        return
    # Table and column names below come from the database's own schema, never from input.
    inspector = sa.inspect(connection)
    cascaded: list[str] = []
    cleared: list[tuple[str, str, list[str]]] = []
    for table in inspector.get_table_names():
        for key in inspector.get_foreign_keys(table):
            if key["referred_table"] != parent or table == parent:
                continue
            action = (key.get("options") or {}).get("ondelete", "").upper()
            (column,) = key["constrained_columns"]
            if action == "CASCADE":
                cascaded.append(table)
            elif action == "SET NULL":
                primary_key = inspector.get_pk_constraint(table)["constrained_columns"]
                cleared.append((table, column, primary_key))
            else:
                raise RuntimeError(f"{table}.{column} references {parent}: decide how to keep it")
    for table in cascaded:
        for other in inspector.get_table_names():
            for key in inspector.get_foreign_keys(other):
                if key["referred_table"] == table and other not in cascaded:
                    raise RuntimeError(f"{other} references {table}: decide how to keep it")
        op.execute(f"CREATE TABLE _keep_{table} AS SELECT * FROM {table}")  # noqa: S608
    for table, column, _ in cleared:
        op.execute(f"CREATE TABLE _keep_{table}_{column} AS SELECT * FROM {table}")  # noqa: S608
    yield
    for table in cascaded:
        op.execute(f"INSERT INTO {table} SELECT * FROM _keep_{table}")  # noqa: S608
        op.execute(f"DROP TABLE _keep_{table}")
    for table, column, primary_key in cleared:
        kept = f"_keep_{table}_{column}"
        same_row = " AND ".join(f"{kept}.{name} = {table}.{name}" for name in primary_key)
        op.execute(
            f"UPDATE {table} SET {column} = (SELECT {kept}.{column} FROM {kept} WHERE {same_row})"  # noqa: S608
        )
        op.execute(f"DROP TABLE {kept}")
