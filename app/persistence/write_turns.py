"""One writer at a time on SQLite, queued in the event loop.

SQLite lets one transaction write at a time. Writers that queue inside SQLite sleep in its
busy handler, each holding a worker thread, unfairly and for up to the busy timeout; queued
here instead, they wait their turn in order without holding a thread. PostgreSQL needs no
turns: its row locks are enough.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from sqlalchemy import Engine

__all__ = ["new_write_turns", "write_turn"]


def new_write_turns(engine: Engine) -> anyio.Lock | None:
    """The lock that orders writers (None: not needed)."""
    return anyio.Lock() if engine.dialect.name == "sqlite" else None


@asynccontextmanager
async def write_turn(lock: anyio.Lock | None, *, writes: bool) -> AsyncIterator[None]:
    if lock is None or not writes:
        yield
        return
    async with lock:
        yield
