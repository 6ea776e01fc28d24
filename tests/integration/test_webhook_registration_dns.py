"""A receiver's host name is resolved when the endpoint is saved (API and console, created or
changed): a name that points to a loopback or private address is refused, naming the field,
by the rules used when sending. A name that does not resolve is accepted (sending checks it
again); a resolver that does not answer is given up after a time limit, and the server keeps
serving meanwhile. On both databases.

Tests answer DNS through the seam `webhook_addresses.host_lookup`, not /etc/hosts; one asks
the system resolver for `localhost`."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from app.services import webhook_addresses
from tests.integration.conftest import Workspace
from tests.integration.console_session import signed_in
from tests.integration.flow import expect
from tests.integration.live_server import LiveServer

ENDPOINTS = "/api/v1/webhook-endpoints"
LOOPBACK_REFUSAL = (
    "crm-sync.example resolves to 127.0.0.1, which is not a public address (private, "
    "loopback and link-local addresses are not allowed)"
)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """What the server's resolver answers, name by name; other names do not resolve."""
    answers: dict[str, list[str]] = {}

    def lookup(host: str, port: int) -> list[str]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return answers[host]

    monkeypatch.setattr(webhook_addresses, "host_lookup", lookup)
    return answers


def _create(api: httpx.Client, url: str) -> httpx.Response:
    return api.post(ENDPOINTS, json={"url": url, "event_types": ["report.ready"]})


def test_a_name_resolving_to_loopback_is_refused_naming_the_field(
    workspace: Workspace, dns: dict[str, list[str]]
) -> None:
    dns["crm-sync.example"] = ["127.0.0.1"]
    response = _create(workspace.api, "https://crm-sync.example/hooks")
    problem = expect(response, 422)
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["errors"] == [{"field": "url", "message": LOOPBACK_REFUSAL}]
    assert expect(workspace.api.get(ENDPOINTS), 200)["items"] == []


@pytest.mark.parametrize(
    "answer",
    [["10.20.30.40"], ["93.184.216.34", "169.254.169.254"], ["::ffff:192.168.0.1"], ["fd00::1"]],
    ids=["private", "public-and-metadata", "mapped", "unique-local"],
)
def test_a_name_resolving_to_any_private_address_is_refused(
    workspace: Workspace, dns: dict[str, list[str]], answer: list[str]
) -> None:
    dns["crm-sync.example"] = answer
    problem = expect(_create(workspace.api, "https://crm-sync.example/hooks"), 422)
    ((error,),) = [problem["errors"]]
    assert error["field"] == "url" and "not a public address" in error["message"], error


def test_names_that_resolve_to_public_addresses_or_not_at_all_are_accepted(
    workspace: Workspace, dns: dict[str, list[str]]
) -> None:
    dns["crm-sync.example"] = ["93.184.216.34", "2606:4700:4700::1111"]
    expect(_create(workspace.api, "https://crm-sync.example/hooks"), 201)
    # Not (yet) in DNS: nothing to refuse; sending resolves and checks it again.
    expect(_create(workspace.api, "https://not-in-dns-yet.example/hooks"), 201)


def test_a_url_cannot_be_changed_to_a_name_resolving_to_loopback(
    workspace: Workspace, dns: dict[str, list[str]]
) -> None:
    dns["public.example"] = ["93.184.216.34"]
    created = expect(_create(workspace.api, "https://public.example/hooks"), 201)
    dns["crm-sync.example"] = ["127.0.0.1"]
    problem = expect(
        workspace.api.patch(
            f"{ENDPOINTS}/{created['id']}", json={"url": "https://crm-sync.example/hooks"}
        ),
        422,
    )
    assert problem["errors"] == [{"field": "url", "message": LOOPBACK_REFUSAL}]
    shown = expect(workspace.api.get(f"{ENDPOINTS}/{created['id']}"), 200)
    assert shown["url"] == "https://public.example/hooks"
    # Changing anything else does not look the URL up again.
    dns.clear()
    expect(workspace.api.patch(f"{ENDPOINTS}/{created['id']}", json={"enabled": False}), 200)


def test_a_name_the_system_resolver_answers_like_localhost_is_refused(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real resolver, asked for `localhost` (the name a hosts file aliases, here)."""

    def like_localhost(host: str, port: int) -> list[str]:
        return webhook_addresses.system_lookup("localhost", port)

    monkeypatch.setattr(webhook_addresses, "host_lookup", like_localhost)
    problem = expect(_create(workspace.api, "https://crm-sync.example/hooks"), 422)
    ((error,),) = [problem["errors"]]
    assert error["field"] == "url"
    assert error["message"].startswith(
        ("crm-sync.example resolves to 127.", "crm-sync.example resolves to ::1")
    ), error


def test_the_console_refuses_a_name_resolving_to_loopback_next_to_the_field(
    server: LiveServer, dns: dict[str, list[str]]
) -> None:
    dns["crm-sync.example"] = ["127.0.0.1"]
    console = signed_in(server)
    try:
        form = console.browser.get("/console/webhooks").text
        assert "Its host name is looked up when you save" in form
        refused = console.post(
            "/console/webhooks",
            {"url": "https://crm-sync.example/hooks", "event_types": ["report.ready"]},
        )
        assert refused.status_code == 422
        assert LOOPBACK_REFUSAL in refused.text
        assert 'id="error-url"' in refused.text and 'aria-invalid="true"' in refused.text
        assert 'value="https://crm-sync.example/hooks"' in refused.text  # kept for correcting
        assert "whsec_" not in refused.text and "No endpoints yet" in refused.text
    finally:
        console.close()


def test_a_resolver_that_hangs_is_given_up_while_other_requests_are_served(
    workspace: Workspace, other_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()
    release = threading.Event()
    lookup_threads: list[threading.Thread] = []

    def hanging(host: str, port: int) -> list[str]:
        lookup_threads.append(threading.current_thread())
        started.set()
        release.wait(60)
        return ["93.184.216.34"]

    monkeypatch.setattr(webhook_addresses, "host_lookup", hanging)
    answers: list[httpx.Response] = []
    saving = threading.Thread(
        target=lambda: answers.append(_create(workspace.api, "https://slow-dns.example/hooks"))
    )
    try:
        saving.start()
        assert started.wait(30), "the name was not looked up"
        # While the lookup hangs, the server answers other requests, writes too: the name
        # is looked up before the save's database work starts (on SQLite, its write turn).
        expect(other_workspace.api.get(ENDPOINTS), 200)
        expect(workspace.api.get("/api/v1/webhook-event-types"), 200)
        expect(other_workspace.api.post("/api/v1/clients", json={"name": "Saved meanwhile"}), 201)
        assert saving.is_alive() and not answers
        saving.join(30)
        (answer,) = answers
        problem = expect(answer, 422)
        seconds = f"{webhook_addresses.LOOKUP_SECONDS:g}"
        assert problem["errors"] == [
            {
                "field": "url",
                "message": f"no DNS answer for slow-dns.example within {seconds} s, so where "
                "it points could not be checked; try again",
            }
        ]
        (thread,) = lookup_threads
        assert thread.name == "webhook-host-lookup" and thread.daemon
        assert expect(workspace.api.get(ENDPOINTS), 200)["items"] == []
    finally:
        release.set()
        saving.join(30)


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fails the test if anything is looked up."""
    asked: list[str] = []

    def lookup(host: str, port: int) -> list[str]:
        asked.append(host)
        raise AssertionError(f"{host} was looked up")

    monkeypatch.setattr(webhook_addresses, "host_lookup", lookup)
    yield asked
    assert asked == []


def test_address_literals_are_judged_without_dns(workspace: Workspace, no_dns: list[str]) -> None:
    for url in ("http://127.0.0.1:8080/", "http://[::ffff:127.0.0.1]/", "http://localhost/"):
        problem = expect(_create(workspace.api, url), 422)
        assert [e["field"] for e in problem["errors"]] == ["url"], url
    expect(_create(workspace.api, "https://93.184.216.34/hooks"), 201)
