"""Where rate-limit counts live: in this process's memory, or in Redis for every worker.

Counts are kept per fixed window (a minute) and read as a sliding window: the previous
window's count weighted by how much of it still overlaps the last minute, plus this one's.
That needs two counters per subject and no clock agreement beyond the windows' edges.

Both read the time from `clock` (seconds since the epoch, `time.time` unless given), so a
test can hold a window still or move it on without waiting.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

__all__ = ["Clock", "Counts", "MemoryCounts", "RedisCounts", "WindowCount", "new_counts"]

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
_MEMORY_PURGE_AT = 50_000

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class WindowCount:
    """A subject's requests in the sliding minute, this one included."""

    previous: int
    current: int
    elapsed: float  # seconds into the current window

    @property
    def estimate(self) -> float:
        return self.previous * (1 - self.elapsed / WINDOW_SECONDS) + self.current

    def seconds_until_below(self, limit: int) -> int:
        """Seconds until one more request would be within `limit` (at least 1)."""
        room = limit - 1  # what may be counted when the next request arrives
        left_in_window = WINDOW_SECONDS - self.elapsed
        if self.current <= room and self.previous > 0:
            # Within this window, once the previous one's weight has shrunk enough.
            fraction = 1 - (room - self.current) / self.previous
            wait = fraction * WINDOW_SECONDS - self.elapsed
        elif self.current <= room:
            wait = 0.0
        else:
            # Next window: this window's count becomes the previous one and shrinks.
            wait = left_in_window + (1 - room / self.current) * WINDOW_SECONDS
        return max(1, math.ceil(wait))


class Counts(Protocol):
    async def hit(self, subjects: Sequence[tuple[str, int]]) -> list[WindowCount] | None:
        """Add `cost` to each subject's count (0: read it; negative: give back); the counts
        after. None: counts unavailable (the request is let through)."""

    async def aclose(self) -> None: ...


def _window(now: float) -> tuple[int, float]:
    window = int(now // WINDOW_SECONDS)
    return window, now - window * WINDOW_SECONDS


class MemoryCounts:
    """Counts of this process only: each worker process counts on its own."""

    def __init__(self, *, clock: Clock = time.time) -> None:
        self.clock = clock
        self._counts: dict[tuple[int, str], int] = {}

    async def hit(self, subjects: Sequence[tuple[str, int]]) -> list[WindowCount] | None:
        window, elapsed = _window(self.clock())
        if len(self._counts) > _MEMORY_PURGE_AT:
            self._counts = {k: v for k, v in self._counts.items() if k[0] >= window - 1}
        results = []
        for subject, cost in subjects:
            current = self._counts.get((window, subject), 0) + cost
            if cost:
                self._counts[(window, subject)] = current
            previous = self._counts.get((window - 1, subject), 0)
            results.append(WindowCount(previous, current, elapsed))
        return results

    async def aclose(self) -> None:
        self._counts.clear()


class RedisCounts:
    """Counts shared by every process that uses the same Redis: one round trip per request.
    When Redis does not answer, requests are let through and a warning is logged."""

    def __init__(
        self, url: str, *, prefix: str = "opsmaturity:rate", clock: Clock = time.time
    ) -> None:
        self.clock = clock
        self._client = redis_asyncio.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        self._prefix = prefix
        self._warned_at = -math.inf

    async def hit(self, subjects: Sequence[tuple[str, int]]) -> list[WindowCount] | None:
        window, elapsed = _window(self.clock())
        pipeline = self._client.pipeline(transaction=False)
        for subject, cost in subjects:
            key = f"{self._prefix}:{window}:{subject}"
            pipeline.incrby(key, cost)
            pipeline.expire(key, 2 * WINDOW_SECONDS)
            pipeline.get(f"{self._prefix}:{window - 1}:{subject}")
        try:
            replies = await pipeline.execute()
        except (RedisError, OSError) as error:
            self._warn(error)
            return None
        return [
            WindowCount(int(replies[i + 2] or 0), int(replies[i]), elapsed)
            for i in range(0, len(replies), 3)
        ]

    def _warn(self, error: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at > WINDOW_SECONDS:  # once a minute, not once a request
            self._warned_at = now
            logger.warning("rate limits not applied: Redis did not answer (%s)", error)

    async def aclose(self) -> None:
        await self._client.aclose()


def new_counts(redis_url: str | None) -> Counts:
    return RedisCounts(redis_url) if redis_url else MemoryCounts()
