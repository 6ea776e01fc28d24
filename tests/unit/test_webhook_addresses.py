"""Which addresses and URLs webhooks may go to (no request is sent by these tests)."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from app.services.webhook_addresses import (
    AddressRefusedError,
    address_is_allowed,
    checked_addresses,
    url_problem,
)

NEVER = ["0.0.0.0", "::", "224.0.0.1", "ff02::1"]
PRIVATE = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "192.0.2.10",  # documentation
    "198.18.0.1",  # benchmarking
    "255.255.255.255",
    "::1",
    "fe80::1",
    "fd00::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("text", PRIVATE)
def test_private_addresses_only_when_allowed(text: str) -> None:
    address = ipaddress.ip_address(text)
    assert not address_is_allowed(address, allow_private=False)
    assert address_is_allowed(address, allow_private=True)


@pytest.mark.parametrize("text", NEVER)
def test_unspecified_and_multicast_never(text: str) -> None:
    assert not address_is_allowed(ipaddress.ip_address(text), allow_private=True)


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses(text: str) -> None:
    assert address_is_allowed(ipaddress.ip_address(text), allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "https://crm.example.com/hooks",
        "http://crm.example.com:8080/a?b=c",
        "https://user:token@hooks.example.org/x",
        "https://93.184.216.34/",
        "https://localhost-is-just-a-prefix.example/",
    ],
)
def test_acceptable_urls(url: str) -> None:
    assert url_problem(url, allow_private=False) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://crm.example.com/", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("crm.example.com/hooks", "http:// or https://"),
        ("https:///path", "host"),
        ("http://crm.example.com:99999/", "not a valid URL"),
        ("http://crm.example.com:0/", "port 0"),
        ("http://127.0.0.1/", "not a public address"),
        ("http://[fd00::1]/", "not a public address"),
        ("http://localhost:3000/", "local address"),
        ("http://api.localhost/", "local address"),
        ("https://example.com/" + "a" * 2000, "at most 2000"),
    ],
)
def test_unacceptable_urls(url: str, words: str) -> None:
    problem = url_problem(url, allow_private=False)
    assert problem is not None and words in problem


def test_private_urls_when_allowed() -> None:
    assert url_problem("http://127.0.0.1:8080/", allow_private=True) is None
    assert url_problem("http://localhost/", allow_private=True) is None
    assert url_problem("ftp://127.0.0.1/", allow_private=True) is not None


def _check(answer: list[str], *, allow_private: bool = False) -> list[str]:
    async def resolver(host: str, port: int) -> list[str]:
        return answer

    return asyncio.run(
        checked_addresses("hooks.example", 443, allow_private=allow_private, resolver=resolver)
    )


def test_every_resolved_address_must_be_allowed() -> None:
    assert _check(["93.184.216.34", "2606:4700::1", "93.184.216.34"]) == [
        "93.184.216.34",
        "2606:4700::1",
    ]
    with pytest.raises(AddressRefusedError, match=r"127\.0\.0\.1"):
        _check(["93.184.216.34", "127.0.0.1"])
    with pytest.raises(AddressRefusedError, match="no address"):
        _check([])
    assert _check(["10.0.0.5"], allow_private=True) == ["10.0.0.5"]


def test_a_name_that_does_not_resolve_is_refused() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(AddressRefusedError, match="cannot resolve"):
        asyncio.run(
            checked_addresses("nowhere.invalid", 443, allow_private=False, resolver=resolver)
        )
