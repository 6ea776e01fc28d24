"""Sending one webhook attempt: sign, POST with a hard time limit, and describe what happened.

Requests go through httpcore with the guarded network backend (webhook_addresses), so every
connection is to a checked address. Redirects are not followed (a 3xx is a failed attempt),
no proxy from the environment is used, and only the start of a response is read, for the
delivery log. An attempt refused because the host resolves to a refused address is `final`:
the delivery fails at once instead of being retried (a name that does not resolve is
retried, as DNS may answer later).
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import datetime

import anyio
import httpcore
import httpx

from app.models import utc_now
from app.repositories.webhooks import ClaimedDelivery
from app.services.secret_sealing import SecretSealer, UnsealError
from app.services.webhook_addresses import (
    AddressRefusedError,
    DisallowedAddressError,
    GuardedNetworkBackend,
    Resolver,
    system_resolver,
)
from app.services.webhook_endpoints import signing_secrets
from app.services.webhook_signing import webhook_headers

__all__ = ["USER_AGENT", "AttemptOutcome", "WebhookSender"]

USER_AGENT = "OpsMaturity-Webhooks/1"
RESPONSE_EXCERPT_BYTES = 1000
ERROR_CHARS = 500


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    """`status_code` is None when no response came (refused address, timeout, network).
    `final`: trying again cannot help (the receiver's address is refused), so the delivery
    fails now; it can be sent again by hand once the receiver's DNS is fixed."""

    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None
    response_excerpt: str | None
    final: bool = False

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _target(url: str) -> tuple[httpcore.URL, list[tuple[str, str]]]:
    """The URL for httpcore, and an Authorization header for credentials in the URL."""
    parsed = httpx.URL(url)
    target = httpcore.URL(
        scheme=parsed.raw_scheme,
        host=parsed.raw_host,
        port=parsed.port,
        target=parsed.raw_path,
    )
    if not parsed.userinfo:
        return target, []
    credentials = base64.b64encode(parsed.userinfo).decode("ascii")
    return target, [("Authorization", f"Basic {credentials}")]


class WebhookSender:
    """One connection pool per worker; `send` never raises for a failed attempt."""

    def __init__(
        self,
        *,
        allow_private_addresses: bool,
        timeout_seconds: float,
        sealer: SecretSealer,
        resolver: Resolver = system_resolver,
    ) -> None:
        self._timeout = timeout_seconds
        self._sealer = sealer
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=GuardedNetworkBackend(
                allow_private=allow_private_addresses, resolver=resolver
            ),
            max_connections=50,
            keepalive_expiry=30.0,
        )

    async def send(self, claimed: ClaimedDelivery) -> AttemptOutcome:
        started_at = utc_now()
        clock = time.monotonic()
        status_code: int | None = None
        excerpt: str | None = None
        error: str | None = None
        final = False
        try:
            target, extra_headers = _target(claimed.url)
            secrets = [
                self._sealer.open(stored, endpoint_id=claimed.endpoint_id)
                for stored in signing_secrets(
                    claimed.secret,
                    claimed.previous_secret,
                    claimed.previous_secret_expires_at,
                    started_at,
                )
            ]
            signed = webhook_headers(
                secrets,
                message_id=claimed.message_id,
                timestamp=int(started_at.timestamp()),
                body=claimed.body,
            )
            headers = [
                ("Content-Type", "application/json"),
                ("User-Agent", USER_AGENT),
                *signed.items(),
                *extra_headers,
            ]
            timeouts = dict.fromkeys(("connect", "read", "write", "pool"), self._timeout)
            with anyio.fail_after(self._timeout):
                async with self._pool.stream(
                    "POST",
                    target,
                    headers=headers,
                    content=claimed.body.encode(),
                    extensions={"timeout": timeouts},
                ) as response:
                    status_code = response.status
                    excerpt = await _read_excerpt(response)
        except DisallowedAddressError as refused:
            error = f"refused: {refused}; not retried (redeliver once the host points elsewhere)"
            final = True
        except AddressRefusedError as refused:  # does not resolve (now): retried
            error = f"refused: {refused}"
        except UnsealError as unopened:
            error = str(unopened)
        except (TimeoutError, httpcore.TimeoutException):
            error = f"no response within {self._timeout:g} s"
        except Exception as failure:  # anything else: logged for the endpoint's owner
            error = (
                f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
            )
        duration_ms = round((time.monotonic() - clock) * 1000)
        if error is not None:
            error = error[:ERROR_CHARS]
        return AttemptOutcome(started_at, duration_ms, status_code, error, excerpt, final)

    async def aclose(self) -> None:
        await self._pool.aclose()


async def _read_excerpt(response: httpcore.Response) -> str | None:
    received = bytearray()
    async for chunk in response.aiter_stream():
        received += chunk
        if len(received) >= RESPONSE_EXCERPT_BYTES:
            break
    if not received:
        return None
    return bytes(received[:RESPONSE_EXCERPT_BYTES]).decode("utf-8", errors="replace")
