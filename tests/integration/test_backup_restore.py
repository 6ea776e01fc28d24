"""docs/deployment.md's backup and restore commands, run as written on both databases: a
backup taken from a serving database restores what it held, in place and into a new
database, and a bad restore changes nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.settings import Settings
from tests.conftest import REPO_ROOT
from tests.integration.conftest import new_workspace
from tests.integration.databases import fresh_database
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)
from tests.integration.live_server import running_server

GUIDE = REPO_ROOT / "docs" / "deployment.md"
OPSMATURITY = Path(sys.executable).with_name("opsmaturity")


def guide_command(word: str) -> str:
    """The guide's bash block that runs `opsmaturity db <word>`."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    (block,) = [b for b in blocks if f"opsmaturity db {word} " in b]
    return block


def run_guide(word: str, database_url: str, folder: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "OPSMATURITY_DATABASE_URL": database_url,
        "PATH": f"{OPSMATURITY.parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", guide_command(word)],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_for(database_url: str, questionnaires_dir: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        questionnaires_dir=questionnaires_dir,
        base_url="https://opsmaturity.test",
    )


def snapshot(api: Any, assessment_id: str) -> dict[str, Any]:
    return {
        "clients": sorted(c["name"] for c in expect(api.get("/api/v1/clients"), 200)["items"]),
        "results": expect(api.get(f"/api/v1/assessments/{assessment_id}/results"), 200),
    }


def test_a_backup_restores_in_place_and_into_a_new_database(
    backend: str, questionnaires_dir: Path, tmp_path: Path
) -> None:
    with fresh_database(backend, tmp_path) as source_url:
        with running_server(settings_for(source_url, questionnaires_dir)) as live:
            workspace = new_workspace(live)
            api = workspace.api
            assessment = create_assessment(api)
            for person in add_respondents(api, assessment["id"], "executive", "manager"):
                expect(
                    save_answers(api, assessment["id"], person["id"], FULL_ANSWERS, submit=True),
                    200,
                )
            before = snapshot(api, assessment["id"])

            backed_up = run_guide("backup", source_url, tmp_path)
            assert backed_up.returncode == 0, backed_up.stderr
            (backup_file,) = (tmp_path / "backups").glob("*.backup")

            create_client(api, name="Added after the backup")
            assert snapshot(api, assessment["id"]) != before

        restored = run_guide("restore", source_url, tmp_path)
        assert restored.returncode == 0, restored.stderr
        with running_server(settings_for(source_url, questionnaires_dir)) as live:
            workspace.api.base_url = live.url
            assert snapshot(workspace.api, assessment["id"]) == before

        with fresh_database(backend, tmp_path / "recovery") as recovery_url:
            restored = run_guide("restore", recovery_url, tmp_path)
            assert restored.returncode == 0, restored.stderr
            with running_server(settings_for(recovery_url, questionnaires_dir)) as live:
                workspace.api.base_url = live.url
                assert snapshot(workspace.api, assessment["id"]) == before
        workspace.api.close()
        assert backup_file.is_file()


@pytest.mark.parametrize(
    ("content", "arguments", "message"),
    [
        (None, ["--yes"], "no backup file at"),
        (b"not a backup", ["--yes"], "is not an OpsMaturity backup"),
        (b"SQLite format 3\x00" + b"\x00" * 200, [], "add --yes"),
    ],
    ids=["missing", "not-a-backup", "unconfirmed"],
)
def test_a_refused_restore_says_why_in_one_line_and_changes_nothing(
    content: bytes | None, arguments: list[str], message: str, tmp_path: Path
) -> None:
    database = tmp_path / "live.db"
    url = f"sqlite:///{database}"
    environment = {**os.environ, "OPSMATURITY_DATABASE_URL": url}
    run = [str(OPSMATURITY), "db"]
    subprocess.run([*run, "upgrade"], env=environment, check=True, capture_output=True)
    before = database.read_bytes()
    backup = tmp_path / "given.backup"
    if content is not None:
        backup.write_bytes(content)

    refused = subprocess.run(
        [*run, "restore", str(backup), *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert refused.returncode != 0
    assert message in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert database.read_bytes() == before


@pytest.mark.postgres
def test_a_sqlite_backup_is_refused_by_postgresql(tmp_path: Path) -> None:
    sqlite_backup = tmp_path / "sqlite.backup"
    sqlite_backup.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with fresh_database("postgresql", tmp_path) as url:
        refused = subprocess.run(
            [str(OPSMATURITY), "db", "restore", str(sqlite_backup), "--yes"],
            env={**os.environ, "OPSMATURITY_DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
    assert refused.returncode == 1
    assert "is a SQLite backup; the database is PostgreSQL" in refused.stderr
