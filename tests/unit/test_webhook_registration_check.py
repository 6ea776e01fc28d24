"""The check made when a webhook endpoint is saved: the URL's form, then where its host name
points now, by the rules used when sending. Only a resolver is asked: nothing connects."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable

import pytest

from app.services.webhook_addresses import LOOKUP_SECONDS, registration_problem, system_lookup
from tests.conftest import REPO_ROOT

HostLookup = Callable[[str, int], Iterable[str]]


def answering(*addresses: str, asked: list[tuple[str, int]] | None = None) -> HostLookup:
    def lookup(host: str, port: int) -> list[str]:
        if asked is not None:
            asked.append((host, port))
        return list(addresses)

    return lookup


def failing(error: Exception) -> HostLookup:
    def lookup(host: str, port: int) -> list[str]:
        raise error

    return lookup


def never_asked(host: str, port: int) -> list[str]:
    raise AssertionError(f"{host} was looked up")


@pytest.mark.parametrize(
    ("answer", "refused"),
    [
        (["127.0.0.1"], "127.0.0.1"),
        (["::1"], "::1"),
        (["93.184.216.34", "10.0.0.7"], "10.0.0.7"),  # one refused address is enough
        (["::ffff:127.0.0.1"], "::ffff:127.0.0.1"),  # IPv4-mapped
        (["64:ff9b::a9fe:a9fe"], "64:ff9b::a9fe:a9fe"),  # NAT64 of the metadata address
        (["fe80::1%eth0"], "fe80::1"),  # link-local, with its zone
        (["169.254.169.254"], "169.254.169.254"),
        (["100.64.0.1"], "100.64.0.1"),  # shared address space
        (["0.0.0.0"], "0.0.0.0"),
        (["224.0.0.1"], "224.0.0.1"),
    ],
)
def test_a_name_resolving_to_a_refused_address_is_refused(answer: list[str], refused: str) -> None:
    problem = registration_problem(
        "https://crm.example.com/hooks", allow_private=False, lookup=answering(*answer)
    )
    assert problem == (
        f"crm.example.com resolves to {refused}, which is not a public address (private, "
        "loopback and link-local addresses are not allowed)"
    )


def test_a_name_resolving_to_public_addresses_passes_and_is_asked_as_it_will_be_sent() -> None:
    asked: list[tuple[str, int]] = []
    lookup = answering("93.184.216.34", "2606:4700:4700::1111", asked=asked)
    for url in (
        "https://crm.example.com/hooks",
        "http://crm.example.com/hooks",
        "https://user:token@crm.example.com:8443/x",
        "https://bücher.example/hooks",
    ):
        assert registration_problem(url, allow_private=False, lookup=lookup) is None
    assert asked == [
        ("crm.example.com", 443),
        ("crm.example.com", 80),
        ("crm.example.com", 8443),
        ("xn--bcher-kva.example", 443),  # IDNA 2008, as the sender spells it
    ]


@pytest.mark.parametrize(
    "error",
    [
        socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
        socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
        OSError("no network"),
        UnicodeError("label too long"),
    ],
)
def test_a_name_that_does_not_resolve_passes(error: Exception) -> None:
    """Nothing to refuse yet: the receiver's DNS may come later, and sending checks again."""
    assert (
        registration_problem(
            "https://hooks.example.com/", allow_private=False, lookup=failing(error)
        )
        is None
    )
    assert (
        registration_problem("https://hooks.example.com/", allow_private=False, lookup=answering())
        is None
    )


def test_address_literals_and_local_names_are_judged_without_a_lookup() -> None:
    for url in ("http://127.0.0.1/", "http://[::1]/", "http://0x7f.1/", "http://localhost/"):
        problem = registration_problem(url, allow_private=False, lookup=never_asked)
        assert problem is not None, url
    assert (
        registration_problem("https://93.184.216.34/", allow_private=False, lookup=never_asked)
        is None
    )
    assert registration_problem("ftp://crm.example.com/", allow_private=False, lookup=never_asked)


def test_with_private_addresses_allowed_only_unspecified_and_multicast_are_refused() -> None:
    assert (
        registration_problem(
            "http://crm.internal/", allow_private=True, lookup=answering("10.0.0.7", "127.0.0.1")
        )
        is None
    )
    for answer in ("0.0.0.0", "::", "ff02::1"):
        problem = registration_problem(
            "http://crm.internal/", allow_private=True, lookup=answering(answer)
        )
        assert problem is not None and "multicast" in problem, answer
    problem = registration_problem("http://0.0.0.0:8080/", allow_private=True, lookup=never_asked)
    assert problem is not None and "never receives webhooks" in problem


def test_localhost_really_resolved_by_the_system_resolver_is_refused() -> None:
    """`localhost` itself is refused by its form; a name that the system resolver answers
    like `localhost` (an /etc/hosts alias, a DNS record) is refused by where it points."""
    loopback = system_lookup("localhost", 443)
    assert loopback and all(ipaddress.ip_address(a).is_loopback for a in loopback)

    def like_localhost(host: str, port: int) -> list[str]:
        return system_lookup("localhost", port)

    problem = registration_problem(
        "https://alias-of-localhost.example/hook", allow_private=False, lookup=like_localhost
    )
    assert problem is not None and "resolves to" in problem
    assert any(address in problem for address in loopback), problem


def test_a_lookup_that_hangs_is_given_up_after_the_time_limit_in_a_thread_of_its_own() -> None:
    started = threading.Event()
    release = threading.Event()
    threads: list[threading.Thread] = []

    def hanging(host: str, port: int) -> list[str]:
        threads.append(threading.current_thread())
        started.set()
        release.wait(30)
        return ["93.184.216.34"]

    try:
        problem = registration_problem(
            "https://slow-dns.example/hook", allow_private=False, lookup=hanging, seconds=0.2
        )
        assert started.is_set()
        assert problem == (
            "no DNS answer for slow-dns.example within 0.2 s, so where it points could not be "
            "checked; try again"
        )
        (thread,) = threads
        assert thread is not threading.current_thread() and thread.daemon
        assert thread.is_alive()  # still waiting for its resolver, holding nothing of ours
    finally:
        release.set()


def test_the_guide_states_the_time_limit() -> None:
    guide = (REPO_ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    assert f"no answer within {LOOKUP_SECONDS:g} seconds is refused" in " ".join(guide.split())
