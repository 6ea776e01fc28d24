"""Fresh databases for tests: a temp SQLite file, or a PostgreSQL database made for the run.

PostgreSQL runs on 127.0.0.1:5432 (trust auth, user postgres). When it is unreachable the
PostgreSQL tests are skipped locally, but fail under CI=true: a skipped database is not a
tested one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

__all__ = ["POSTGRES_ADMIN_DSN", "fresh_database", "require_postgres"]

POSTGRES_ADMIN_DSN = os.environ.get(
    "OPSMATURITY_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgres_problem() -> str | None:
    try:
        with psycopg.connect(POSTGRES_ADMIN_DSN, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES_ADMIN_DSN} unreachable: {error}".strip()


def require_postgres() -> None:
    problem = _postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run, not skip)")
    pytest.skip(problem)


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """Yield the SQLAlchemy URL of an empty database; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'opsmaturity-{secrets.token_hex(4)}.db'}"
        return
    require_postgres()
    name = f"opsmaturity_test_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
