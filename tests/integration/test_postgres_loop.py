"""Transactions from the event loop on PostgreSQL (app/persistence/postgres_loop.py), for work
written as steps: committed when the work returns, rolled back when it raises or reaches a
step that needs a session; a connection the server dropped while it sat idle
is replaced and the work runs again; a row lock held elsewhere gives the connection back
quickly; a cancelled transaction leaves nothing behind. Rows read back carry the columns'
types, as SQLAlchemy gives them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import pytest
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    insert,
    select,
    text,
)
from sqlalchemy import func as sql_functions

from app.models.columns import UtcDateTime
from app.persistence.engine import make_engine
from app.persistence.postgres_loop import (
    LoopConnections,
    LoopTransactions,
    NeedsSessionError,
    RowLockBusyError,
)
from app.persistence.steps import Execute, InSession, Rows, Step, Steps, StepWork
from tests.integration.databases import POSTGRES_ADMIN_DSN, fresh_database

pytestmark = pytest.mark.postgres

T = TypeVar("T")
NOTE = Table(
    "note",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("body", String(40)),
    Column("written_at", UtcDateTime()),
)
WRITE = insert(NOTE).values(
    id=bindparam("id"), body=bindparam("body"), written_at=bindparam("written_at")
)
READ = select(NOTE.c.body, NOTE.c.written_at).where(NOTE.c.id == bindparam("id"))
LOCK = select(NOTE.c.id).where(NOTE.c.id == bindparam("id")).with_for_update()
BACKEND_PID = select(sql_functions.pg_backend_pid())
SLEEP = text("SELECT pg_sleep(30)")
MOMENT = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with fresh_database("postgresql", tmp_path) as url:
        made = make_engine(url)
        NOTE.metadata.create_all(made)
        yield made
        made.dispose()


def with_transactions(engine: Engine, test: Callable[[LoopTransactions], Awaitable[T]]) -> T:
    """Run `test` in an event loop of its own, with one loop connection."""

    async def main() -> T:
        connections = LoopConnections(engine, size=1)
        try:
            return await test(LoopTransactions(connections))
        finally:
            await connections.close()

    return asyncio.run(main())


def write(note_id: int, body: str = "kept") -> Execute:
    return Execute(WRITE, [{"id": note_id, "body": body, "written_at": MOMENT}])


def steps_of(*steps: Step) -> StepWork[Any]:
    """Work that runs `steps` and returns what the last one received."""

    def work(_dialect: str) -> Steps[Any]:
        received = None
        for step in steps:
            received = yield step
        return received

    return work


async def read(transactions: LoopTransactions, note_id: int) -> list[Any]:
    return list(await transactions.run(steps_of(Rows(READ, {"id": note_id}))))


async def backend_pid(transactions: LoopTransactions) -> int:
    rows = await transactions.run(steps_of(Rows(BACKEND_PID, {})))
    return int(rows[0][0])


def terminate(pid: int) -> None:
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_work_that_returns_commits_and_work_that_raises_leaves_nothing(engine: Engine) -> None:
    def refused(_dialect: str) -> Steps[None]:
        yield write(2)
        raise ValueError("refused after writing")

    async def test(transactions: LoopTransactions) -> None:
        pid = await backend_pid(transactions)
        await transactions.run(steps_of(write(1)))
        with pytest.raises(ValueError, match="refused after writing"):
            await transactions.run(refused)
        # Timestamps come back aware, as the UtcDateTime column gives them through SQLAlchemy.
        assert await read(transactions, 1) == [("kept", MOMENT)]
        assert await read(transactions, 2) == []
        assert await backend_pid(transactions) == pid  # the work's own error: connection kept

    with_transactions(engine, test)


def test_a_step_that_needs_a_session_leaves_nothing_and_says_so(engine: Engine) -> None:
    async def test(transactions: LoopTransactions) -> None:
        with pytest.raises(NeedsSessionError):
            await transactions.run(steps_of(write(7), InSession(lambda _session: None)))
        assert await read(transactions, 7) == []

    with_transactions(engine, test)


def test_a_connection_dropped_while_idle_is_replaced_and_the_work_runs_again(
    engine: Engine,
) -> None:
    async def test(transactions: LoopTransactions) -> None:
        dropped = await backend_pid(transactions)
        terminate(dropped)
        await asyncio.sleep(0.2)  # the server closes the connection's socket
        await transactions.run(steps_of(write(3)))
        assert await read(transactions, 3) == [("kept", MOMENT)]
        assert await backend_pid(transactions) != dropped

    with_transactions(engine, test)


def test_a_row_lock_held_elsewhere_gives_the_connection_back_soon(engine: Engine) -> None:
    with engine.begin() as setup:
        setup.execute(WRITE, {"id": 4, "body": "locked", "written_at": MOMENT})
    locking_write = steps_of(Rows(LOCK, {"id": 4}), write(5))

    async def test(transactions: LoopTransactions) -> None:
        holder = engine.raw_connection()
        try:
            holder.cursor().execute("SELECT id FROM note WHERE id = 4 FOR UPDATE")
            with pytest.raises(RowLockBusyError):
                await transactions.run(locking_write)
        finally:
            holder.rollback()
            holder.close()
        assert await read(transactions, 5) == []  # nothing written
        await transactions.run(locking_write)  # the lock let go, the same work goes through
        assert await read(transactions, 5) == [("kept", MOMENT)]

    with_transactions(engine, test)


def test_a_cancelled_transaction_leaves_nothing_and_its_connection_is_closed(
    engine: Engine,
) -> None:
    async def test(transactions: LoopTransactions) -> None:
        pid = await backend_pid(transactions)
        slow = steps_of(write(6), Rows(SLEEP, {}))
        task = asyncio.create_task(transactions.run(slow))
        await asyncio.sleep(0.5)  # the write is made and the sleep begun
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await read(transactions, 6) == []
        assert await backend_pid(transactions) != pid

    with_transactions(engine, test)
