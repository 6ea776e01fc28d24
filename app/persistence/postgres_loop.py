"""PostgreSQL from the event loop: a few asyncio connections of psycopg, so that the loop
never blocks while the database answers and no worker thread is handed the work.

A hand-off to a worker thread and back costs a request more CPU than the statements of a
short read or write do (GIL hand-offs and wake-ups, SQLAlchemy's session), so the hottest
ones run here: the read behind cached results (app/persistence/loop_reads.py) and work
written as steps (app/persistence/steps.py), a respondent's answer save above all.
Statements are the app's own, compiled once (app/persistence/compiled_statements.py).
Connections are in autocommit mode: a read is one statement, a write takes a transaction of
its own (`LoopTransactions`). Only app/persistence/database.py uses this module.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import psycopg
from sqlalchemy import Engine

from app.persistence.compiled_statements import CompiledStatements
from app.persistence.steps import Finished, InSession, Rows, StepWork, next_step

__all__ = [
    "LoopConnections",
    "LoopTransactions",
    "NeedsSessionError",
    "RowLockBusyError",
    "new_loop_connections",
    "new_loop_transactions",
]

T = TypeVar("T")
POSTGRES_CONNECTIONS = 4
# How long a transaction from the loop waits for a row lock that another one holds. Past it
# the transaction gives its connection back (RowLockBusyError), and the work goes on
# waiting in a database thread, where it keeps no one else from a loop connection.
LOCK_TIMEOUT_MS = 50


class LoopConnections:
    """Opened when first needed, at most `size` at once. A connection that fails is closed
    and never reused; work that fails with psycopg.OperationalError on a connection which
    had been idle (dropped by the server meanwhile) runs once more on a new one, so the
    work must be safe to repeat: a read, or a transaction that writes the same again."""

    def __init__(self, engine: Engine, size: int = POSTGRES_CONNECTIONS) -> None:
        arguments, options = engine.dialect.create_connect_args(engine.url)
        self._arguments = list(arguments)
        self._options = dict(options)
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._size = size
        self._slots: asyncio.Semaphore | None = None
        self.statements = CompiledStatements(engine.dialect)

    async def run(self, work: Callable[[psycopg.AsyncConnection[Any]], Awaitable[T]]) -> T:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._size)
        async with self._slots:
            reused = bool(self._idle)
            connection = self._idle.pop() if reused else await self._connect()
            try:
                return await self._run_on(connection, work)
            except psycopg.OperationalError:
                if not (reused and connection.closed):
                    raise
            return await self._run_on(await self._connect(), work)

    async def _run_on(
        self,
        connection: psycopg.AsyncConnection[Any],
        work: Callable[[psycopg.AsyncConnection[Any]], Awaitable[T]],
    ) -> T:
        """The connection goes back to the idle ones afterwards, or is closed if unusable."""
        try:
            result = await work(connection)
        except BaseException as error:
            if _still_usable(error, connection):
                self._idle.append(connection)
            else:
                await _discard(connection)
            raise
        self._idle.append(connection)
        return result

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        connection = await psycopg.AsyncConnection.connect(
            *self._arguments, **self._options, autocommit=True
        )
        try:
            await connection.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        except BaseException:
            await _discard(connection)
            raise
        return connection

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()


def new_loop_connections(engine: Engine) -> LoopConnections | None:
    """The Database's loop connections: PostgreSQL through psycopg has them, nothing else."""
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        return LoopConnections(engine)
    return None


def _still_usable(error: BaseException, connection: psycopg.AsyncConnection[Any]) -> bool:
    """After an error of the work's own (a refused answer, a lock wait cut short), the
    connection is as good as before once outside any transaction. After a cancellation, or
    when it broke, it is not."""
    return (
        isinstance(error, Exception)
        and not connection.broken
        and connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    )


async def _discard(connection: psycopg.AsyncConnection[Any]) -> None:
    with contextlib.suppress(Exception):  # it is thrown away because it failed
        await asyncio.shield(connection.close())


class RowLockBusyError(Exception):
    """A row lock stayed taken longer than LOCK_TIMEOUT_MS: nothing was written."""


class NeedsSessionError(Exception):
    """The work reached a step that needs a SQLAlchemy session: nothing was written."""


class LoopTransactions:
    """Units of work written as steps (app/persistence/steps.py), each in one transaction on
    a loop connection."""

    def __init__(self, connections: LoopConnections) -> None:
        self._connections = connections

    async def run(self, work: StepWork[T]) -> T:
        """Run `work` in one transaction: committed when it returns, rolled back when it
        raises. Work that fails on a connection left idle too long runs again (see
        LoopConnections), from its first step. RowLockBusyError when a row lock stayed taken
        too long, NeedsSessionError when a step needs a session."""
        statements = self._connections.statements

        async def in_transaction(connection: psycopg.AsyncConnection[Any]) -> T:
            async with connection.transaction():
                steps = work("postgresql")
                reply: Any = None
                while True:
                    step = next_step(steps, reply)
                    if isinstance(step, Finished):
                        return step.result
                    if isinstance(step, InSession):
                        raise NeedsSessionError
                    query = statements.of(step.statement)
                    if isinstance(step, Rows):
                        cursor = await connection.execute(query.sql, query.parameters(step.values))
                        reply = [query.row(row) for row in await cursor.fetchall()]
                    else:
                        for values in step.values:
                            await connection.execute(query.sql, query.parameters(values))
                        reply = None

        try:
            return await self._connections.run(in_transaction)
        except psycopg.errors.LockNotAvailable as error:
            raise RowLockBusyError from error


def new_loop_transactions(connections: LoopConnections | None) -> LoopTransactions | None:
    """None where there are no loop connections (SQLite writes run inline instead,
    app/persistence/sqlite_loop.py)."""
    return None if connections is None else LoopTransactions(connections)
