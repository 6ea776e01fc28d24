"""Rate limits through live servers with small limits, on SQLite and PostgreSQL: per API key,
per invite link and per client address on respondent pages, per client address on sign-in and
starts, X-Forwarded-For believed only from a trusted proxy, and counts shared through Redis by
two app instances. The defaults, sized for an office, are tested in test_rate_limit_office.py.

Servers here run as `opsmaturity serve` runs them: uvicorn's own proxy-header handling off.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from app.settings import Settings
from tests.integration.conftest import Workspace, new_workspace
from tests.integration.databases import fresh_database
from tests.integration.live_server import LiveServer, running_server

# A generous timeout: a test server's event loop shares its process with the tests, and on a
# busy machine a late read would let a request through uncounted (limits fail open).
REDIS_URL = os.environ.get(
    "OPSMATURITY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0?socket_timeout=5"
)
API_LIMIT = 5
PUBLIC_LIMIT = 4
RESPONDENT_LIMIT = 3  # per link
RESPONDENT_ADDRESS_LIMIT = 4  # per address, every link together
ENTRY_LIMIT = 25  # above the sign-in throttle's 5 free failures per account and address
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def require_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        problem = f"Redis at {REDIS_URL} unreachable: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem} (CI=true: Redis tests must run, not skip)")
        pytest.skip(problem)


def limited_settings(database_url: str, questionnaires_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "questionnaires_dir": questionnaires_dir,
        "base_url": "http://127.0.0.1",
        "secure_cookies": False,
        "rate_limit_api_per_minute": API_LIMIT,
        "rate_limit_public_per_minute": PUBLIC_LIMIT,
        "rate_limit_respondent_per_minute": RESPONDENT_LIMIT,
        "rate_limit_respondent_address_per_minute": RESPONDENT_ADDRESS_LIMIT,
        "rate_limit_entry_per_minute": ENTRY_LIMIT,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture(scope="module")
def limited_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"limits-{backend}")) as url:
        yield url


@pytest.fixture(scope="module")
def direct(limited_database: str, questionnaires_dir: Path) -> Iterator[LiveServer]:
    """Counts in memory; trusts a proxy network that loopback is not part of."""
    settings = limited_settings(limited_database, questionnaires_dir, trusted_proxies="10.0.0.0/8")
    with running_server(settings) as live:
        yield live


@pytest.fixture(scope="module")
def proxied(limited_database: str, questionnaires_dir: Path) -> Iterator[list[LiveServer]]:
    """Two instances of the app behind a trusted proxy on loopback, counting in Redis."""
    require_redis()
    settings = limited_settings(
        limited_database, questionnaires_dir, trusted_proxies="127.0.0.1", redis_url=REDIS_URL
    )
    with running_server(settings) as first, running_server(settings) as second:
        yield [first, second]


def random_address() -> str:
    """A documentation address (2001:db8::/32) that no other test or run uses: counts in
    Redis outlive a test by a minute."""
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def fresh_address_client(server: LiveServer) -> httpx.Client:
    """A client whose requests the trusted proxy says came from a new address."""
    forwarded = {"X-Forwarded-For": f"198.51.100.7, {random_address()}"}
    return httpx.Client(base_url=server.url, headers=forwarded, timeout=30)


def assert_api_refusal(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "urn:opsmaturity:problem:rate-limited"
    assert problem["status"] == 429
    assert 1 <= int(response.headers["retry-after"]) <= 120
    assert response.headers["ratelimit-remaining"] == "0"
    assert response.headers["x-request-id"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_each_api_key_gets_its_own_allowance(direct: LiveServer) -> None:
    first, second = new_workspace(direct, "Keyed firm"), new_workspace(direct, "Other firm")
    try:
        remaining = []
        for _ in range(API_LIMIT):
            answer = first.api.get("/api/v1/questionnaires")
            assert answer.status_code == 200
            assert answer.headers["ratelimit-limit"] == str(API_LIMIT)
            assert answer.headers["ratelimit-policy"] == f"{API_LIMIT};w=60"
            remaining.append(int(answer.headers["ratelimit-remaining"]))
        assert remaining == sorted(remaining, reverse=True)
        assert remaining[-1] == 0
        refused = first.api.get("/api/v1/questionnaires")
        assert_api_refusal(refused)
        assert "API key" in refused.json()["detail"]
        # Another key of the same address is not affected.
        assert second.api.get("/api/v1/questionnaires").status_code == 200
    finally:
        first.api.close()
        second.api.close()


def unknown_link() -> str:
    """A respondent link with a token of its own, so that only the address's count grows."""
    return f"/r/om_inv_unknown{secrets.token_hex(4)}"


def test_without_a_trusted_proxy_forwarded_for_is_ignored(direct: LiveServer) -> None:
    """Loopback is not a trusted proxy of this server: every request counts for 127.0.0.1,
    whatever X-Forwarded-For claims."""
    with httpx.Client(base_url=direct.url, timeout=30) as browser:
        answers = [
            browser.get(unknown_link(), headers={"X-Forwarded-For": random_address()})
            for _ in range(RESPONDENT_ADDRESS_LIMIT + 1)
        ]
    limit = RESPONDENT_ADDRESS_LIMIT
    assert [a.status_code for a in answers[:limit]] == [404] * limit
    refused = answers[-1]
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert "Too many requests" in refused.text
    assert "wait" in refused.text
    assert refused.headers["content-security-policy"].startswith("default-src 'self'")
    assert int(refused.headers["retry-after"]) >= 1


def test_respondent_pages_are_limited_per_client_address(proxied: list[LiveServer]) -> None:
    server = proxied[0]
    with fresh_address_client(server) as visitor, fresh_address_client(server) as neighbour:
        for _ in range(RESPONDENT_ADDRESS_LIMIT):
            assert visitor.get(f"{unknown_link()}/page/1").status_code == 404
        link = unknown_link()
        page = visitor.get(link)
        assert page.status_code == 429
        assert f'<a href="{link}">Try again</a>' in page.text
        assert "from your network" in page.text
        autosave = visitor.post(f"{link}/autosave", headers={"Accept": "application/json"})
        assert autosave.status_code == 429
        assert autosave.json()["saved"] is False
        assert "retry in" in autosave.json()["error"]
        # Another address behind the same proxy has its own allowance.
        assert neighbour.get(link).status_code == 404


def test_respondent_pages_are_limited_per_link(proxied: list[LiveServer]) -> None:
    """One link used past its own limit is refused; the address's other links are not, and the
    refused requests did not spend the address's allowance."""
    with fresh_address_client(proxied[0]) as visitor:
        link = unknown_link()
        for _ in range(RESPONDENT_LIMIT):
            assert visitor.get(link).status_code == 404
        for _ in range(RESPONDENT_ADDRESS_LIMIT):  # refused, and given back to the address
            refused = visitor.get(f"{link}/page/1")
            assert refused.status_code == 429
        assert "This link was used for many requests" in refused.text
        assert "from your network" not in refused.text
        # Three of the address's four went to the link; one is left for another link.
        assert visitor.get(unknown_link()).status_code == 404
        assert visitor.get(unknown_link()).status_code == 429


def test_forwarded_for_counts_the_rightmost_untrusted_hop(proxied: list[LiveServer]) -> None:
    """A client may write anything left of its own address; only the hop the trusted proxy
    appended counts."""
    client_address = random_address()
    with httpx.Client(base_url=proxied[0].url, timeout=30) as visitor:
        statuses = [
            visitor.get(
                "/api/v1/questionnaires",
                headers={"X-Forwarded-For": f"{random_address()}, {client_address}"},
            ).status_code
            for _ in range(PUBLIC_LIMIT + 1)
        ]
        assert statuses == [401] * PUBLIC_LIMIT + [429]
        # Proxies on the trusted network are skipped from the right.
        chained = visitor.get(
            "/api/v1/questionnaires",
            headers={"X-Forwarded-For": f"{client_address}, 127.0.0.1"},
        )
        assert chained.status_code == 429


def test_unknown_keys_count_against_the_address(
    proxied: list[LiveServer], limited_database: str
) -> None:
    holder = new_workspace(proxied[0], "Guessed firm")
    try:
        with fresh_address_client(proxied[0]) as guesser:
            for attempt in range(PUBLIC_LIMIT):
                guess = {"Authorization": f"Bearer om_live_guess{attempt}"}
                assert guesser.get("/api/v1/questionnaires", headers=guess).status_code == 401
            # The address is spent: even a real key from it waits now.
            real = {"Authorization": f"Bearer {holder.api_key}"}
            assert_api_refusal(guesser.get("/api/v1/questionnaires", headers=real))
    finally:
        holder.api.close()


def test_entry_posts_are_limited_per_address(proxied: list[LiveServer]) -> None:
    with fresh_address_client(proxied[0]) as visitor:
        # Without a form token each start is refused, but still counted.
        statuses = {visitor.post("/start").status_code for _ in range(ENTRY_LIMIT)}
        assert statuses == {403}
        refused = visitor.post("/s/some-firm/start")
        assert refused.status_code == 429
        assert "Too many requests" in refused.text
        assert '<a href="/s/some-firm">Try again</a>' in refused.text


def test_sign_in_throttle_counts_the_forwarded_client(proxied: list[LiveServer]) -> None:
    """The database throttle (5 free failures per account and address) uses the same client
    address as the rate limits: behind a trusted proxy, the visitor's, not the proxy's."""
    server = proxied[0]
    email = f"someone-{secrets.token_hex(4)}@example.org"
    with fresh_address_client(server) as guesser, fresh_address_client(server) as colleague:
        token = CSRF.search(guesser.get("/console/login").text)
        assert token is not None
        form = {"csrf_token": token.group(1), "email": email, "password": "wrong"}
        for _ in range(5):
            assert guesser.post("/console/login", data=form).status_code == 401
        assert guesser.post("/console/login", data=form).status_code == 429
        colleague_token = CSRF.search(colleague.get("/console/login").text)
        assert colleague_token is not None
        form["csrf_token"] = colleague_token.group(1)
        assert colleague.post("/console/login", data=form).status_code == 401


def test_two_instances_share_counts_through_redis(proxied: list[LiveServer]) -> None:
    first, second = proxied
    holder: Workspace = new_workspace(first, "Shared firm")
    try:
        auth = {"Authorization": f"Bearer {holder.api_key}"}
        statuses = []
        for turn in range(API_LIMIT + 1):
            server = (first, second)[turn % 2]
            statuses.append(
                httpx.get(f"{server.url}/api/v1/questionnaires", headers=auth).status_code
            )
        assert statuses == [200] * API_LIMIT + [429]
        assert_api_refusal(httpx.get(f"{first.url}/api/v1/questionnaires", headers=auth))
    finally:
        holder.api.close()
