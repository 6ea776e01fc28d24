"""Console mail through a real SMTP server (aiosmtpd), on SQLite and PostgreSQL. A forgotten
password reset by e-mail: the same answer for an address with and without an account, a
link that works once and expires, only its hash stored, every session ended, and requests
throttled. A colleague invited by e-mail joins through the link in the message."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine, update
from sqlmodel import select

from app.migrations.runner import upgrade_schema
from app.models import PasswordReset, utc_now
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.settings import Settings
from tests.integration.console_session import PASSWORD, csrf_of
from tests.integration.databases import fresh_database
from tests.integration.live_server import LiveServer, running_server
from tests.integration.smtp_server import ReceivedMail, SmtpServer

BASE_URL = "https://opsmaturity.example"
LINK = re.compile(re.escape(BASE_URL) + r"(/console/password-reset/[A-Za-z0-9_-]+)")
NEW_PASSWORD = "a much longer new passphrase"


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def live(
    backend: str, tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer
) -> Iterator[LiveServer]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"reset-{backend}")) as url:
        settings = Settings(
            environment="test",
            database_url=url,
            base_url=BASE_URL,
            secure_cookies=False,
            rate_limits=False,
            webhooks_worker_in_process=False,
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_security="none",
            mail_from="OpsMaturity <no-reply@opsmaturity.example>",
            mail_poll_interval_seconds=0.05,
        )
        engine = make_engine(url)
        upgrade_schema(engine)
        engine.dispose()
        with running_server(settings) as server:
            yield server


def _engine(server: LiveServer) -> Engine:
    engine: Engine = server.app.state.runtime.database.engine
    return engine


def _owner(server: LiveServer, name: str) -> str:
    email = f"{name.lower()}-{utc_now().timestamp()}@firm.example"
    with unit_of_work(_engine(server), writes=True) as session:
        admin.create_workspace(
            session=session,
            name=f"{name}'s firm",
            owner_email=email,
            owner_name=name,
            owner_password=PASSWORD,
            now=utc_now(),
        )
    return email


def _sign_in(browser: httpx.Client, email: str, password: str) -> httpx.Response:
    token = csrf_of(browser.get("/console/login"))
    form = {"csrf_token": token, "email": email, "password": password, "next": "/console"}
    return browser.post("/console/login", data=form)


def _ask(browser: httpx.Client, email: str) -> httpx.Response:
    token = csrf_of(browser.get("/console/password-reset"))
    return browser.post("/console/password-reset", data={"csrf_token": token, "email": email})


def _link_in(mail: ReceivedMail) -> str:
    found = LINK.search(mail.text)
    assert found, mail.text
    assert found.group(0) in mail.html
    return found.group(1)


def _mail_to(smtp: SmtpServer, email: str, count: int = 1) -> list[ReceivedMail]:
    def mine() -> list[ReceivedMail]:
        return [mail for mail in smtp.received if mail.recipients == [email]]

    smtp.wait_for(len(smtp.received) - len(mine()) + count)
    return mine()


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(
    live: LiveServer, smtp: SmtpServer
) -> None:
    email = _owner(live, "Morgan")
    with (
        httpx.Client(base_url=live.url) as signed_in,
        httpx.Client(base_url=live.url) as browser,
    ):
        assert _sign_in(signed_in, email, PASSWORD).status_code == 303
        assert signed_in.get("/console").status_code == 200
        login = browser.get("/console/login")
        assert 'href="/console/password-reset"' in login.text

        asked = _ask(browser, email.upper())
        assert asked.status_code == 200 and "Check your email" in asked.text
        (mail,) = _mail_to(smtp, email)
        assert mail.message["Subject"] == "Reset your OpsMaturity password"
        path = _link_in(mail)
        token = path.rsplit("/", 1)[1]
        with unit_of_work(_engine(live)) as session:
            stored = session.exec(select(PasswordReset.token_hash)).all()
        assert hashlib.sha256(token.encode()).hexdigest() in stored
        assert token not in stored

        form = browser.get(path)
        assert form.status_code == 200 and email in form.text
        csrf = csrf_of(form)
        differ = browser.post(
            path, data={"csrf_token": csrf, "password": NEW_PASSWORD, "repeat": "something else"}
        )
        assert differ.status_code == 422 and "differ" in differ.text
        short = browser.post(
            path, data={"csrf_token": csrf, "password": "short", "repeat": "short"}
        )
        assert short.status_code == 422 and "at least 10 characters" in short.text
        done = browser.post(
            path, data={"csrf_token": csrf, "password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
        )
        assert done.status_code == 200 and "Password changed" in done.text

        # The session that was signed in before has ended; the old password no longer works.
        ended = signed_in.get("/console")
        assert ended.status_code == 303 and ended.headers["location"].startswith("/console/login")
        assert _sign_in(browser, email, PASSWORD).status_code != 303
        assert _sign_in(browser, email, NEW_PASSWORD).status_code == 303

        used = browser.get(path)
        assert used.status_code == 410 and "used already" in used.text
        again = browser.post(
            path,
            data={
                "csrf_token": csrf_of(browser.get("/console/password-reset")),
                "password": "x" * 12,
                "repeat": "x" * 12,
            },
        )
        assert again.status_code == 410


def test_the_answer_is_the_same_for_an_address_without_an_account(
    live: LiveServer, smtp: SmtpServer
) -> None:
    email = _owner(live, "Jordan")
    stranger = "nobody-here@firm.example"
    before = len(smtp.received)
    with httpx.Client(base_url=live.url) as browser:
        known = _ask(browser, email)
        unknown = _ask(browser, stranger)
    assert (known.status_code, unknown.status_code) == (200, 200)

    def page(response: httpx.Response, address: str) -> str:
        return re.sub(r'value="[^"]+"', "", response.text).replace(address, "ADDRESS")

    assert page(known, email) == page(unknown, stranger)
    _mail_to(smtp, email)
    assert len(smtp.received) == before + 1  # one message, to the account only


def test_an_expired_link_is_refused_and_a_new_request_replaces_the_old_link(
    live: LiveServer, smtp: SmtpServer
) -> None:
    email = _owner(live, "Riley")
    with httpx.Client(base_url=live.url) as browser:
        _ask(browser, email)
        first = _link_in(_mail_to(smtp, email, 1)[0])
        _ask(browser, email)
        second = _link_in(_mail_to(smtp, email, 2)[1])
        assert browser.get(first).status_code == 410  # replaced by the second
        assert browser.get(second).status_code == 200
        with unit_of_work(_engine(live), writes=True) as session:
            session.execute(
                update(PasswordReset).values(expires_at=utc_now() - timedelta(seconds=1))
            )
        expired = browser.get(second)
        assert expired.status_code == 410 and "expired" in expired.text
        assert "Ask for a new link" in expired.text


def test_requests_for_one_address_are_throttled_like_sign_ins(
    live: LiveServer, smtp: SmtpServer
) -> None:
    email = _owner(live, "Avery")
    with httpx.Client(base_url=live.url) as browser:
        answers = [_ask(browser, email).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    assert len(_mail_to(smtp, email, 5)) == 5


def test_a_colleague_is_invited_by_mail_and_joins_through_the_link_in_it(
    live: LiveServer, smtp: SmtpServer
) -> None:
    """The colleague invitation through the relay: the link in the message itself works."""
    email = _owner(live, "Quinn")
    invited = f"sam-{utc_now().timestamp()}@partner.example"
    with httpx.Client(base_url=live.url) as owner:
        assert _sign_in(owner, email, PASSWORD).status_code == 303
        page = owner.get("/console/colleagues")
        form = {"csrf_token": csrf_of(page), "email": invited, "role": "consultant"}
        assert owner.post("/console/colleagues", data={**form, "name": "Sam"}).status_code == 200
    (mail,) = _mail_to(smtp, invited)
    assert "Quinn's firm" in mail.message["Subject"]
    join = re.search(re.escape(BASE_URL) + r"(/console/join/[A-Za-z0-9_-]+)", mail.text)
    assert join and join.group(0) in mail.html
    with httpx.Client(base_url=live.url) as newcomer:
        form_page = newcomer.get(join.group(1))
        assert form_page.status_code == 200
        joined = newcomer.post(
            join.group(1),
            data={"csrf_token": csrf_of(form_page), "name": "Sam Associate", "password": PASSWORD},
        )
        assert joined.status_code == 303
        assert "Quinn&#39;s firm" in newcomer.get("/console").text
