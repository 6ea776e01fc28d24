"""The unit of work: one session, one transaction, committed or rolled back here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlmodel import Session

__all__ = ["unit_of_work"]


def _take_sqlite_write_lock(_session: Any, _transaction: Any, connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def unit_of_work(engine: Engine, *, writes: bool = False) -> Iterator[Session]:
    """Yield a session; commit when the block ends normally, roll back when it raises.

    On SQLite a transaction that reads and then writes can fail at once with "database is
    locked" when another writer committed in between (busy_timeout cannot help it), so a
    transaction that will write takes the write lock with BEGIN IMMEDIATE as it begins.
    """
    with Session(engine, expire_on_commit=False) as session:
        if writes and engine.dialect.name == "sqlite":
            event.listen(session, "after_begin", _take_sqlite_write_lock)
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()
