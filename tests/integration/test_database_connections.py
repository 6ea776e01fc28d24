"""PostgreSQL connections in the pool: one that sat idle is checked before a request gets it,
so a database restarted in a quiet hour costs no request; one in steady use is not checked
(that round trip would cost every request). The kill is pg_terminate_backend on the test's
own database, which is what a restart does to every pooled connection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from app.persistence import engine as database
from app.persistence.engine import make_engine
from tests.integration.databases import POSTGRES_ADMIN_DSN, fresh_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with fresh_database("postgresql", tmp_path) as url:
        made = make_engine(url)
        yield made
        made.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(pid: int) -> None:
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_an_idle_connection_that_died_is_replaced_before_use(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 0.0)  # every pooled connection is idle
    killed = backend_pid(engine)
    terminate(killed)

    assert backend_pid(engine) != killed  # no error: the ping found it dead, a new one served


def test_a_connection_in_steady_use_is_not_pinged(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the bargain: without the idle check the dead connection reaches the
    request, which fails (503 in the API); the pool then replaces it for the next one."""
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 3600.0)
    killed = backend_pid(engine)
    terminate(killed)

    with pytest.raises(OperationalError):
        backend_pid(engine)
    assert backend_pid(engine) != killed
