"""Workers that start together on an empty database, as `uvicorn --factory --workers N` starts
them: each migrates and offers to create the demo workspace at once. All of them start, the
schema is migrated once, and exactly one demo workspace is created and announced. On SQLite
and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.persistence.engine import make_engine
from tests.conftest import REPO_ROOT
from tests.integration.databases import fresh_database

WORKERS = 3
# What each worker's lifespan does before it serves: app.main.prepare_database.
WORKER_START = "from app.main import prepare_database; from app.settings import Settings; prepare_database(Settings())"


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_workers_starting_together_migrate_once_and_create_one_demo(
    backend: str, tmp_path: Path
) -> None:
    with fresh_database(backend, tmp_path) as database_url:
        environment = {
            **os.environ,
            "OPSMATURITY_DATABASE_URL": database_url,
            "OPSMATURITY_ENVIRONMENT": "test",
            "OPSMATURITY_DEMO_WORKSPACE": "true",
        }
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER_START],
                cwd=REPO_ROOT,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(WORKERS)
        ]
        outputs = [worker.communicate(timeout=300) for worker in workers]
        for worker, (_, errors) in zip(workers, outputs, strict=True):
            assert worker.returncode == 0, errors
        announcements = sum(out.count("A demo workspace was created") for out, _ in outputs)
        assert announcements == 1
        engine = make_engine(database_url)
        try:
            with engine.connect() as connection:
                workspaces = connection.execute(text("SELECT count(*) FROM workspace")).scalar()
                versions = connection.execute(text("SELECT count(*) FROM alembic_version")).scalar()
        finally:
            engine.dispose()
        assert workspaces == 1
        assert versions == 1
