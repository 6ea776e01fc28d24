"""Short reads run from the event loop itself, on connections of their own.

Handing work to a worker thread is the dearest part of a request that reads one indexed row
(see app/api/dependencies.py), so the hottest read of the API (an API key together with the
results version it asks about) runs here instead: on SQLite inline (an indexed read in WAL
mode takes microseconds and never waits for a writer), on PostgreSQL over psycopg's asyncio
connections, so the loop never blocks while the database answers. Each read is a single
statement in autocommit mode: no transaction to begin or end. Rows are plain DBAPI tuples,
without SQLAlchemy's type processing (`utc_datetime` reads a timestamp column).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import psycopg
from sqlalchemy import Engine
from sqlalchemy.sql import Select
from starlette.concurrency import run_in_threadpool

__all__ = ["LoopReads", "new_loop_reads", "utc_datetime"]

Row = Sequence[Any]
POSTGRES_CONNECTIONS = 4
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


class LoopReads(Protocol):
    async def first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        """The first row of `statement` with its bound `values`, or None."""
        ...

    async def close(self) -> None: ...


def new_loop_reads(engine: Engine) -> LoopReads:
    if engine.dialect.name == "sqlite":
        return _SqliteReads(engine)
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        return _PostgresReads(engine)
    return _ThreadReads(engine)


def utc_datetime(value: datetime | str | None) -> datetime | None:
    """A UTC timestamp column as stored (naive UTC; text on SQLite) made aware."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC)


class _Compiled:
    """A statement compiled once for one dialect, with its parameters in the driver's form."""

    def __init__(self, statement: Select[Any], engine: Engine) -> None:
        compiled = statement.compile(dialect=engine.dialect)
        self.sql = compiled.string
        self._names = compiled.positiontup  # None where parameters go by name

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        return dict(values) if self._names is None else [values[name] for name in self._names]


class _CompiledStatements:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._compiled: dict[int, tuple[Select[Any], _Compiled]] = {}

    def of(self, statement: Select[Any]) -> _Compiled:
        # Keyed by identity: the hot statements are module constants, built once.
        found = self._compiled.get(id(statement))
        if found is None or found[0] is not statement:
            found = (statement, _Compiled(statement, self._engine))
            self._compiled[id(statement)] = found
        return found[1]


class _SqliteReads:
    """One connection, used inline. A reader in WAL mode waits for nobody, save in rare cases
    (another connection recovering the WAL, a database not in WAL mode): then it gives up at
    once and reads from a worker thread, so the loop never sleeps in SQLite's busy handler."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._statements = _CompiledStatements(engine)
        self._held: Any = None  # the pool's wrapper, which closes the connection
        self._connection: sqlite3.Connection | None = None
        self._in_thread = _ThreadReads(engine)

    async def first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        query = self._statements.of(statement)
        try:
            cursor = self._open().execute(query.sql, query.parameters(values))
            try:
                row: Row | None = cursor.fetchone()
            finally:
                cursor.close()  # ends the read transaction: checkpoints never wait for it
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF not in _BUSY:  # primary code
                raise
            return await self._in_thread.first(statement, values)
        return row

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            # Out of the pool for good, with the engine's pragmas (WAL, foreign keys) applied.
            held = self._engine.raw_connection()
            connection = held.driver_connection
            assert isinstance(connection, sqlite3.Connection)
            held.detach()
            connection.isolation_level = None  # autocommit: each read is its own transaction
            connection.execute("PRAGMA busy_timeout=0")
            self._held, self._connection = held, connection
        return self._connection

    async def close(self) -> None:
        if self._held is not None:
            self._held.close()
        self._held = self._connection = None


class _PostgresReads:
    """A few asyncio connections of psycopg, opened when first needed. A connection that
    fails is closed and never reused; a read that fails on a connection which had been idle
    (dropped by the server meanwhile) is tried once more on a new one."""

    def __init__(self, engine: Engine, size: int = POSTGRES_CONNECTIONS) -> None:
        arguments, options = engine.dialect.create_connect_args(engine.url)
        self._arguments = list(arguments)
        self._options = dict(options)
        self._statements = _CompiledStatements(engine)
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._size = size
        self._slots: asyncio.Semaphore | None = None

    async def first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        query = self._statements.of(statement)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._size)
        async with self._slots:
            reused = bool(self._idle)
            connection = self._idle.pop() if reused else await self._connect()
            try:
                row = await _fetch_first(connection, query, values)
            except psycopg.OperationalError:
                await _discard(connection)
                if not reused:
                    raise
                connection = await self._connect()
                row = await _fetch_first(connection, query, values)
            except BaseException:
                await _discard(connection)
                raise
            self._idle.append(connection)
            return row

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        return await psycopg.AsyncConnection.connect(
            *self._arguments, **self._options, autocommit=True
        )

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()


async def _fetch_first(
    connection: psycopg.AsyncConnection[Any], query: _Compiled, values: Mapping[str, Any]
) -> Row | None:
    cursor = await connection.execute(query.sql, query.parameters(values))
    return await cursor.fetchone()


async def _discard(connection: psycopg.AsyncConnection[Any]) -> None:
    with contextlib.suppress(Exception):  # it is thrown away because it failed
        await asyncio.shield(connection.close())


class _ThreadReads:
    """Any other driver: the engine's pool, from a worker thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        return await run_in_threadpool(self._first, statement, values)

    def _first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        with self._engine.connect() as connection:
            row = connection.execute(statement, dict(values)).first()
            return None if row is None else tuple(row)

    async def close(self) -> None:
        return None
