"""When a failed hand-over (a webhook delivery, a mail message) is tried again: exponential
backoff with jitter, and the status each attempt leaves behind."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["AttemptSettlement", "RetryPolicy", "retry_delay", "settle"]


# Its own generator: the module-level one is shared state that other code (and tests) seed.
_JITTER = random.SystemRandom()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    max_seconds: float


@dataclass(frozen=True, slots=True)
class AttemptSettlement:
    """`status`: "succeeded", "pending" (due again at `next_attempt_at`) or "failed"."""

    status: str
    next_attempt_at: datetime | None
    finished_at: datetime | None


def retry_delay(
    attempt: int, *, base_seconds: float, max_seconds: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, …): base * 2**(attempt-1),
    capped at `max_seconds`, of which a random half or more ("equal jitter"), so receivers
    that failed together are not retried together."""
    if attempt < 1:
        raise ValueError("attempts are numbered from 1")
    exponent = min(attempt - 1, 62)  # beyond this the cap applies anyway
    ceiling = min(max_seconds, base_seconds * 2.0**exponent)
    draw = (rng or _JITTER).random()
    return ceiling / 2 + ceiling / 2 * draw


def settle(
    *,
    attempt: int,
    succeeded: bool,
    final: bool,
    policy: RetryPolicy,
    now: datetime,
    rng: random.Random | None = None,
) -> AttemptSettlement:
    """Succeeded; failed after the last attempt or a final one (retrying cannot help); or
    pending, due again after the backoff."""
    if succeeded:
        return AttemptSettlement("succeeded", None, now)
    if final or attempt >= policy.max_attempts:
        return AttemptSettlement("failed", None, now)
    delay = retry_delay(
        attempt, base_seconds=policy.base_seconds, max_seconds=policy.max_seconds, rng=rng
    )
    return AttemptSettlement("pending", now + timedelta(seconds=delay), None)
