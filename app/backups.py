"""Back up and restore the whole database: SQLite through its online backup API, PostgreSQL
through pg_dump / pg_restore (custom format). A backup file says what it holds by its first
bytes, so a SQLite backup is never fed to PostgreSQL or the other way round."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

__all__ = ["BackupError", "backup_database", "restore_database"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the CLI."""


def backup_database(database_url: str, target: Path) -> None:
    """Write a consistent copy of the database to `target` while the service keeps running.
    The copy is written beside `target` and renamed into place only once complete."""
    url = make_url(database_url)
    partial = target.with_name(f".{target.name}.partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial)
        else:
            _run_postgres_tool(
                url, ["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)]
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore_database(database_url: str, source: Path) -> None:
    """Replace everything in the database with the backup in `source`, in one transaction:
    a restore that fails leaves the database as it was."""
    url = make_url(database_url)
    kind = _backup_kind(source)
    backend = url.get_backend_name()
    if kind != backend:
        raise BackupError(
            f"{source} is a {BACKENDS[kind]} backup; the database is {BACKENDS[backend]}"
        )
    if backend == "sqlite":
        _sqlite_copy(source, _sqlite_path(url))
    else:
        _run_postgres_tool(
            url,
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(source),
            ],
        )


def _backup_kind(source: Path) -> str:
    try:
        with source.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"no backup file at {source}") from None
    except IsADirectoryError:
        raise BackupError(f"{source} is a folder, not a backup file") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{source} is not an OpsMaturity backup (neither SQLite nor pg_dump)")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy with SQLite's backup API in one step: one read snapshot of the source, however
    busy its writers (a step-wise copy restarts whenever another process writes), applied to
    the target as one write transaction, its WAL included."""
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target, timeout=30)
    try:
        check = reader.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise BackupError(f"{source} is damaged: {check[0] if check else 'unreadable'}")
        reader.backup(writer)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source}: {error}") from None
    finally:
        writer.close()
        reader.close()


def _run_postgres_tool(url: URL, command: list[str]) -> None:
    """Run pg_dump or pg_restore against the database of `url`. The password travels in the
    environment, never on the command line where `ps` would show it."""
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    connection = url.set(drivername="postgresql", password=None)
    dsn = connection.render_as_string(hide_password=False)
    finished = subprocess.run(  # noqa: S603 - fixed tool, arguments passed as a list
        [*command, "--dbname", dsn],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        lines = [line for line in finished.stderr.splitlines() if line.strip()]
        raise BackupError(f"{command[0]} failed: {lines[-1] if lines else finished.returncode}")
