"""Who sent a request: the socket peer, or, when that peer is a trusted proxy, the address the
proxies recorded in X-Forwarded-For (the rightmost hop that is not itself a trusted proxy).

Only OPSMATURITY_TRUSTED_PROXIES decides; `serve` turns uvicorn's own proxy-header handling
off so that nothing else rewrites the peer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.requests import HTTPConnection
from starlette.types import Scope

__all__ = ["ClientAddress", "client_ip", "resolve_client"]

Network = IPv4Network | IPv6Network
_STATE_KEY = "client_address"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ClientAddress:
    ip: str
    peer: str  # the socket peer, whatever the headers say
    forwarded: bool  # the request came through a trusted proxy that said who sent it
    secure: bool  # TLS to us, or to the trusted proxy in front of us


def _parsed(text: str) -> IPv4Address | IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ip_address(text)
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address | None, proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def _header_values(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]


def resolve_client(scope: Scope, proxies: Sequence[Network]) -> ClientAddress:
    """The client of an HTTP scope; kept on the scope's state for `client_ip`."""
    client = scope.get("client")
    peer = client[0] if client else UNKNOWN
    secure = scope.get("scheme") == "https"
    address = ClientAddress(peer, peer, False, secure)
    if proxies and _trusted(_parsed(peer), proxies):
        hops = [
            hop.strip()
            for line in _header_values(scope, b"x-forwarded-for")
            for hop in line.split(",")
            if hop.strip()
        ]
        # Right to left: each trusted proxy vouches for the hop before it; the first
        # untrusted hop is the client. All hops trusted: the leftmost is the client.
        client_hop = None
        for hop in reversed(hops):
            parsed = _parsed(hop)
            if parsed is None:
                break  # garbage from beyond the proxies: keep the last trusted hop
            client_hop = str(parsed)
            if not _trusted(parsed, proxies):
                break
        protos = _header_values(scope, b"x-forwarded-proto")
        if protos:
            # The proxy nearest us appends last.
            secure = protos[-1].split(",")[-1].strip().lower() == "https"
        if client_hop is not None:
            address = ClientAddress(client_hop, peer, True, secure)
        else:
            address = ClientAddress(peer, peer, False, secure)
    scope.setdefault("state", {})[_STATE_KEY] = address
    return address


def client_ip(connection: HTTPConnection) -> str:
    """The client's address as the request middleware resolved it (the socket peer when the
    app runs without it)."""
    address = connection.scope.get("state", {}).get(_STATE_KEY)
    if isinstance(address, ClientAddress):
        return address.ip
    return connection.client.host if connection.client is not None else UNKNOWN
