"""Migrations upgrade, downgrade and upgrade again on both databases, and `alembic check`
finds nothing the models have that the migrations lack."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Connection, DateTime, bindparam, inspect, text

from app.cli import main as opsmaturity
from app.migrations.runner import check_schema, downgrade_schema, upgrade_schema
from app.models import metadata
from app.persistence.engine import make_engine
from tests.conftest import REPO_ROOT
from tests.integration.databases import fresh_database


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> object:
    with fresh_database(backend, tmp_path) as url:
        yield url


def test_upgrade_downgrade_upgrade_and_check(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade_schema(engine)
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
        check_schema(engine)
        downgrade_schema(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade_schema(engine)
        check_schema(engine)
        upgrade_schema(engine)  # at head already: nothing to do
    finally:
        engine.dispose()


def test_db_commands(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    monkeypatch.delenv("OPSMATURITY_DATABASE_URL", raising=False)
    assert opsmaturity(["db", "upgrade"]) == 0
    assert opsmaturity(["db", "check"]) == 0
    assert opsmaturity(["db", "downgrade", "base"]) == 0
    assert opsmaturity(["db", "upgrade"]) == 0
    assert "database at head" in capsys.readouterr().out


def test_the_alembic_command_finds_its_configuration_from_the_repository_root(
    empty_database_url: str,
) -> None:
    environment = {"DATABASE_URL": empty_database_url, "PATH": str(Path(sys.executable).parent)}
    alembic = str(Path(sys.executable).parent / "alembic")
    for arguments in (
        ["upgrade", "head"],
        ["check"],
        ["downgrade", "base"],
        ["upgrade", "head"],
        ["check"],
    ):
        completed = subprocess.run(
            [alembic, *arguments],
            cwd=REPO_ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr


def test_migration_files_are_date_named_and_reversible() -> None:
    versions = REPO_ROOT / "app" / "migrations" / "versions"
    files = sorted(p for p in versions.glob("*.py") if p.name != "__init__.py")
    assert files
    for path in files:
        text = path.read_text()
        assert path.name[:8].isdigit() and path.name[8] == "_", path.name
        assert "def downgrade() -> None:" in text
        assert "def downgrade() -> None:\n    pass" not in text, f"{path.name} cannot be undone"


BEFORE_ANONYMITY_RULE = "20261124_0100"


def test_stored_anonymity_k_below_3_is_raised_with_an_audit_event_each(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade_schema(engine, BEFORE_ANONYMITY_RULE)
        with engine.begin() as connection:
            _insert_rows_of_every_k(connection)
        upgrade_schema(engine)
        with engine.connect() as connection:
            assert _ks(connection, "workspace") == {"ws_1": 3, "ws_2": 3, "ws_5": 5}
            assert _ks(connection, "assessment") == {
                "asm_team_1": 3,
                "asm_team_2": 3,
                "asm_team_4": 4,
                "asm_self_1": 1,  # a self-assessment: one person reads their own answers
            }
            versions: dict[str, int] = dict(
                connection.execute(text("SELECT id, results_version FROM assessment")).all()
            )
            assert versions == {"asm_team_1": 1, "asm_team_2": 1, "asm_team_4": 0, "asm_self_1": 0}
            events = _raise_events(connection)
        assert sorted((e[0], e[1], e[2], e[3]) for e in events) == [
            ("assessment", "asm_team_1", "ws_1", "assessment.anonymity_k_raised"),
            ("assessment", "asm_team_2", "ws_2", "assessment.anonymity_k_raised"),
            ("workspace", "ws_1", "ws_1", "workspace.anonymity_k_raised"),
            ("workspace", "ws_2", "ws_2", "workspace.anonymity_k_raised"),
        ]
        details = {subject_id: detail for _, subject_id, _, _, detail, _ in events}
        assert details["asm_team_1"] == {
            "field": "anonymity_k",
            "from": 1,
            "to": 3,
            "revision": "20261202_0100",
        }
        assert details["ws_2"]["from"] == 2
        assert {actor for *_, actor in events} == {"migration"}

        # Downgrade keeps the raised values; upgrading again finds nothing left to raise.
        downgrade_schema(engine, BEFORE_ANONYMITY_RULE)
        upgrade_schema(engine)
        with engine.connect() as connection:
            assert _ks(connection, "assessment")["asm_team_1"] == 3
            assert len(_raise_events(connection)) == 4
        check_schema(engine)
    finally:
        engine.dispose()


BEFORE_ITEM_TARGETS = "20261203_0200"


def test_item_targets_arrive_empty_and_every_respondent_and_answer_stays(
    empty_database_url: str,
) -> None:
    """The new columns are added in place: a copied table would take the assessment's
    respondents and answers with it (ON DELETE CASCADE), on the way up or down."""
    engine = make_engine(empty_database_url)
    try:
        upgrade_schema(engine, BEFORE_ITEM_TARGETS)
        with engine.begin() as connection:
            _insert_rows_of_every_k(connection)
            _insert_respondent_with_an_answer(connection, "asm_team_4", "ws_5")
        upgrade_schema(engine)
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, target_items, percent_to_target_from FROM assessment")
            ).all()
            assert len(rows) == 4
            for _, items, reference in rows:
                assert (items in ({}, "{}"), reference) == (True, "zero")
            assert _respondents_and_answers(connection) == (1, 1)
        check_schema(engine)
        downgrade_schema(engine, BEFORE_ITEM_TARGETS)
        with engine.connect() as connection:
            assert _respondents_and_answers(connection) == (1, 1)
        upgrade_schema(engine)
        check_schema(engine)
    finally:
        engine.dispose()


def _insert_respondent_with_an_answer(
    connection: Connection, assessment_id: str, workspace_id: str
) -> None:
    now = {"now": datetime(2026, 12, 2, 12, 0)}
    connection.execute(
        text(
            "INSERT INTO respondent (id, workspace_id, assessment_id, attributes, "
            "invite_token_hash, status, created_at, updated_at, submitted_at) VALUES ('rsp_1', "
            ":workspace_id, :assessment_id, '{}', :token, 'submitted', :now, :now, :now)"
        ).bindparams(bindparam("now", type_=DateTime())),
        {"workspace_id": workspace_id, "assessment_id": assessment_id, "token": "0" * 64, **now},
    )
    connection.execute(
        text(
            "INSERT INTO answer (respondent_id, item_id, value, updated_at) "
            "VALUES ('rsp_1', 'plan_horizon', :value, :now)"
        ).bindparams(bindparam("now", type_=DateTime()), bindparam("value", type_=JSON())),
        {"value": "month", **now},
    )


def _respondents_and_answers(connection: Connection) -> tuple[int, int]:
    respondents = connection.execute(text("SELECT count(*) FROM respondent")).scalar_one()
    answers = connection.execute(text("SELECT count(*) FROM answer")).scalar_one()
    return respondents, answers


def _insert_rows_of_every_k(connection: Connection) -> None:
    now = datetime(2026, 11, 30, 12, 0)
    stamp = {"now": now}
    for workspace_id, k in (("ws_1", 1), ("ws_2", 2), ("ws_5", 5)):
        connection.execute(
            text(
                "INSERT INTO workspace (id, name, anonymity_k, created_at) "
                "VALUES (:id, :id, :k, :now)"
            ).bindparams(bindparam("now", type_=DateTime())),
            {"id": workspace_id, "k": k, **stamp},
        )
        connection.execute(
            text(
                "INSERT INTO client (id, workspace_id, name, created_at, updated_at) "
                "VALUES (:id, :workspace_id, 'Acme', :now, :now)"
            ).bindparams(bindparam("now", type_=DateTime())),
            {"id": f"cli_{workspace_id}", "workspace_id": workspace_id, **stamp},
        )
    for assessment_id, workspace_id, kind, k in (
        ("asm_team_1", "ws_1", "team", 1),
        ("asm_team_2", "ws_2", "team", 2),
        ("asm_team_4", "ws_5", "team", 4),
        ("asm_self_1", "ws_1", "self", 1),
    ):
        connection.execute(
            text(
                "INSERT INTO assessment (id, workspace_id, client_id, title, questionnaire_id, "
                "questionnaire_version, content_hash, status, kind, target_dimensions, "
                "anonymity_k, results_version, created_at, updated_at) VALUES (:id, "
                ":workspace_id, :client_id, 'Q4', 'example', '1.0.0', 'hash', 'open', :kind, "
                "'{}', :k, 0, :now, :now)"
            ).bindparams(bindparam("now", type_=DateTime())),
            {
                "id": assessment_id,
                "workspace_id": workspace_id,
                "client_id": f"cli_{workspace_id}",
                "kind": kind,
                "k": k,
                **stamp,
            },
        )


def _ks(connection: Connection, table: str) -> dict[str, int]:
    rows = connection.execute(text(f"SELECT id, anonymity_k FROM {table}")).all()
    return {row_id: k for row_id, k in rows}


def _raise_events(connection: Connection) -> list[tuple[str, str, str, str, Any, str]]:
    statement = text(
        "SELECT subject_type, subject_id, workspace_id, action, detail, actor "
        "FROM audit_event WHERE action LIKE '%.anonymity_k_raised'"
    ).columns(detail=JSON())
    return [tuple(row) for row in connection.execute(statement).all()]


BEFORE_WORKSPACE_MEMBERS = "20261204_0100"


def test_an_owner_keeps_their_workspace_role_sessions_and_keys_through_members(
    empty_database_url: str,
) -> None:
    """Every user becomes a member of their workspace with their role. On SQLite the user
    table is copied, and the copy must not take sessions, memberships or the creators of API
    keys with it (ON DELETE CASCADE / SET NULL), on the way up or down."""
    engine = make_engine(empty_database_url)
    try:
        upgrade_schema(engine, BEFORE_WORKSPACE_MEMBERS)
        with engine.begin() as connection:
            _insert_rows_of_every_k(connection)
            _insert_users_with_a_session_and_a_key(connection)
        upgrade_schema(engine)
        with engine.connect() as connection:
            members = connection.execute(
                text("SELECT user_id, workspace_id, role FROM workspace_member ORDER BY user_id")
            ).all()
            assert [tuple(m) for m in members] == [
                ("usr_owner", "ws_1", "owner"),
                ("usr_viewer", "ws_1", "viewer"),
            ]
            assert _sessions_and_key_creator(connection) == (["tok_owner"], "usr_owner")
            emails = connection.execute(text("SELECT email FROM user_account")).scalars().all()
            assert sorted(emails) == ["owner@example.org", "viewer@example.org"]
        check_schema(engine)
        downgrade_schema(engine, BEFORE_WORKSPACE_MEMBERS)
        with engine.connect() as connection:
            users = connection.execute(
                text("SELECT id, workspace_id, role FROM user_account ORDER BY id")
            ).all()
            assert [tuple(u) for u in users] == [
                ("usr_owner", "ws_1", "owner"),
                ("usr_viewer", "ws_1", "viewer"),
            ]
            assert _sessions_and_key_creator(connection) == (["tok_owner"], "usr_owner")
        upgrade_schema(engine)
        check_schema(engine)
    finally:
        engine.dispose()


def _insert_users_with_a_session_and_a_key(connection: Connection) -> None:
    stamp = bindparam("now", type_=DateTime())
    now = datetime(2026, 12, 3, 12, 0)
    for user_id, role in (("usr_owner", "owner"), ("usr_viewer", "viewer")):
        connection.execute(
            text(
                "INSERT INTO user_account (id, workspace_id, email, name, role, password_hash, "
                "created_at) VALUES (:id, 'ws_1', :email, 'Someone', :role, 'x', :now)"
            ).bindparams(stamp),
            {"id": user_id, "email": f"{role}@example.org", "role": role, "now": now},
        )
    connection.execute(
        text(
            "INSERT INTO web_session (token_hash, user_id, workspace_id, created_at, expires_at) "
            "VALUES ('tok_owner', 'usr_owner', 'ws_1', :now, :now)"
        ).bindparams(stamp),
        {"now": now},
    )
    connection.execute(
        text(
            "INSERT INTO api_key (id, workspace_id, created_by_user_id, name, prefix, "
            "secret_hash, created_at) VALUES ('key_1', 'ws_1', 'usr_owner', 'CRM', 'om_1', "
            "'hash', :now)"
        ).bindparams(stamp),
        {"now": now},
    )


def _sessions_and_key_creator(connection: Connection) -> tuple[list[str], str | None]:
    sessions = connection.execute(text("SELECT token_hash FROM web_session")).scalars().all()
    creator = connection.execute(
        text("SELECT created_by_user_id FROM api_key WHERE id = 'key_1'")
    ).scalar_one()
    return list(sessions), creator
