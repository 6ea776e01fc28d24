"""The mail outbox through a real SMTP server (aiosmtpd on a loopback port) and through the
mail folder, on SQLite and PostgreSQL: what is queued arrives once, under the Message-ID it
was given, with a relay that is down for a while; a recipient refused for good is marked
failed and shown in the console, where it can be sent again."""

from __future__ import annotations

import asyncio
import email
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import select

from app.mail.worker import MailWorker
from app.migrations.runner import upgrade_schema
from app.models import MailAttempt, MailMessage, Workspace, utc_now
from app.persistence.database import Database
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.services.errors import InvalidInputError
from app.services.mail_outbox import MailSender, queue_mail
from app.settings import Settings
from tests.integration.console_session import PASSWORD, csrf_of, signed_in
from tests.integration.databases import fresh_database
from tests.integration.live_server import LiveServer, running_server
from tests.integration.smtp_server import SmtpServer

FIRM = "Acme <Advisory> & Partners"


@pytest.fixture
def mail_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of each test's own: no other mail worker claims these messages."""
    with fresh_database(backend, tmp_path_factory.mktemp(f"mail-{backend}")) as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        engine.dispose()
        yield url


@pytest.fixture
def engine(mail_database: str) -> Iterator[Engine]:
    engine = make_engine(mail_database)
    yield engine
    engine.dispose()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


def _settings(url: str, folder: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": url,
        "base_url": "https://opsmaturity.test",
        "mail_from": "Acme Advisory <advice@acme.example>",
        "mail_folder": folder,
        "mail_worker_in_process": False,
        "webhooks_worker_in_process": False,
        "rate_limits": False,
        "secure_cookies": False,
        "mail_retry_base_seconds": 60,
        "mail_retry_max_seconds": 600,
        **overrides,
    }
    return Settings(**values)


def _relay(url: str, folder: Path, smtp: SmtpServer) -> Settings:
    return _settings(url, folder, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_security="none")


def _workspace(engine: Engine, *, reply_to: str | None = None) -> tuple[str, str]:
    """A new workspace: its id and its owner's e-mail (password PASSWORD)."""
    now = utc_now()
    owner = f"owner-{now.timestamp()}@acme.example"
    with unit_of_work(engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name=FIRM,
            owner_email=owner,
            owner_name="Casey Consultant",
            owner_password=PASSWORD,
            now=now,
        )
        workspace.mail_reply_to = reply_to
        session.add(workspace)
        return workspace.id, owner


def _queue(
    engine: Engine, settings: Settings, workspace_id: str, to: str, *, now: datetime
) -> MailMessage:
    with unit_of_work(engine, writes=True) as session:
        queued = queue_mail(
            session=session,
            sender=MailSender.of(settings),
            workspace_id=workspace_id,
            to_address=to,
            to_name="Robin Reader",
            template="password_reset",
            context={"user_name": "Robin", "email": to, "token": "tok-123", "valid_minutes": 60},
            now=now,
        )
        assert queued is not None
        session.expunge(queued)
        return queued


def _deliver(settings: Settings, at: datetime) -> int:
    database = Database.open(settings.database_url)
    worker = MailWorker(database=database, settings=settings, clock=lambda: at)
    try:
        return asyncio.run(worker.deliver_until_idle())
    finally:
        asyncio.run(database.close())


def _rows(engine: Engine, ids: list[str]) -> dict[str, tuple[MailMessage, list[MailAttempt]]]:
    with unit_of_work(engine) as session:
        found = {}
        for mail_id in ids:
            message = session.get(MailMessage, mail_id)
            assert message is not None
            attempts = session.exec(
                select(MailAttempt).where(MailAttempt.message_id == mail_id)
            ).all()
            session.expunge_all()
            found[mail_id] = (message, sorted(attempts, key=lambda a: a.attempt))
        return found


def test_a_message_arrives_at_the_relay_as_queued(
    engine: Engine, mail_database: str, tmp_path: Path, smtp: SmtpServer
) -> None:
    smtp.start()
    settings = _relay(mail_database, tmp_path / "mail", smtp)
    workspace_id, _ = _workspace(engine, reply_to="partner@acme.example")
    now = utc_now()
    queued = _queue(engine, settings, workspace_id, "Robin@Client.Example.COM", now=now)
    assert queued.to_address == "Robin@client.example.com"  # the domain as mail is sent to it

    assert _deliver(settings, now) == 1
    (received,) = smtp.wait_for(1)
    message = received.message
    assert received.recipients == ["Robin@client.example.com"]
    assert received.mail_from == "advice@acme.example"
    assert message["To"] == "Robin Reader <Robin@client.example.com>"
    assert message["From"] == "Acme Advisory <advice@acme.example>"
    assert message["Reply-To"] == "partner@acme.example"
    assert message["Subject"] == "Reset your OpsMaturity password"
    assert message["Message-ID"] == queued.message_id
    assert message["Message-ID"].endswith("@acme.example>")
    assert message["Auto-Submitted"] == "auto-generated"
    link = "https://opsmaturity.test/console/password-reset/tok-123"
    assert link in received.text and f'href="{link}"' in received.html
    # The workspace's name is text in the HTML, never markup.
    assert "Acme &lt;Advisory&gt; &amp; Partners" in received.html
    assert "<Advisory>" not in received.html
    assert not (tmp_path / "mail").exists()  # with a relay, nothing goes to the folder

    ((row, attempts),) = _rows(engine, [queued.id]).values()
    assert (row.status, row.attempt_count, row.last_error) == ("sent", 1, None)
    assert row.sent_at == now
    assert [(a.attempt, a.error) for a in attempts] == [(1, None)]


def test_a_relay_that_is_down_delays_mail_and_loses_none(
    engine: Engine, mail_database: str, tmp_path: Path, smtp: SmtpServer
) -> None:
    settings = _relay(mail_database, tmp_path / "mail", smtp)  # not started: refused
    workspace_id, _ = _workspace(engine)
    start = utc_now()
    queued = [
        _queue(engine, settings, workspace_id, f"person-{n}@client.example.com", now=start)
        for n in range(3)
    ]
    ids = [message.id for message in queued]

    assert _deliver(settings, start) == 3
    for row, attempts in _rows(engine, ids).values():
        assert (row.status, row.attempt_count) == ("pending", 1)
        assert row.last_error is not None and "ConnectionRefusedError" in row.last_error
        assert row.next_attempt_at is not None
        # The backoff: 60 s, of which a random half or more.
        assert start + timedelta(seconds=30) <= row.next_attempt_at <= start + timedelta(seconds=60)
        assert [a.attempt for a in attempts] == [1]
    assert _deliver(settings, start + timedelta(seconds=20)) == 0  # nothing due yet

    smtp.start()
    later = start + timedelta(minutes=2)
    assert _deliver(settings, later) == 3
    received = smtp.wait_for(3)
    assert sorted(mail.message["Message-ID"] for mail in received) == sorted(
        message.message_id for message in queued
    )
    for row, attempts in _rows(engine, ids).values():
        assert (row.status, row.attempt_count, row.last_error) == ("sent", 2, None)
        assert [a.error is None for a in attempts] == [False, True]

    assert _deliver(settings, later + timedelta(hours=10)) == 0
    assert len(smtp.received) == 3  # none twice


def test_a_recipient_refused_for_good_fails_shows_in_the_console_and_can_go_again(
    engine: Engine, mail_database: str, tmp_path: Path, smtp: SmtpServer
) -> None:
    smtp.start()
    smtp.refuse("gone@client.example.com")
    settings = _relay(mail_database, tmp_path / "mail", smtp)
    workspace_id, owner = _workspace(engine)
    now = utc_now()
    refused = _queue(engine, settings, workspace_id, "gone@client.example.com", now=now)

    assert _deliver(settings, now) == 1
    ((row, _),) = _rows(engine, [refused.id]).values()
    assert (row.status, row.attempt_count) == ("failed", 1)  # retrying cannot help
    assert row.last_error is not None and "550" in row.last_error
    assert smtp.received == []

    with running_server(settings) as server, _signed_in(server.url, owner) as browser:
        page = browser.get("/console/mail")
        assert page.status_code == 200
        assert "Reset your OpsMaturity password" in page.text and "Failed" in page.text
        assert "No such mailbox" in page.text
        detail = browser.get(f"/console/mail/{refused.id}")
        assert "gone@client.example.com" in detail.text and "Send again" in detail.text
        again = browser.post(
            f"/console/mail/{refused.id}/send-again", data={"csrf_token": csrf_of(detail)}
        )
        assert again.status_code == 303
        assert again.headers["location"] == "/console/mail?done=mail-requeued"
        # A message that is not failed is not sent again.
        twice = browser.post(
            f"/console/mail/{refused.id}/send-again", data={"csrf_token": csrf_of(detail)}
        )
        assert twice.status_code == 409
    ((row, _),) = _rows(engine, [refused.id]).values()
    assert (row.status, row.attempt_count) == ("pending", 0)


def test_without_a_relay_mail_is_written_to_the_folder_and_listed_in_the_console(
    engine: Engine, mail_database: str, tmp_path: Path
) -> None:
    folder = tmp_path / "mail"
    settings = _settings(mail_database, folder)
    workspace_id, owner = _workspace(engine)
    now = utc_now()
    queued = _queue(engine, settings, workspace_id, "robin@client.example.com", now=now)

    assert _deliver(settings, now) == 1
    written = folder / f"{queued.id}.eml"
    assert [path.name for path in folder.iterdir()] == [written.name]  # no temporary left
    message = email.message_from_bytes(written.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    assert message["Message-ID"] == queued.message_id
    assert message["To"] == "Robin Reader <robin@client.example.com>"

    with running_server(settings) as server, _signed_in(server.url, owner) as browser:
        page = browser.get("/console/mail")
        assert "No SMTP relay is configured" in page.text and str(folder.resolve()) in page.text
        assert f"/console/mail/{queued.id}" in page.text and "Sent" in page.text
        detail = browser.get(f"/console/mail/{queued.id}")
        assert "/console/password-reset/tok-123" in detail.text
        assert queued.message_id.replace("<", "&lt;").replace(">", "&gt;") in detail.text
        html = browser.get(f"/console/mail/{queued.id}/html")
        policy = html.headers["content-security-policy"]
        assert policy.startswith("sandbox;") and "script-src" not in policy
        assert "Choose a new password" in html.text
        download = browser.get(f"/console/mail/{queued.id}/message.eml")
        assert download.headers["content-type"] == "message/rfc822"
        again = email.message_from_bytes(download.content, policy=default)
        assert again["Message-ID"] == queued.message_id
        assert browser.get("/console/mail/mail_unknown").status_code == 404


def test_header_injection_and_bad_addresses_are_refused_before_anything_is_queued(
    engine: Engine, mail_database: str, tmp_path: Path
) -> None:
    settings = _settings(mail_database, tmp_path / "mail")
    workspace_id, _ = _workspace(engine)
    cases = [
        ("robin@client.example.com", "Robin\r\nBcc: spy@evil.example", "name"),
        ("robin@client.example.com\r\nBcc: spy@evil.example", "Robin", "email"),
        ("not an address", "Robin", "email"),
        ("robin@", "Robin", "email"),
    ]
    for address, name, field in cases:
        with (
            unit_of_work(engine, writes=True) as session,
            pytest.raises(InvalidInputError) as refused,
        ):
            queue_mail(
                session=session,
                sender=MailSender.of(settings),
                workspace_id=workspace_id,
                to_address=address,
                to_name=name,
                template="password_reset",
                context={"user_name": name, "email": address, "token": "t", "valid_minutes": 1},
                now=utc_now(),
            )
        assert [problem.field for problem in refused.value.problems] == [field]
    # Mail that nobody waits on (a reminder, a notice) is left out instead of refused.
    with unit_of_work(engine, writes=True) as session:
        skipped = queue_mail(
            session=session,
            sender=MailSender.of(settings),
            workspace_id=workspace_id,
            to_address="robin@host.invalid",
            to_name="Robin",
            template="password_reset",
            context={"user_name": "R", "email": "r", "token": "t", "valid_minutes": 1},
            now=utc_now(),
            skip_undeliverable=True,
        )
        assert skipped is None
    with unit_of_work(engine) as session:
        mine = select(MailMessage).where(MailMessage.workspace_id == workspace_id)
        assert session.exec(mine).all() == []


@contextmanager
def _signed_in(url: str, email_address: str) -> Iterator[httpx.Client]:
    """A browser signed in to the console as `email_address`."""
    with httpx.Client(base_url=url, timeout=60) as browser:
        token = csrf_of(browser.get("/console/login"))
        form = {"csrf_token": token, "email": email_address, "password": PASSWORD}
        assert browser.post("/console/login", data={**form, "next": "/console"}).status_code == 303
        yield browser


def test_the_workspace_reply_to_is_set_in_the_console_and_checked(server: LiveServer) -> None:
    console = signed_in(server)
    try:
        bad = console.post("/console/settings/mail", {"mail_reply_to": "partner@@acme.example"})
        assert bad.status_code == 422 and "is not an e-mail address" in bad.text
        assert 'value="partner@@acme.example"' in bad.text  # what was typed stays
        saved = console.post("/console/settings/mail", {"mail_reply_to": "Partner@Acme.Example"})
        assert saved.status_code == 303
        page = console.browser.get("/console/settings")
        assert "Mail settings saved." in console.browser.get(saved.headers["location"]).text
        assert 'value="Partner@acme.example"' in page.text
        assert console.post("/console/settings/mail", {"mail_reply_to": ""}).status_code == 303
        with unit_of_work(server.app.state.runtime.database.engine) as session:
            workspace = session.get(Workspace, console.workspace_id)
            assert workspace is not None and workspace.mail_reply_to is None
    finally:
        console.close()
