"""Where webhooks may go: http(s) URLs whose host resolves to public addresses only.

A receiver URL is checked twice, by the same address rules (`address_is_allowed`). When an
endpoint is saved (`registration_problem`), its form is checked (scheme, host, an address
literal or a `localhost` name) and a host name is resolved, in a thread of its own with a
time limit; nothing connects to it. When a request is sent (`checked_addresses`), the host
is resolved again, every address it resolves to is checked, and the connection goes to a
checked address: a DNS answer that changes after the endpoint was saved, or between the
check and the connection (DNS rebinding), cannot move the request elsewhere. Private,
loopback, link-local and other non-public addresses are refused unless `allow_private` is
set (self-hosted receivers, tests); unspecified and multicast addresses always.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import Future
from urllib.parse import urlsplit

import anyio
import httpcore
import httpx
from httpcore import AsyncNetworkStream

__all__ = [
    "LOOKUP_SECONDS",
    "AddressRefusedError",
    "DisallowedAddressError",
    "GuardedNetworkBackend",
    "HostLookup",
    "Resolver",
    "UnresolvedHostError",
    "address_is_allowed",
    "checked_addresses",
    "host_lookup",
    "lookup_before_saving",
    "registration_problem",
    "system_lookup",
    "url_problem",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> the addresses the host resolves to (when sending, on the event loop)
Resolver = Callable[[str, int], Awaitable[list[str]]]
# host, port -> the addresses the host resolves to, blocking (when saving, in a thread)
HostLookup = Callable[[str, int], Iterable[str]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
MAX_URL_LENGTH = 2000
# How long saving an endpoint waits for DNS (looked up before the unit of work starts).
LOOKUP_SECONDS = 3.0


class AddressRefusedError(Exception):
    """No request goes to the receiver's host: see the two kinds below."""


class UnresolvedHostError(AddressRefusedError):
    """The host did not resolve (to any address): DNS may answer later, so it is retried."""


class DisallowedAddressError(AddressRefusedError):
    """The host resolves to an address webhooks may not be sent to: trying again cannot
    help while its DNS says so."""


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def address_is_allowed(address: IPAddress, *, allow_private: bool) -> bool:
    """Unspecified and multicast addresses never; non-public ones only with `allow_private`."""
    address = _embedded_ipv4(address)
    if address.is_unspecified or address.is_multicast:
        return False
    return allow_private or address.is_global


def _first_disallowed(addresses: Iterable[str], *, allow_private: bool) -> str | None:
    """The first of `addresses` (as a resolver gives them) that is not allowed, or None."""
    for text in addresses:
        address = text.split("%", 1)[0]  # an IPv6 zone is no part of the address
        if not address_is_allowed(ipaddress.ip_address(address), allow_private=allow_private):
            return address  # as the resolver wrote it: ::ffff:127.0.0.1, not ::ffff:7f00:1
    return None


def _is_localhost_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def url_problem(url: str, *, allow_private: bool) -> str | None:
    """Why `url` cannot receive webhooks, judged by its form alone (no DNS), or None."""
    if len(url) > MAX_URL_LENGTH:
        return f"at most {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return f"not a valid URL: {error}"
    if parts.scheme not in ("http", "https"):
        return "must be an http:// or https:// URL"
    host = parts.hostname
    if not host:
        return "must name a host"
    if port == 0:
        return "port 0 is not a port"
    if not allow_private and _is_localhost_name(host):
        return "must not be a local address (private addresses are not allowed)"
    address = _address_literal(host)
    if address is None:
        return None  # a host name: checked after resolution (registration_problem, sending)
    if address_is_allowed(address, allow_private=allow_private):
        return None
    if allow_private:
        return f"{host} is an unspecified or multicast address, which never receives webhooks"
    return f"{host} is not a public address (private addresses are not allowed)"


def system_lookup(host: str, port: int) -> list[str]:
    """The system resolver (getaddrinfo: /etc/hosts, DNS, ...), blocking."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


# The lookup that registration_problem uses when it is given none: a seam for tests that
# save endpoints through the HTTP interface (monkeypatch it; never assign it in the app).
host_lookup: HostLookup = system_lookup


def registration_problem(
    url: str,
    *,
    allow_private: bool,
    lookup: HostLookup | None = None,
    seconds: float = LOOKUP_SECONDS,
) -> str | None:
    """Why `url` cannot be saved as a receiver, or None: `url_problem`, then, for a host
    name, the addresses it resolves to now, by the rules used when sending. The lookup runs
    in a thread of its own and is given up after `seconds` (a refusal: try again). A name
    that does not resolve passes: there is nothing to refuse yet, and sending checks again.
    Only DNS is asked; nothing connects to the receiver."""
    problem = url_problem(url, allow_private=allow_private)
    if problem is not None:
        return problem
    try:
        host, port = _host_and_port(url)
    except httpx.InvalidURL as error:
        return f"not a valid URL: {error}"
    if _address_literal(host) is not None:
        return None  # checked by url_problem
    try:
        addresses = _lookup_within(lookup or host_lookup, host, port, seconds)
    except TimeoutError:
        return (
            f"no DNS answer for {host} within {seconds:g} s, so where it points could not "
            "be checked; try again"
        )
    except (OSError, ValueError):  # not found, no address, temporary failure, bad label
        return None
    refused = _first_disallowed(addresses, allow_private=allow_private)
    if refused is None:
        return None
    if allow_private:
        return (
            f"{host} resolves to {refused}, an unspecified or multicast address, which never "
            "receives webhooks"
        )
    return (
        f"{host} resolves to {refused}, which is not a public address (private, loopback "
        "and link-local addresses are not allowed)"
    )


def _host_and_port(url: str) -> tuple[str, int]:
    """The host as sending will resolve it (IDNA 2008), and the port it will connect to."""
    parsed = httpx.URL(url)
    return parsed.raw_host.decode("ascii"), parsed.port or (443 if parsed.scheme == "https" else 80)


async def lookup_before_saving(url: object, *, allow_private: bool) -> HostLookup | None:
    """The lookup that saving `url` needs, done now: off the event loop and before any
    database work starts, so a resolver that hangs holds no connection or write turn. Pass
    the result to the service as its `lookup`: `registration_problem` then gets the same
    addresses, or the same failure, at once. None when `url` needs no lookup (as judged by
    `registration_problem` with the same `allow_private`)."""
    if not isinstance(url, str) or url_problem(url, allow_private=allow_private) is not None:
        return None
    try:
        host, port = _host_and_port(url)
    except httpx.InvalidURL:
        return None
    if _address_literal(host) is not None:
        return None
    lookup = host_lookup
    try:
        addresses = await anyio.to_thread.run_sync(
            _lookup_within, lookup, host, port, LOOKUP_SECONDS
        )
    except Exception as error:  # TimeoutError, OSError, ValueError: answered again below
        failure = error

        def failed(asked_host: str, asked_port: int) -> list[str]:
            raise failure

        return failed

    def answered(asked_host: str, asked_port: int) -> list[str]:
        if (asked_host, asked_port) == (host, port):
            return addresses
        return list(lookup(asked_host, asked_port))  # pragma: no cover - same URL, same host

    return answered


def _lookup_within(lookup: HostLookup, host: str, port: int, seconds: float) -> list[str]:
    """`lookup(host, port)` in a daemon thread of its own, waited for `seconds` at most
    (TimeoutError). getaddrinfo cannot be cancelled: a lookup that hangs ends in its thread
    whenever the resolver gives up, and holds nothing of the caller's meanwhile."""
    answer: Future[list[str]] = Future()

    def run() -> None:
        try:
            answer.set_result(list(lookup(host, port)))
        except BaseException as error:  # handed to the waiting caller
            answer.set_exception(error)

    threading.Thread(target=run, name="webhook-host-lookup", daemon=True).start()
    return answer.result(timeout=seconds)


def _address_literal(host: str) -> IPAddress | None:
    """The address `host` stands for without DNS: a standard literal, or one of the older
    IPv4 forms that resolvers still accept (2130706433, 0x7f000001, 0177.0.0.1, 127.1)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host.replace(".", "").isalnum() or not host[:1].isdigit():
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def checked_addresses(
    host: str, port: int, *, allow_private: bool, resolver: Resolver = system_resolver
) -> list[str]:
    """Resolve `host`; refuse it when any address it resolves to is not allowed (a host
    with one public and one private address is refused, whichever would be tried first)."""
    try:
        addresses = _unique(await resolver(host, port))
    except OSError as error:
        raise UnresolvedHostError(f"cannot resolve {host}: {error}") from error
    if not addresses:
        raise UnresolvedHostError(f"{host} resolves to no address")
    refused = _first_disallowed(addresses, allow_private=allow_private)
    if refused is not None:
        kinds = (
            "unspecified or multicast"
            if allow_private
            else "private, loopback, link-local or otherwise non-public"
        )
        raise DisallowedAddressError(
            f"{host} resolves to {refused}, which webhooks may not be sent to ({kinds})"
        )
    return addresses


def _unique(addresses: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(addresses))


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the address check: it connects to the addresses it
    checked, never to a name resolved again. TLS still verifies the certificate against the
    host name of the URL, which httpcore passes as the server name."""

    def __init__(self, *, allow_private: bool, resolver: Resolver = system_resolver) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private
        self._resolver = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> AsyncNetworkStream:
        addresses = await checked_addresses(
            host, port, allow_private=self._allow_private, resolver=self._resolver
        )
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> AsyncNetworkStream:
        raise DisallowedAddressError("webhooks are never sent to a Unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
