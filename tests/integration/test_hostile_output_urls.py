"""File names and URLs from users cannot be abused: a path in a name or an id never reaches
outside its folder, the server never fetches a URL that a user typed (a webhook's host name is
only looked up when it is saved), and webhook URLs that spell a private address in any form
are refused when saved. On both databases."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import main
from app.services import webhook_addresses
from tests.conftest import REPO_ROOT
from tests.integration.conftest import Workspace
from tests.integration.flow import FULL_ANSWERS, add_respondents, create_assessment, expect
from tests.integration.hostile_world import HostileWorld, build_hostile_world
from tests.integration.live_server import LiveServer

# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def world(server: LiveServer) -> Iterator[HostileWorld]:
    built = build_hostile_world(server)
    yield built
    built.close()


class _Tracker:
    """A loopback HTTP server that records every request of any method."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                tracker.requests.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG)

            def do_GET(self) -> None:
                self._record()

            def do_POST(self) -> None:
                self._record()

            def do_HEAD(self) -> None:
                self._record()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tracker() -> Iterator[_Tracker]:
    running = _Tracker()
    yield running
    running.close()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/questionnaires/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/v1/questionnaires/%2e%2e",
        "/api/v1/questionnaires/example?version=..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/v1/questionnaires/example?version=..",
        "/api/v1/questionnaires/..%5C..%5Cpyproject.toml",
    ],
)
def test_questionnaire_ids_and_versions_are_never_paths(workspace: Workspace, path: str) -> None:
    response = workspace.api.get(path)
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "root:" not in response.text and "[project]" not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2F..%2F..%2Fpyproject.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2Fsettings.py",
        "/static/%2e%2e%2f%2e%2e%2fsettings.py",
        "/static/..%5C..%5Csettings.py",
    ],
)
def test_static_files_stay_in_their_folder(server: LiveServer, path: str) -> None:
    # httpx would tidy `..` away: the raw path goes out as written.
    with httpx.Client(base_url=server.url, timeout=30) as client:
        response = client.send(client.build_request("GET", httpx.URL(server.url, path=path)))
        raw = client.get(server.url + path)
    for answer in (response, raw):
        assert answer.status_code in (400, 404), (path, answer.status_code)
        assert "[project]" not in answer.text and "BaseSettings" not in answer.text


def test_a_logo_file_name_is_never_used_as_a_path(world: HostileWorld, tmp_path: Path) -> None:
    target = Path("/tmp") / f"opsmaturity-logo-{uuid.uuid4().hex}.png"
    names = [
        f"../../../../../..{target}",
        str(target),
        "..\\..\\logo.png",
        '"\r\nX-Injected: 1.png',
    ]
    for name in names:
        saved = world.post(
            "/console/settings/branding",
            {"name": world.texts["firm"], "brand_colour": "#1f4e79"},
            files={"logo": (name, PNG, "image/png")},
        )
        assert saved.status_code == 303, saved.text[:300]
    assert not target.exists()
    assert not (REPO_ROOT / "logo.png").exists()
    page = world.browser.get("/console/settings").text
    assert 'src="data:image/png;base64,' in page and "X-Injected" not in page


def test_report_variants_are_names_from_a_fixed_list(world: HostileWorld) -> None:
    for variant in ("../../../etc/passwd", "team/../../base", "%2e%2e%2fbase"):
        response = world.api.get(
            f"/api/v1/assessments/{world.assessment_id}/report.html", params={"variant": variant}
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"


def test_an_answers_file_naming_a_path_as_its_questionnaire_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for questionnaire in ("../../../etc/passwd", "/etc/passwd", "..", "example/../example"):
        answers = tmp_path / "answers.yaml"
        answers.write_text(
            f'questionnaire: "{questionnaire}"\nrespondents:\n  - id: a\n    answers: {{}}\n'
        )
        assert main(["score", str(answers)]) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "Traceback" not in err, err
        assert "root:" not in err


def test_the_server_never_fetches_a_url_from_user_text(
    workspace: Workspace, tracker: _Tracker
) -> None:
    bait = (
        f'<img src="{tracker.url}/img.png"><link rel="stylesheet" href="{tracker.url}/a.css">'
        f'<style>@import "{tracker.url}/b.css";</style>'
    )
    api = workspace.api
    client = expect(api.post("/api/v1/clients", json={"name": f"Bait {bait}"[:200]}), 201)
    aid = create_assessment(api, client["id"], title=f"Bait {bait}"[:200])["id"]
    people = add_respondents(api, aid, "manager", "manager", "manager")
    for person in people:
        answers = {**FULL_ANSWERS, "improvement_idea": f"url({tracker.url}/c.png) {bait}"}
        path = f"/api/v1/assessments/{aid}/respondents/{person['id']}/answers"
        expect(api.post(path, json={"answers": answers, "submit": True}), 200)
    for path in ("report.pdf", "report.html", "results", "results.csv"):
        assert api.get(f"/api/v1/assessments/{aid}/{path}").status_code == 200, path
    expect(api.post(f"/api/v1/assessments/{aid}/close"), 200)
    refused = api.post(
        "/api/v1/webhook-endpoints",
        json={"url": f"{tracker.url}/hook", "event_types": ["report.ready"]},
    )
    assert refused.status_code == 422
    assert tracker.requests == []


def test_saving_a_webhook_only_looks_its_name_up(
    workspace: Workspace, tracker: _Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name is resolved (to the tracker's loopback address here) and refused; nothing
    connects to it."""
    asked: list[str] = []

    def lookup(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(webhook_addresses, "host_lookup", lookup)
    port = tracker.url.rsplit(":", 1)[1]
    refused = workspace.api.post(
        "/api/v1/webhook-endpoints",
        json={"url": f"http://tracker-alias.example:{port}/hook", "event_types": ["report.ready"]},
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "url"
    assert asked == ["tracker-alias.example"]
    assert tracker.requests == []


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",  # 127.0.0.1 as one decimal number
        "0x7f000001",  # ... as hex
        "017700000001",  # ... as octal
        "0177.0.0.1",  # octal first part
        "0x7f.0.0.1",
        "127.1",  # short form
        "0",  # 0.0.0.0
        "167772161",  # 10.0.0.1
        "2852039166",  # 169.254.169.254, the cloud metadata address
        "[::ffff:7f00:1]",  # IPv4-mapped IPv6 in hex
        "[::ffff:169.254.169.254]",
        "[::]",
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "localhost.",
        "app.localhost",
    ],
)
def test_webhook_urls_spelling_a_private_address_are_refused_when_saved(
    workspace: Workspace, host: str
) -> None:
    refused = workspace.api.post(
        "/api/v1/webhook-endpoints",
        json={"url": f"http://{host}:8080/hook", "event_types": ["report.ready"]},
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"].startswith("url"), refused.text


def test_webhook_urls_other_than_http_are_refused(workspace: Workspace) -> None:
    for url in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "data:text/html,<script>alert(1)</script>",
        "//hooks.example.com/x",
    ):
        refused = workspace.api.post(
            "/api/v1/webhook-endpoints", json={"url": url, "event_types": ["report.ready"]}
        )
        assert refused.status_code == 422, url
