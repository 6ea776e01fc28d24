"""A private PostgreSQL server in a temporary folder, for fault tests that stop and start it.

The machine's shared server on 5432 is never touched: this one is made with initdb and run
with pg_ctl from /usr/lib/postgresql/*/bin (or PATH) on a free loopback port, trust auth,
its socket in its own folder. As root, the folder belongs to `postgres` and the tools run
under `runuser -u postgres --`, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = [
    "PrivatePostgres",
    "PrivatePostgresUnavailableError",
    "find_postgres_bin",
    "private_postgres",
]

START_TIMEOUT_S = 60


class PrivatePostgresUnavailableError(RuntimeError):
    """The PostgreSQL server binaries (initdb, pg_ctl) are not on this machine."""


def find_postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: the newest under /usr/lib/postgresql, or PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivatePostgres:
    """A cluster in `folder`; `stop_immediately()` and `start()` simulate a database crash."""

    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = folder
        self.data_dir = folder / "data"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *arguments: str) -> None:
        command = [str(self.bin_dir / tool), *arguments]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120
        )

    def init(self) -> None:
        if self._as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            "initdb",
            "--pgdata",
            str(self.data_dir),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c max_connections=200 "
            "-c shared_buffers=32MB -c fsync=on"
        )
        self._run(
            "pg_ctl",
            "start",
            "--pgdata",
            str(self.data_dir),
            "--wait",
            "--timeout",
            str(START_TIMEOUT_S),
            "--log",
            str(self.folder / "server.log"),
            "-o",
            options,
        )
        self._wait_until_accepting()

    def stop_immediately(self) -> None:
        """Stop without a shutdown checkpoint, as a crash would: connections drop at once."""
        self._run("pg_ctl", "stop", "--pgdata", str(self.data_dir), "--mode", "immediate")

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "--pgdata", str(self.data_dir), "--mode", "fast")

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_dsn, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')

    def _wait_until_accepting(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with psycopg.connect(self.admin_dsn, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running private server, stopped and deleted afterwards whatever happens."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        raise PrivatePostgresUnavailableError(
            "initdb and pg_ctl not found (install the postgresql package)"
        )
    folder = Path(tempfile.mkdtemp(prefix="opsmaturity-pg-"))
    server = PrivatePostgres(bin_dir, folder)
    try:
        server.init()
        server.start()
        yield server
    finally:
        if (server.data_dir / "postmaster.pid").exists():
            with suppress(subprocess.SubprocessError):
                server.stop_immediately()
        shutil.rmtree(folder, ignore_errors=True)
