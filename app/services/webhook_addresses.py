"""Where webhooks may go: http(s) URLs whose host resolves to public addresses only.

A receiver URL is checked twice. When an endpoint is saved, its form is checked (scheme,
host, an address literal or a `localhost` name). When a request is sent, the host is
resolved, every address it resolves to is checked, and the connection goes to a checked
address: a DNS answer that changes between the check and the connection (DNS rebinding)
cannot move the request elsewhere. Private, loopback, link-local and other non-public
addresses are refused unless `allow_private` is set (self-hosted receivers, tests).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

import anyio
import httpcore
from httpcore import AsyncNetworkStream

__all__ = [
    "AddressRefusedError",
    "GuardedNetworkBackend",
    "Resolver",
    "address_is_allowed",
    "checked_addresses",
    "url_problem",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> the addresses the host resolves to
Resolver = Callable[[str, int], Awaitable[list[str]]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
MAX_URL_LENGTH = 2000


class AddressRefusedError(Exception):
    """The receiver's host resolves to an address webhooks may not be sent to."""


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


def _is_localhost_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def url_problem(url: str, *, allow_private: bool) -> str | None:
    """Why `url` cannot receive webhooks, or None. Host names are resolved only when sending."""
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
    if allow_private:
        return None
    if _is_localhost_name(host):
        return "must not be a local address (private addresses are not allowed)"
    address = _address_literal(host)
    if address is None:
        return None  # a host name: checked after resolution, when sending
    if not address_is_allowed(address, allow_private=False):
        return f"{host} is not a public address (private addresses are not allowed)"
    return None


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
        raise AddressRefusedError(f"cannot resolve {host}: {error}") from error
    if not addresses:
        raise AddressRefusedError(f"{host} resolves to no address")
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not address_is_allowed(address, allow_private=allow_private):
            raise AddressRefusedError(
                f"{host} resolves to {address}, which webhooks may not be sent to "
                "(private, loopback, link-local or otherwise non-public)"
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
        raise AddressRefusedError("webhooks are never sent to a Unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
