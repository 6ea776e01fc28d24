"""When a failed webhook delivery is tried again: exponential backoff with jitter."""

from __future__ import annotations

import random

__all__ = ["retry_delay"]


# Its own generator: the module-level one is shared state that other code (and tests) seed.
_JITTER = random.SystemRandom()


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
