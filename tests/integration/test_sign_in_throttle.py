"""Sign-in throttling meets an office, on SQLite and PostgreSQL (app/services/sign_in_throttle.py).

Everyone here signs in from one office address unless said otherwise. The service tests
choose the clock (`now`), as every service takes it; the HTTP tests run two app instances on
one database, as two worker processes or hosts would, with the rate limits off so that only
the database throttle answers. No test measures how long anything takes.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

import httpx
import pytest
from sqlalchemy import DateTime, Engine, bindparam, inspect, text

from app.migrations.runner import check_schema, downgrade_schema, upgrade_schema
from app.models import User, Workspace, WorkspaceMember, utc_now
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services import sign_in_throttle as throttle
from app.services.console_accounts import NewWebSession, SignInThrottledError, sign_in
from app.services.credentials import hash_password
from app.settings import Settings
from tests.conftest import REPO_ROOT
from tests.integration.databases import fresh_database
from tests.integration.live_server import LiveServer, running_server

PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: one argon2 hash per user is slow
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RULES = throttle.SIGN_IN_RULES
# The pauses after the 5th, 6th, ... failure of one account from one address.
EXPECTED_PAUSES = [32, 64, 128, 256, 512, 900, 900]


@pytest.fixture(scope="module")
def shared_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"sign-in-{backend}")) as url:
        yield url


@pytest.fixture(scope="module")
def instances(shared_database: str, questionnaires_dir: Path) -> Iterator[list[LiveServer]]:
    """Two instances of the app on one database, behind a trusted proxy on loopback."""
    settings = Settings(
        environment="test",
        database_url=shared_database,
        questionnaires_dir=questionnaires_dir,
        base_url="http://127.0.0.1",
        secure_cookies=False,
        trusted_proxies="127.0.0.1",
        rate_limits=False,
    )
    with running_server(settings) as first, running_server(settings) as second:
        yield [first, second]


@pytest.fixture
def engine(instances: list[LiveServer]) -> Engine:
    engine: Engine = instances[0].app.state.runtime.database.engine
    return engine


def new_address() -> str:
    """A documentation address (2001:db8::/32) of its own: the database outlives a test.
    Written as the app writes a client's address (no leading zeros), so that failures this
    test records and those the app records count together."""
    return str(ip_address(f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"))


def new_accounts(engine: Engine, count: int) -> list[str]:
    """`count` console users of one firm, all with PASSWORD."""
    emails = [f"person-{secrets.token_hex(4)}@office.example" for _ in range(count)]
    with unit_of_work(engine, writes=True) as session:
        firm = Workspace(name="Office firm")
        session.add(firm)
        session.flush()
        for n, email in enumerate(emails):
            role = "owner" if n == 0 else "consultant"
            person = User(email=email, name=f"Person {n}", password_hash=PASSWORD_HASH)
            session.add(person)
            session.flush()
            session.add(WorkspaceMember(workspace_id=firm.id, user_id=person.id, role=role))
    return emails


def attempt(
    engine: Engine, email: str, password: str, address: str, now: datetime
) -> NewWebSession | None:
    with unit_of_work(engine, writes=True) as session:
        return sign_in(session=session, email=email, password=password, address=address, now=now)


def refusal(engine: Engine, email: str, address: str, now: datetime) -> SignInThrottledError:
    with pytest.raises(SignInThrottledError) as refused:
        attempt(engine, email, "a wrong guess", address, now)
    return refused.value


def test_one_guessed_account_waits_twice_as_long_after_each_failure(engine: Engine) -> None:
    victim, colleague = new_accounts(engine, 2)
    office, home = new_address(), new_address()
    now = utc_now()
    for _ in range(RULES.free_failures):
        assert attempt(engine, victim, "a wrong guess", office, now) is None
        now += timedelta(seconds=1)
    last_failure = now - timedelta(seconds=1)
    for step, pause in enumerate(EXPECTED_PAUSES):
        # Refused until the pause has passed since the last failure; told how long is left.
        paused = refusal(engine, victim, office, last_failure)
        assert paused.retry_after == timedelta(seconds=pause)
        assert not paused.per_address
        almost = last_failure + timedelta(seconds=pause - 1)
        assert refusal(engine, victim, office, almost).retry_after == timedelta(seconds=1)
        if step in (0, len(EXPECTED_PAUSES) - 1):
            # Meanwhile a colleague at the same address, and the victim at home, sign in.
            assert attempt(engine, colleague, PASSWORD, office, almost) is not None
            assert attempt(engine, victim, PASSWORD, home, almost) is not None
        # Once the pause has passed, the guesser may try again (and fails again).
        last_failure += timedelta(seconds=pause)
        assert attempt(engine, victim, "a wrong guess", office, last_failure) is None


def test_the_right_password_after_a_pause_signs_in_and_forgets_the_failures(
    engine: Engine,
) -> None:
    (person,) = new_accounts(engine, 1)
    office = new_address()
    now = utc_now()
    for _ in range(RULES.free_failures):
        assert attempt(engine, person, "a typo", office, now) is None
    assert refusal(engine, person, office, now).retry_after == timedelta(seconds=32)
    # The right password is refused too while paused: a pause does not check passwords.
    with pytest.raises(SignInThrottledError):
        attempt(engine, person, PASSWORD, office, now + timedelta(seconds=31))
    assert attempt(engine, person, PASSWORD, office, now + timedelta(seconds=32)) is not None
    # Signed in: the next typo is free again.
    later = now + timedelta(seconds=33)
    assert attempt(engine, person, "a typo", office, later) is None
    assert attempt(engine, person, PASSWORD, office, later) is not None


def test_failures_older_than_a_day_are_forgotten(engine: Engine) -> None:
    (person,) = new_accounts(engine, 1)
    office = new_address()
    now = utc_now()
    for _ in range(RULES.free_failures):
        assert attempt(engine, person, "a typo", office, now) is None
    # A day later the five old failures no longer count: five more are free.
    next_day = now + RULES.pair_memory + timedelta(seconds=1)
    for _ in range(RULES.free_failures):
        assert attempt(engine, person, "a typo", office, next_day) is None
    assert refusal(engine, person, office, next_day).retry_after == timedelta(seconds=32)


def test_a_password_spray_from_one_address_meets_the_ceiling(engine: Engine) -> None:
    """One address trying a password on many accounts: each account's first guesses are free,
    so the address's ceiling stops it. The failures are written with the throttle's own
    `record_failure` (what a failed `sign_in` writes), all but the last, to spare a password
    hash per guess."""
    (colleague,) = new_accounts(engine, 1)
    attacker, elsewhere = new_address(), new_address()
    start = utc_now()
    with unit_of_work(engine, writes=True) as session:
        for n in range(RULES.address_ceiling - 1):
            throttle.record_failure(
                session=session,
                account=f"sprayed-{n}@target.example",
                address=attacker,
                now=start + timedelta(seconds=n),
            )
    now = start + timedelta(seconds=RULES.address_ceiling)
    assert attempt(engine, "one-more@target.example", "Summer2026!", attacker, now) is None
    paused = refusal(engine, "yet-another@target.example", attacker, now)
    assert paused.per_address
    # Open again when the oldest failure is an hour old.
    assert paused.retry_after == start + RULES.address_window - now
    assert "from this address;" in str(paused)
    # The ceiling is the address's: the same accounts from elsewhere are not refused.
    assert attempt(engine, colleague, PASSWORD, elsewhere, now) is not None
    assert attempt(engine, "yet-another@target.example", "Summer2026!", elsewhere, now) is None
    # An hour after the first failure, the address may try once more: one has aged out.
    reopened = start + RULES.address_window
    assert attempt(engine, "yet-another@target.example", "Summer2026!", attacker, reopened) is None
    assert refusal(engine, "and-another@target.example", attacker, reopened).per_address


def test_an_office_of_thirty_using_every_free_failure_stays_below_the_ceiling(
    engine: Engine,
) -> None:
    """30 people, each mistyping 5 times within the hour before anyone gets in (written with
    `record_failure`, what a failed sign-in writes): none of the 30 is refused then. The
    throttle is asked for each; one signs in all the way, to spare 30 password hashes."""
    team = new_accounts(engine, 30)
    office = new_address()
    start = utc_now()
    with unit_of_work(engine, writes=True) as session:
        for n, email in enumerate(team):
            for typo in range(RULES.free_failures):
                throttle.record_failure(
                    session=session,
                    account=email,
                    address=office,
                    now=start + timedelta(seconds=n * RULES.free_failures + typo),
                )
    now = start + timedelta(minutes=5)
    for email in team:
        with unit_of_work(engine) as session:
            throttle.refuse_if_paused(session=session, account=email, address=office, now=now)
    assert attempt(engine, team[-1], PASSWORD, office, now) is not None


def test_a_password_reset_forgets_the_accounts_failures(engine: Engine) -> None:
    (person,) = new_accounts(engine, 1)
    office = new_address()
    now = utc_now()
    for _ in range(RULES.free_failures):
        assert attempt(engine, person, "a typo", office, now) is None
    with unit_of_work(engine, writes=True) as session:
        throttle.forget_account(session=session, account=person)
    assert attempt(engine, person, PASSWORD, office, now) is not None


def test_pauses_double_from_the_fifth_failure_up_to_fifteen_minutes() -> None:
    assert throttle.pause_after(4) == timedelta(0)
    assert [throttle.pause_after(n).total_seconds() for n in range(5, 12)] == EXPECTED_PAUSES
    assert throttle.pause_after(10_000) == RULES.max_pause


# Through HTTP, on two app instances sharing the database.


class Browser:
    """A browser at an address of the office (the trusted proxy says so), on one instance."""

    def __init__(self, server: LiveServer, address: str) -> None:
        self.client = httpx.Client(
            base_url=server.url, headers={"X-Forwarded-For": address}, timeout=30
        )

    def sign_in(self, email: str, password: str) -> httpx.Response:
        form = self.client.get("/console/login")
        token = CSRF.search(form.text)
        assert token is not None, form.text[:300]
        data = {"csrf_token": token.group(1), "email": email, "password": password}
        return self.client.post("/console/login", data=data)

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def browsers() -> Iterator[list[Browser]]:
    opened: list[Browser] = []
    yield opened
    for browser in opened:
        browser.close()


def test_a_paused_account_is_paused_on_every_instance_and_colleagues_sign_in(
    instances: list[LiveServer], engine: Engine, browsers: list[Browser]
) -> None:
    victim, colleague = new_accounts(engine, 2)
    office = new_address()
    first, second = instances
    guesser_first, guesser_second = Browser(first, office), Browser(second, office)
    at_the_next_desk = Browser(second, office)
    at_home = Browser(first, new_address())
    browsers += [guesser_first, guesser_second, at_the_next_desk, at_home]

    for n in range(RULES.free_failures):  # failures alternate between the instances
        guesser = (guesser_first, guesser_second)[n % 2]
        assert guesser.sign_in(victim, f"guess {n}").status_code == 401
    for guesser in (guesser_first, guesser_second):
        paused = guesser.sign_in(victim, "another guess")
        assert paused.status_code == 429, (paused.status_code, paused.text[:1500])
        assert 1 <= int(paused.headers["retry-after"]) <= 32
        assert "Too many failed sign-ins for this email" in paused.text
        assert "Please wait" in paused.text and "seconds, then try again" in paused.text
        assert "Colleagues can still sign in" in paused.text

    signed_in = at_the_next_desk.sign_in(colleague, PASSWORD)
    assert signed_in.status_code == 303, signed_in.text[:300]
    assert "om_session" in signed_in.cookies
    assert at_home.sign_in(victim, PASSWORD).status_code == 303


def test_the_address_ceiling_holds_on_every_instance(
    instances: list[LiveServer], engine: Engine, browsers: list[Browser]
) -> None:
    (colleague,) = new_accounts(engine, 1)
    attacker = new_address()
    first, second = instances
    now = utc_now()
    with unit_of_work(engine, writes=True) as session:
        for n in range(RULES.address_ceiling - 1):
            throttle.record_failure(
                session=session, account=f"sprayed-{n}@target.example", address=attacker, now=now
            )
    on_first, on_second = Browser(first, attacker), Browser(second, attacker)
    browsers += [on_first, on_second]
    last_free = on_first.sign_in("last-free@target.example", "Summer2026!")
    assert last_free.status_code == 401, last_free.text[:500]
    refused = on_second.sign_in("next@target.example", "Summer2026!")
    assert refused.status_code == 429, (refused.status_code, refused.text[:1500])
    assert int(refused.headers["retry-after"]) > 0
    assert "Too many failed sign-ins have come from your network" in refused.text
    assert "minutes, then try again" in refused.text
    # Elsewhere, sign-in goes on.
    elsewhere = Browser(second, new_address())
    browsers.append(elsewhere)
    assert elsewhere.sign_in(colleague, PASSWORD).status_code == 303


def test_the_guides_example_runs(engine: Engine) -> None:
    """docs/sign_in_throttling.md's example, as another sign-in path would use it."""
    guide = (REPO_ROOT / "docs" / "sign_in_throttling.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", guide, re.DOTALL)
    program = compile(example, "sign_in_throttling.md", "exec")
    email, address, now = f"reset:{secrets.token_hex(4)}@office.example", new_address(), utc_now()

    def run(password_is_right: bool, at: datetime) -> None:
        with unit_of_work(engine, writes=True) as session:
            names = {"session": session, "email": email, "address": address, "now": at}
            exec(program, {**names, "password_is_right": password_is_right})

    for _ in range(RULES.free_failures):
        run(False, now)
    with pytest.raises(SignInThrottledError) as paused:
        run(True, now + timedelta(seconds=31))
    assert paused.value.retry_after_seconds == 1
    run(True, now + timedelta(seconds=32))
    run(False, now + timedelta(seconds=32))  # forgotten on success: free again


BEFORE_SIGN_IN_PAIRS = "20261202_0100"


def test_the_migration_drops_old_failures_both_ways(backend: str, tmp_path: Path) -> None:
    """Failures are short-lived throttle state: the migration deletes them rather than convert
    them, up and down, on a table that has rows."""
    with fresh_database(backend, tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade_schema(engine, BEFORE_SIGN_IN_PAIRS)
            old_row = text(
                "INSERT INTO login_failure (id, subject, created_at) VALUES (:id, :subject, :at)"
            ).bindparams(bindparam("at", type_=DateTime()))
            with engine.begin() as connection:
                connection.execute(
                    old_row,
                    {"id": "lgf_1", "subject": "email:a@b.example", "at": datetime(2026, 1, 1)},
                )
            upgrade_schema(engine)
            columns = {c["name"] for c in inspect(engine).get_columns("login_failure")}
            assert columns == {"id", "account_key", "address", "created_at"}
            with unit_of_work(engine, writes=True) as session:
                throttle.record_failure(
                    session=session, account="a@b.example", address="192.0.2.1", now=utc_now()
                )
            downgrade_schema(engine, BEFORE_SIGN_IN_PAIRS)
            columns = {c["name"] for c in inspect(engine).get_columns("login_failure")}
            assert columns == {"id", "subject", "created_at"}
            with engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM login_failure")).scalar() == 0
            upgrade_schema(engine)
            check_schema(engine)
        finally:
            engine.dispose()
