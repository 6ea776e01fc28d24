"""A short unit of work written as steps, so that one piece of code runs on any connection.

The hottest write, a respondent's answer save, is a locking read, a decision and one or two
statements. Written as a generator that yields its statements and receives their rows, the
same code runs in a SQLAlchemy session (in a database thread, or inline on the event loop on
SQLite) and on an asyncio connection of psycopg (PostgreSQL): `app/persistence/database.py`
picks the connection, and the service never knows which. A step that needs the full session
(ORM objects, the webhook outbox, the audit log) yields `InSession`: where there is no
session, the attempt is rolled back and the whole work runs again in a database thread.

    def work(dialect: str) -> Steps[int]:
        rows = yield Rows(SELECT_STATEMENT, {"id": some_id})
        yield Execute(UPDATE_STATEMENT, {"id": some_id})
        return len(rows)
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.sql import Executable
from sqlmodel import Session

__all__ = [
    "SESSION_NEEDED",
    "Execute",
    "Finished",
    "InSession",
    "Row",
    "Rows",
    "Step",
    "StepWork",
    "Steps",
    "next_step",
    "run_in_session",
]

T = TypeVar("T")
Row = Sequence[Any]


@dataclass(frozen=True, slots=True)
class Rows:
    """Run `statement` with `values`; the step receives its rows, as tuples."""

    statement: Executable
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Execute:
    """Run `statement` once per mapping in `values` (one mapping: once); receives None."""

    statement: Executable
    values: Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class InSession(Generic[T]):
    """Call `work` with the unit of work's session; the step receives what it returns."""

    work: Callable[[Session], T]


# Yielded as soon as work knows it will need a session: where there is none, it gives up
# before writing anything (the session's drivers take it as a step that does nothing).
SESSION_NEEDED: InSession[None] = InSession(lambda _session: None)

Step = Rows | Execute | InSession[Any]
Steps = Generator[Step, Any, T]
# Given the database's dialect name ("sqlite", "postgresql"), the steps of one unit of work.
StepWork = Callable[[str], Steps[T]]


@dataclass(frozen=True, slots=True)
class Finished(Generic[T]):
    """The work's last step is done: here is what it returned."""

    result: T


def next_step(steps: Steps[T], reply: Any) -> Step | Finished[T]:
    """Hand `reply` (what the last step received) to the work: its next step, or its result."""
    try:
        return steps.send(reply)
    except StopIteration as finished:
        return Finished(finished.value)


def run_in_session(session: Session, work: StepWork[T]) -> T:
    """Run every step of `work` in `session`'s transaction."""
    connection = session.connection()
    steps = work(connection.dialect.name)
    reply: Any = None
    while True:
        step = next_step(steps, reply)
        if isinstance(step, Finished):
            return step.result
        if isinstance(step, Rows):
            reply = [tuple(row) for row in connection.execute(step.statement, dict(step.values))]
        elif isinstance(step, Execute):
            values = [dict(each) for each in step.values]
            connection.execute(step.statement, values[0] if len(values) == 1 else values)
            reply = None
        else:
            reply = step.work(session)
