"""docs/webhooks.md runs: its endpoint setup, its receiver (as a process of its own, sent real
webhooks by a live server) and its polling loop; and its field list is what the API sends."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.integration.conftest import Workspace, new_workspace
from tests.integration.databases import fresh_database
from tests.integration.flow import add_respondents, create_assessment, create_client, expect
from tests.integration.live_server import LiveServer, running_server
from tests.integration.webhook_receiver import fast_webhook_settings, submit_everyone, wait_until

GUIDE = REPO_ROOT / "docs" / "webhooks.md"


def guide_program(name: str) -> str:
    """The guide's python block whose first line is `# <name>: …`."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    (block,) = [b for b in blocks if b.startswith(f"# {name}:")]
    return block


@pytest.fixture
def workspace_api(guide_server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(guide_server)
    yield created
    created.api.close()


@pytest.fixture(scope="module")
def guide_server(
    backend: str, questionnaires_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(f"guide-{backend}")
    with (
        fresh_database(backend, folder) as url,
        running_server(fast_webhook_settings(url, questionnaires_dir)) as live,
    ):
        yield live


def run_program(source: str, folder: Path, environment: dict[str, str]) -> str:
    path = folder / "program.py"
    path.write_text(source, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, str(path)],
        env={"PATH": os.environ.get("PATH", ""), **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunningProgram:
    """A program in a process of its own, its output collected line by line."""

    def __init__(self, source: str, folder: Path, environment: dict[str, str]) -> None:
        path = folder / "receiver.py"
        path.write_text(source, encoding="utf-8")
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, str(path)],
            env={"PATH": os.environ.get("PATH", ""), **environment},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the receiver stopped"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the receiver did not start")


def test_the_guide_runs(guide_server: LiveServer, workspace_api: Workspace, tmp_path: Path) -> None:
    workspace = workspace_api
    api = workspace.api
    client = create_client(api, external_ref="crm-42")
    aid = create_assessment(api, client["id"])["id"]
    people = add_respondents(api, aid, "manager", "executive")
    started = expect(api.get(f"/api/v1/assessments/{aid}"), 200)["created_at"]
    access = {"OPSMATURITY_URL": guide_server.url, "OPSMATURITY_API_KEY": workspace.api_key}

    port = free_port()
    created = run_program(
        guide_program("create_endpoint.py"),
        tmp_path,
        {**access, "RECEIVER_URL": f"http://127.0.0.1:{port}/opsmaturity"},
    )
    endpoint_id, secret = created.split()
    assert endpoint_id.startswith("whe_") and secret.startswith("whsec_")

    receiver = RunningProgram(
        guide_program("receiver.py"),
        tmp_path,
        {"OPSMATURITY_WEBHOOK_SECRET": secret, "PORT": str(port)},
    )
    try:
        wait_for_port(port, receiver.process)
        forged = httpx.post(  # a fresh connection, closed at once
            f"http://127.0.0.1:{port}/opsmaturity",
            content=b'{"type":"assessment.scored"}',
            headers={"webhook-id": "msg_x", "webhook-timestamp": "1", "webhook-signature": "v1,x"},
        )
        assert forged.status_code == 401

        submit_everyone(api, aid, people)
        flat = expect(api.get(f"/api/v1/assessments/{aid}/results?format=flat"), 200)
        expected = (
            f"update crm-42 "
            f'{{"ops_maturity_score": {flat["opsmaturity_overall_score"]}, '
            f'"ops_maturity_stage": "{flat["opsmaturity_overall_stage_name"]}", '
            f'"ops_next_step": "{flat["opsmaturity_top_recommendation"]}"}}'
        )

        # Two scorings and the completion; both respondents gave the same answers, so the
        # results, and the CRM update, are the same whatever order the events arrive in.
        def three_updates() -> list[str] | None:
            updates = [line for line in receiver.lines if line.startswith("update ")]
            return updates if len(updates) >= 3 else None

        updates = wait_until(three_updates)
        assert set(updates) == {expected}, receiver.lines
    finally:
        receiver.stop()
    log = expect(api.get(f"/api/v1/webhook-endpoints/{endpoint_id}/deliveries"), 200)["items"]
    assert {d["event_type"] for d in log} == {"assessment.scored", "assessment.completed"}

    synced = run_program(guide_program("sync.py"), tmp_path, {**access, "SINCE": started})
    assert synced.split()[0] == aid and synced.split()[2] == flat["opsmaturity_overall_stage"]


def test_the_guide_lists_the_fields_the_api_sends(workspace_api: Workspace) -> None:
    api = workspace_api.api
    aid = create_assessment(api, targets={"overall": "strong"})["id"]
    submit_everyone(api, aid, add_respondents(api, aid, "manager"))
    sent = set(expect(api.get(f"/api/v1/assessments/{aid}/results?format=flat"), 200))
    documented = set(re.findall(r"^\| `(opsmaturity_[\w<>]+)`", GUIDE.read_text(), re.MULTILINE))
    dimensions = {"delivery", "tooling", "rhythm"}
    expanded = {
        name.replace("<dimension>", dimension).replace("<subject>", dimension)
        for name in documented
        for dimension in (dimensions | {"overall"})
    }
    assert sent <= expanded, sent - expanded
    plain = {name for name in documented if "<" not in name}
    assert plain <= sent, plain - sent
