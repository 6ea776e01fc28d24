"""How a unit of work runs: decided here and nowhere else.

Services describe their work; routers hand it to the runtime's `Database`, which picks where
it runs. Services and routers never see threads, loops or drivers.

- `run(work, writes=...)`: a session in one of the database threads (app/persistence/threads.py).
  On SQLite, writers first wait for their write turn (app/persistence/write_turns.py); a
  `short` write (a few rows) runs inline on the event loop's own connection when no other
  connection holds the write lock (app/persistence/sqlite_loop.py), since handing it to a
  thread and back would cost more than the write.
- `run_steps(work)`: work written as steps (app/persistence/steps.py). On PostgreSQL through
  psycopg it runs on the loop's asyncio connections (app/persistence/postgres_loop.py), and
  again in a database thread when a step needs a session or a row lock stays taken; anywhere
  else it runs as a short write.
- `first(statement, values)`: a one-statement read from the event loop
  (app/persistence/loop_reads.py).

A transaction is committed in one of two places, both here: `unit_of_work` for sessions,
`LoopTransactions` for steps on PostgreSQL's loop connections.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.sql import Select
from sqlmodel import Session

from app.persistence.engine import make_engine
from app.persistence.loop_reads import new_loop_reads
from app.persistence.postgres_loop import (
    NeedsSessionError,
    RowLockBusyError,
    new_loop_connections,
    new_loop_transactions,
)
from app.persistence.sqlite_loop import WriteLockBusyError, new_loop_writes
from app.persistence.steps import Row, StepWork, run_in_session
from app.persistence.threads import in_database_thread, new_database_threads
from app.persistence.unit_of_work import unit_of_work
from app.persistence.write_turns import new_write_turns, write_turn

__all__ = ["Database"]

T = TypeVar("T")


class Database:
    """The engine and every way of running work on it; `close` it with the app.

    `owns_engine`: `close` disposes of the engine too (a Database made by `open` does)."""

    def __init__(self, engine: Engine, *, owns_engine: bool = False) -> None:
        self.engine = engine
        self._owns_engine = owns_engine
        self._turns = new_write_turns(engine)
        self._threads = new_database_threads()
        self._loop_writes = new_loop_writes(engine)
        self._loop_connections = new_loop_connections(engine)
        self._loop_reads = new_loop_reads(engine, self._loop_connections)
        self._loop_transactions = new_loop_transactions(self._loop_connections)

    @classmethod
    def open(cls, database_url: str) -> Database:
        return cls(make_engine(database_url), owns_engine=True)

    @property
    def inline_engine(self) -> Engine | None:
        """The engine of the event loop's own SQLite connection, which short writes use
        (None where every write runs in a thread)."""
        return None if self._loop_writes is None else self._loop_writes.engine

    async def run(self, work: Callable[[Session], T], *, writes: bool, short: bool = False) -> T:
        """Run `work` in one transaction: committed when it returns, rolled back when it raises."""
        async with write_turn(self._turns, writes=writes):
            if short and writes and self._loop_writes is not None:
                with contextlib.suppress(WriteLockBusyError):
                    return self._loop_writes.run(work)
            return await in_database_thread(
                self._threads, lambda: self._run_here(work, writes=writes)
            )

    async def run_steps(self, work: StepWork[T]) -> T:
        """Run a short write written as steps, in one transaction, wherever it is cheapest."""
        if self._loop_transactions is not None:
            with contextlib.suppress(NeedsSessionError, RowLockBusyError):
                return await self._loop_transactions.run(work)
        return await self.run(
            lambda session: run_in_session(session, work), writes=True, short=True
        )

    async def first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        """The first row of a one-statement read, from the event loop."""
        return await self._loop_reads.first(statement, values)

    def _run_here(self, work: Callable[[Session], T], *, writes: bool) -> T:
        """Run `work` in one transaction in the calling thread (a database thread)."""
        with unit_of_work(self.engine, writes=writes) as session:
            return work(session)

    async def close(self) -> None:
        await self._loop_reads.close()
        if self._loop_connections is not None:
            await self._loop_connections.close()
        if self._loop_writes is not None:
            self._loop_writes.close()
        self._threads.shutdown(wait=True)
        if self._owns_engine:
            self.engine.dispose()
