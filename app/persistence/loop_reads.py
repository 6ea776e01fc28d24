"""Short reads run from the event loop itself, on connections of their own.

Handing work to a worker thread is the dearest part of a request that reads one indexed row
(see app/dependencies.py), so the hottest read of the API (an API key together with the
results version it asks about) runs here instead: on SQLite inline (an indexed read in WAL
mode takes microseconds and never waits for a writer), on PostgreSQL over psycopg's asyncio
connections (app/persistence/postgres_loop.py), so the loop never blocks while the database answers.
Each read is a single statement in autocommit mode: no transaction to begin or end. Rows
come back as tuples, with the columns' types applied (app/persistence/compiled_statements.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any, Protocol

import psycopg
from sqlalchemy import Engine
from sqlalchemy.sql import Select
from starlette.concurrency import run_in_threadpool

from app.persistence.compiled_statements import CompiledStatements, Row
from app.persistence.postgres_loop import LoopConnections

__all__ = ["LoopReads", "new_loop_reads"]

_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


class LoopReads(Protocol):
    async def first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        """The first row of `statement` with its bound `values`, or None."""
        ...

    async def close(self) -> None: ...


def new_loop_reads(engine: Engine, connections: LoopConnections | None) -> LoopReads:
    """`connections`: the app's loop connections to PostgreSQL, where it has them."""
    if engine.dialect.name == "sqlite":
        return _SqliteReads(engine)
    if connections is not None:
        return _PostgresReads(connections)
    return _ThreadReads(engine)


class _SqliteReads:
    """One connection, used inline. A reader in WAL mode waits for nobody, save in rare cases
    (another connection recovering the WAL, a database not in WAL mode): then it gives up at
    once and reads from a worker thread, so the loop never sleeps in SQLite's busy handler."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._statements = CompiledStatements(engine.dialect)
        self._held: Any = None  # the pool's wrapper, which closes the connection
        self._connection: sqlite3.Connection | None = None
        self._in_thread = _ThreadReads(engine)

    async def first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        query = self._statements.of(statement)
        try:
            cursor = self._open().execute(query.sql, query.parameters(values))
            try:
                found = cursor.fetchone()
            finally:
                cursor.close()  # ends the read transaction: checkpoints never wait for it
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF not in _BUSY:  # primary code
                raise
            return await self._in_thread.first(statement, values)
        return None if found is None else query.row(found)

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
    """Over the app's asyncio connections of psycopg (app/persistence/postgres_loop.py)."""

    def __init__(self, connections: LoopConnections) -> None:
        self._connections = connections

    async def first(self, statement: Select[Any], values: Mapping[str, Any]) -> Row | None:
        query = self._connections.statements.of(statement)

        async def fetch_first(connection: psycopg.AsyncConnection[Any]) -> Row | None:
            cursor = await connection.execute(query.sql, query.parameters(values))
            row = await cursor.fetchone()
            return None if row is None else query.row(row)

        return await self._connections.run(fetch_first)

    async def close(self) -> None:
        return None  # the connections are the Database's, which closes them


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
