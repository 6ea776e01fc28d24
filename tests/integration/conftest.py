"""Integration fixtures: every test runs through HTTP against a live server, once on SQLite
and once on PostgreSQL, on a database built by the real migrations.

Tests share one server and database per backend; each test gets its own workspace, so the
product's own workspace scoping keeps tests apart.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin, webhook_addresses
from app.settings import Settings
from tests.conftest import QUESTIONNAIRES
from tests.integration.databases import fresh_database
from tests.integration.live_server import LiveServer, running_server

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(autouse=True)
def no_dns_for_made_up_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saving a webhook endpoint looks its host name up. Tests register made-up names
    (crm.example, hooks.test …): answer them "not found" at once, as a resolver without
    internet does, so no test waits on a resolver that hangs. Tests that need an answer set
    `webhook_addresses.host_lookup` themselves."""

    def not_found(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, f"{host}: not found (tests ask no DNS)")

    monkeypatch.setattr(webhook_addresses, "host_lookup", not_found)


@dataclass
class Workspace:
    id: str
    api_key: str
    api: httpx.Client
    server: LiveServer


@pytest.fixture(scope="session")
def questionnaires_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the example package: the real questionnaires change under other people's hands."""
    folder = tmp_path_factory.mktemp("questionnaires")
    shutil.copytree(QUESTIONNAIRES / "example" / "1.0.0", folder / "example")
    return folder


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(backend, tmp_path_factory.mktemp(backend)) as url:
        yield url


@pytest.fixture(scope="session")
def server(
    database_url: str, questionnaires_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    settings = Settings(
        environment="test",
        database_url=database_url,
        questionnaires_dir=questionnaires_dir,
        mail_folder=tmp_path_factory.mktemp("mail"),  # no relay: mail is written here
        # Mail stays queued: its worker's reads would land among the statements that tests
        # of the persistence seam count. Tests of sending run servers and workers of their own.
        mail_worker_in_process=False,
        base_url="https://opsmaturity.test",
        secure_cookies=False,  # the pages are tested over plain http on loopback
        rate_limits=False,  # many tests share it; test_rate_limits.py starts its own servers
    )
    with running_server(settings) as live:
        yield live


def new_workspace(server: LiveServer, name: str = "Test workspace") -> Workspace:
    now = utc_now()
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name=name,
            owner_email=f"owner-{now.timestamp()}-{id(session)}@example.org",
            owner_name="Owner",
            owner_password="correct horse battery staple",
            now=now,
        )
        _, key = admin.create_api_key(
            session=session, workspace_id=workspace.id, name="tests", now=now
        )
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    return Workspace(workspace.id, key, api, server)


@pytest.fixture
def workspace(server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(server)
    yield created
    created.api.close()


@pytest.fixture
def other_workspace(server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(server, "Another firm")
    yield created
    created.api.close()
