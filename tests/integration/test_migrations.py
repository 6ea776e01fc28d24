"""Migrations upgrade, downgrade and upgrade again on both databases, and `alembic check`
finds nothing the models have that the migrations lack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from app.cli import main as opsmaturity
from app.database import make_engine
from app.migrations.runner import check_schema, downgrade_schema, upgrade_schema
from app.models import metadata
from tests.conftest import REPO_ROOT
from tests.integration.databases import fresh_database


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> object:
    with fresh_database(backend, tmp_path) as url:
        yield url


def test_upgrade_downgrade_upgrade_and_check(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade_schema(engine)
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
        check_schema(engine)
        downgrade_schema(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade_schema(engine)
        check_schema(engine)
        upgrade_schema(engine)  # at head already: nothing to do
    finally:
        engine.dispose()


def test_db_commands(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    monkeypatch.delenv("OPSMATURITY_DATABASE_URL", raising=False)
    assert opsmaturity(["db", "upgrade"]) == 0
    assert opsmaturity(["db", "check"]) == 0
    assert opsmaturity(["db", "downgrade", "base"]) == 0
    assert opsmaturity(["db", "upgrade"]) == 0
    assert "database at head" in capsys.readouterr().out


def test_the_alembic_command_finds_its_configuration_from_the_repository_root(
    empty_database_url: str,
) -> None:
    environment = {"DATABASE_URL": empty_database_url, "PATH": str(Path(sys.executable).parent)}
    alembic = str(Path(sys.executable).parent / "alembic")
    for arguments in (
        ["upgrade", "head"],
        ["check"],
        ["downgrade", "base"],
        ["upgrade", "head"],
        ["check"],
    ):
        completed = subprocess.run(
            [alembic, *arguments],
            cwd=REPO_ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr


def test_migration_files_are_date_named_and_reversible() -> None:
    versions = REPO_ROOT / "app" / "migrations" / "versions"
    files = sorted(p for p in versions.glob("*.py") if p.name != "__init__.py")
    assert files
    for path in files:
        text = path.read_text()
        assert path.name[:8].isdigit() and path.name[8] == "_", path.name
        assert "def downgrade() -> None:" in text
        assert "def downgrade() -> None:\n    pass" not in text, f"{path.name} cannot be undone"
