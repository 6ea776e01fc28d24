"""The database engine: SQLite (WAL, busy timeout, foreign keys) by default, PostgreSQL by URL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import create_engine

from app.persistence.threads import DATABASE_THREADS

__all__ = ["database_is_reachable", "make_engine"]

# How long a writer waits for another process's write (other `serve --workers`, a CLI
# command); within a process writers queue in app/persistence/write_turns.py instead. Past it: 503.
SQLITE_BUSY_TIMEOUT_MS = 15000

# Connections the PostgreSQL pool keeps open: one per database thread, one for the webhook
# worker and one for the report loop. A smaller pool would open and close a connection (a
# new server process) for every request beyond it when the threads are all busy.
POSTGRES_POOL_SIZE = DATABASE_THREADS + 2

# A PostgreSQL connection that sat in the pool longer than this is pinged as it leaves it, so
# that a database restarted meanwhile costs no request; one in steady use is not, which saves
# a round trip on every request. A connection that breaks in use is seen as a disconnect, and
# the pool then replaces all of its connections.
PING_AFTER_IDLE_S = 1.0


def make_engine(
    database_url: str, *, sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> Engine:
    """Build the engine; for a SQLite file, create its folder and set the pragmas on every
    connection (`sqlite_busy_timeout_ms`: how long a connection waits for another's write)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_size=POSTGRES_POOL_SIZE)
        _ping_connections_left_idle(engine)
        return engine
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": sqlite_busy_timeout_ms / 1000}
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(sqlite_busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def _ping_connections_left_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _note_return(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and hands out a new one instead.
            raise DisconnectionError(str(error)) from error


def database_is_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
