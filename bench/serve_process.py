"""`opsmaturity serve --workers N` in a process group of its own, on a loopback port: started,
killed with SIGKILL (the supervisor, its workers and their report processes at once) and
started again on the same database, as a crash and a restart would."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

__all__ = ["ServeProcess", "free_port"]

REPO_ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServeProcess:
    def __init__(
        self,
        *,
        database_url: str,
        questionnaires_dir: Path,
        workers: int,
        log_path: Path,
        extra_environment: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        self.environment = {
            **os.environ,
            "OPSMATURITY_DATABASE_URL": database_url,
            "OPSMATURITY_QUESTIONNAIRES_DIR": str(questionnaires_dir),
            "OPSMATURITY_ENVIRONMENT": "test",
            "OPSMATURITY_BASE_URL": f"http://127.0.0.1:{self.port}",
            **(extra_environment or {}),
        }
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def command(self) -> list[str]:
        return [
            str(Path(sys.executable).with_name("opsmaturity")),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]

    def start(self) -> None:
        """Start and wait until /readyz answers 200."""
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            self.command,
            cwd=REPO_ROOT,
            env=self.environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as one
        )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self.ready():
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {self._process.returncode}; see {self.log_path}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the server was not ready in {READY_TIMEOUT_S:g} s; see {self.log_path}"
                )
            time.sleep(0.2)

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/readyz", timeout=2
            ) as answer:
                return bool(answer.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def kill(self) -> None:
        """SIGKILL to the whole process group: nothing gets to shut down cleanly."""
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        self._await_group_gone(self._process.pid)
        self._process = None
        self._close_log()

    def stop(self) -> None:
        """SIGTERM to the supervisor (it stops its workers); SIGKILL to the group if it hangs."""
        if self._process is None:
            return
        self._process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=STOP_TIMEOUT_S)
        self.kill()

    def _await_group_gone(self, group: int) -> None:
        """Until no live process is left in the group (zombies hold no port and no file)."""
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while _live_members(group) and time.monotonic() < deadline:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


def _live_members(group: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members
