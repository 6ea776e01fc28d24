"""Short writes run from the event loop itself, on SQLite.

Handing a unit of work to a database thread and back costs the server more CPU than a short
SQLite write does (GIL hand-offs and wake-ups: about 1 ms per answer save, bench/api_bench.py),
and on SQLite one transaction writes at a time anyway. So the hottest writes, respondents
saving answers (through the API with their invite token, and the questionnaire pages' page
saves and autosave), run inline, in their write turn (app/persistence/write_turns.py), on a
connection of its own that never waits: a write lock held outside the turns (another worker process,
a CLI command, this process's webhook or report threads) makes it give up at once, and the
work runs again in a database thread, where waiting blocks nobody. Nothing of the attempt
is kept: it was one transaction, rolled back. On PostgreSQL, short writes written as steps
run on the loop's asyncio connections instead (app/persistence/postgres_loop.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work

__all__ = ["LoopWrites", "WriteLockBusyError", "new_loop_writes"]

T = TypeVar("T")
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


class WriteLockBusyError(Exception):
    """Another connection holds the database's write lock: nothing was written."""


class LoopWrites:
    def __init__(self, engine: Engine) -> None:
        # One connection is ever used (only the loop's thread writes here); it waits for no one.
        self._engine = make_engine(
            engine.url.render_as_string(hide_password=False), sqlite_busy_timeout_ms=0
        )

    @property
    def engine(self) -> Engine:
        return self._engine

    def run(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction, now; WriteLockBusyError when the write lock is taken."""
        try:
            with unit_of_work(self._engine, writes=True) as session:
                return work(session)
        except OperationalError as error:
            code = getattr(error.orig, "sqlite_errorcode", 0) & 0xFF  # the primary code
            if code in _BUSY:
                raise WriteLockBusyError from error
            raise

    def close(self) -> None:
        self._engine.dispose()


def new_loop_writes(engine: Engine) -> LoopWrites | None:
    """The Database's inline writes: None where writes stay in threads (PostgreSQL, and an
    in-memory SQLite database, which a second engine could not share)."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    return LoopWrites(engine)
