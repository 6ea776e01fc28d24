"""`opsmaturity admin`: a workspace with its owner; API keys created, listed and revoked."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from app.cli import main as opsmaturity
from app.migrations.runner import upgrade_schema
from app.models import ApiKey, AuditEvent, User, WorkspaceMember, utc_now
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services.console_accounts import set_up_first_workspace
from app.services.errors import InvalidInputError
from tests.integration.console_session import PASSWORD, Console, csrf_of, signed_in
from tests.integration.live_server import LiveServer


@pytest.fixture
def cli_database(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI commands of the test work on the live server's database."""
    monkeypatch.setenv("DATABASE_URL", server.settings.database_url)
    monkeypatch.delenv("OPSMATURITY_DATABASE_URL", raising=False)


def run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert opsmaturity(arguments) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_workspace_and_api_key_lifecycle(
    server: LiveServer, cli_database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    created = run(
        [
            "admin",
            "workspace",
            "create",
            "Northwind Advisory",
            "--owner-email",
            f"Owner-{id(server)}@Northwind.example",
            "--owner-name",
            "Nora",
        ],
        capsys,
    )
    workspace_id = created.split()[1]
    password = next(line.split()[1] for line in created.splitlines() if line.startswith("password"))
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        membership = session.exec(
            select(WorkspaceMember).where(WorkspaceMember.workspace_id == workspace_id)
        ).one()
        owner = session.get(User, membership.user_id)
    assert owner is not None and membership.role == "owner"
    assert owner.email == f"owner-{id(server)}@northwind.example"
    assert owner.password_hash.startswith("$argon2") and PasswordHasher().verify(
        owner.password_hash, password
    )

    key = run(
        [
            "admin",
            "api-key",
            "create",
            "--workspace",
            workspace_id,
            "--name",
            "CRM sync",
            "--quiet",
        ],
        capsys,
    ).strip()
    assert key.startswith("om_live_")
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        stored = session.exec(select(ApiKey).where(ApiKey.workspace_id == workspace_id)).one()
    assert key not in (stored.secret_hash, stored.prefix) and key.startswith(stored.prefix + "_")
    headers = {"Authorization": f"Bearer {key}"}
    assert httpx.get(f"{server.url}/api/v1/clients", headers=headers).status_code == 200

    listed = run(["admin", "api-key", "list", "--workspace", workspace_id], capsys)
    assert stored.prefix in listed and "active" in listed and key not in listed
    run(["admin", "api-key", "revoke", stored.prefix, "--workspace", workspace_id], capsys)
    assert "revoked" in run(["admin", "api-key", "list", "--workspace", workspace_id], capsys)
    assert httpx.get(f"{server.url}/api/v1/clients", headers=headers).status_code == 401
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        used = session.exec(select(ApiKey).where(ApiKey.workspace_id == workspace_id)).one()
    assert used.last_used_at is not None and used.revoked_at is not None


def test_admin_errors_are_reported(cli_database: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        opsmaturity(["admin", "api-key", "create", "--workspace", "ws_missing", "--name", "x"]) == 1
    )
    assert "no workspace 'ws_missing'" in capsys.readouterr().err
    assert (
        opsmaturity(
            ["admin", "api-key", "revoke", "om_live_0000000000", "--workspace", "ws_missing"]
        )
        == 1
    )


def test_a_workspace_owner_password_shorter_than_the_consoles_minimum_is_refused(
    server: LiveServer,
    cli_database: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    email = f"short-{id(capsys)}@example.org"
    arguments = ["admin", "workspace", "create", "Shortcut Ltd", "--owner-email", email]
    arguments += ["--owner-name", "Sam", "--password-stdin"]
    for typed in ("a\n", "\n", "123456789\n"):
        monkeypatch.setattr("sys.stdin", io.StringIO(typed))
        assert opsmaturity(arguments) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == "opsmaturity admin: password: use at least 10 characters\n"
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        assert session.exec(select(User).where(User.email == email)).first() is None
    monkeypatch.setattr("sys.stdin", io.StringIO("1234567890\n"))
    assert "Shortcut Ltd" in run(arguments, capsys)


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    console = signed_in(server)
    yield console
    console.close()


def sign_in(console: Console, password: str) -> int:
    """The status of a sign-in with the console user's email and `password`."""
    fresh = httpx.Client(base_url=str(console.browser.base_url), timeout=60)
    with fresh:
        token = csrf_of(fresh.get("/console/login"))
        form = {"csrf_token": token, "email": console.email, "password": password, "next": "/"}
        return fresh.post("/console/login", data=form).status_code


def test_a_console_password_is_reset_from_the_cli(
    server: LiveServer,
    cli_database: None,
    console: Console,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert console.browser.get("/console").status_code == 200

    reset = run(["admin", "user", "reset-password", console.email.upper()], capsys)
    password = next(line.split()[1] for line in reset.splitlines() if line.startswith("password"))
    assert console.email in reset and len(password) >= 20
    # Signed out everywhere; the old password no longer opens the console, the new one does.
    assert console.browser.get("/console").status_code == 303
    assert sign_in(console, PASSWORD) != 303
    assert sign_in(console, password) == 303
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        actions = session.exec(
            select(AuditEvent.action).where(AuditEvent.workspace_id == console.workspace_id)
        ).all()
    assert "user.password_reset" in actions

    monkeypatch.setattr("sys.stdin", io.StringIO("chosen by the owner\n"))
    run(["admin", "user", "reset-password", console.email, "--password-stdin"], capsys)
    assert sign_in(console, "chosen by the owner") == 303


def test_a_password_reset_refuses_a_short_password_or_an_unknown_user(
    cli_database: None,
    console: Console,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    arguments = ["admin", "user", "reset-password", console.email, "--password-stdin"]
    assert opsmaturity(arguments) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "at least 10 characters" in error
    assert sign_in(console, PASSWORD) == 303  # nothing changed
    assert opsmaturity(["admin", "user", "reset-password", "nobody@example.org"]) == 1
    assert "no console user with email nobody@example.org" in capsys.readouterr().err


def test_names_that_break_the_text_rule_are_refused_everywhere(
    server: LiveServer,
    cli_database: None,
    console: Console,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spoofed = "Northwind \u202eyrosivdA"  # reads "Northwind Advisory" right to left
    owner = ["--owner-email", f"owner-{id(console)}@example.org", "--owner-name", "Nora"]
    assert opsmaturity(["admin", "workspace", "create", spoofed, *owner]) == 1
    assert "name: contains U+202E" in capsys.readouterr().err
    owner[-1] = "Nora\x07"
    assert opsmaturity(["admin", "workspace", "create", "Northwind", *owner]) == 1
    assert "owner_name: contains U+0007" in capsys.readouterr().err
    key = ["admin", "api-key", "create", "--workspace", console.workspace_id, "--name", spoofed]
    assert opsmaturity(key) == 1
    assert "name: contains U+202E" in capsys.readouterr().err

    page = console.post("/console/api-keys", {"name": spoofed})
    assert page.status_code == 422 and "contains U+202E" in page.text
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        names = session.exec(
            select(ApiKey.name).where(ApiKey.workspace_id == console.workspace_id)
        ).all()
        users = session.exec(select(User).where(User.email == owner[1])).all()
    assert spoofed not in names and users == []


def test_the_first_workspace_set_up_names_a_spoofed_name(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'setup.db'}")
    upgrade_schema(engine)
    try:
        with pytest.raises(InvalidInputError) as refused, unit_of_work(engine) as session:
            set_up_first_workspace(
                session=session,
                workspace_name="Harbour\u2066line",
                owner_name="Robin\u0085",
                email="robin@example.org",
                password="a long enough password",
                now=utc_now(),
            )
    finally:
        engine.dispose()
    assert {problem.field for problem in refused.value.problems} == {"workspace_name", "owner_name"}


def test_a_user_is_added_to_a_workspace_with_a_role_new_or_existing(
    server: LiveServer,
    cli_database: None,
    console: Console,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = signed_in(server, "Other Firm")
    try:
        email = f"viewer-{id(console)}@example.org"
        created = run(
            [
                "admin",
                "user",
                "create",
                email,
                "--workspace",
                console.workspace_id,
                "--name",
                "Vera",
                "--role",
                "viewer",
            ],
            capsys,
        )
        assert "viewer of" in created and "password" in created
        # The owner of another workspace joins this one with their own account.
        added = run(
            ["admin", "user", "create", other.email, "--workspace", console.workspace_id],
            capsys,
        )
        assert "existing" in added and not added.splitlines()[-1].startswith("password")
        with unit_of_work(server.app.state.runtime.database.engine) as session:
            roles = {
                m.user_id: m.role
                for m in session.exec(
                    select(WorkspaceMember).where(
                        WorkspaceMember.workspace_id == console.workspace_id
                    )
                ).all()
            }
        assert sorted(roles.values()) == ["consultant", "owner", "viewer"]
        again = ["admin", "user", "create", other.email, "--workspace", console.workspace_id]
        assert opsmaturity(again) == 1
        assert "member of this workspace already" in capsys.readouterr().err
    finally:
        other.close()
