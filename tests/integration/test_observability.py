"""Logs, request ids and metrics through a live server, on SQLite and PostgreSQL, and
`opsmaturity serve` itself in production: JSON log lines from two workers, and /metrics adding
up both workers' counts behind its token."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.models import utc_now
from app.observability.json_logs import JsonFormatter
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from tests.integration.conftest import Workspace
from tests.integration.databases import fresh_database
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer, running_server
from tests.integration.test_security_headers import add_failing_routes
from tests.integration.webhook_receiver import (
    WebhookReceiver,
    create_endpoint,
    fast_webhook_settings,
    receiving,
    wait_until,
)

PASSWORD = "observed password 1234"
HEX_ID = re.compile(r"[0-9a-f]{32}")
FIRM = "Zanzibar Observed Advisory"


@pytest.fixture(scope="module")
def observed(
    backend: str, questionnaires_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(f"observed-{backend}")
    with fresh_database(backend, folder) as url:
        settings = fast_webhook_settings(
            url, questionnaires_dir, rate_limits=False, secure_cookies=False
        )
        with running_server(settings) as live:
            add_failing_routes(live)
            yield live


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with receiving() as running:
        yield running


class Captured(logging.Handler):
    """Every server-side line as the JSON formatter writes it (the test's own HTTP client's
    lines left out)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(("httpx", "httpcore")):
            self.lines.append(self.format(record))

    def parsed(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def captured() -> Iterator[Captured]:
    handler = Captured()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def owned_workspace(server: LiveServer, email: str) -> Workspace:
    now = utc_now()
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name=FIRM,
            owner_email=email,
            owner_name="Olive Owner",
            owner_password=PASSWORD,
            now=now,
        )
        _, key = admin.create_api_key(
            session=session, workspace_id=workspace.id, name="observed", now=now
        )
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    return Workspace(workspace.id, key, api, server)


@pytest.fixture
def owned(observed: LiveServer) -> Iterator[tuple[Workspace, str]]:
    """A workspace named FIRM whose owner signs in with PASSWORD; and the owner's email."""
    email = f"olive-{time.time_ns()}@example.org"
    created = owned_workspace(observed, email)
    yield created, email
    created.api.close()


def metric_samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def sample(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_request_ids_are_kept_when_sane_and_made_otherwise(observed: LiveServer) -> None:
    with httpx.Client(base_url=observed.url) as client:
        kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:01.2_x"})
        too_long = client.get("/healthz", headers={"X-Request-ID": "a" * 129})
        odd = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
        none = client.get("/healthz")
    assert kept.headers["x-request-id"] == "lb-7f3a:01.2_x"
    for answer in (too_long, odd, none):
        assert HEX_ID.fullmatch(answer.headers["x-request-id"])
    assert none.headers["x-request-id"] != too_long.headers["x-request-id"]


def test_log_lines_are_json_with_request_ids_and_no_secrets(
    observed: LiveServer, captured: Captured, owned: tuple[Workspace, str]
) -> None:
    workspace, email = owned
    api = workspace.api
    assessment = create_assessment(api)
    [person] = add_respondents(api, assessment["id"], "manager")
    token = person["invite_token"]
    saved = save_answers(api, assessment["id"], person["id"], FULL_ANSWERS, token=token)
    expect(saved, 200)
    with httpx.Client(base_url=observed.url, timeout=30) as browser:
        invite_page = browser.get(f"/r/{token}")
        login_page = browser.get("/console/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text)
        assert csrf is not None
        signed_in = browser.post(
            "/console/login",
            data={"csrf_token": csrf.group(1), "email": email, "password": PASSWORD},
        )
        console = browser.get("/console")
        failure = browser.get("/api/v1/failing", headers={"X-Request-ID": "trace-500"})
    assert invite_page.status_code == 200
    assert signed_in.status_code == 303
    assert console.status_code == 200
    assert failure.status_code == 500
    problem = failure.json()
    assert problem["request_id"] == failure.headers["x-request-id"] == "trace-500"

    lines = captured.parsed()
    access = {line["request_id"]: line for line in lines if line["logger"] == "opsmaturity.access"}
    invite_line = access[invite_page.headers["x-request-id"]]
    assert invite_line["path"] == "/r/{token}"
    assert invite_line["method"] == "GET"
    assert invite_line["status"] == 200
    assert invite_line["level"] == "info"
    assert isinstance(invite_line["duration_ms"], int | float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", invite_line["time"])
    save_line = access[saved.headers["x-request-id"]]
    assert save_line["path"] == (
        "/api/v1/assessments/{assessment_id}/respondents/{respondent_id}/answers"
    )
    assert save_line["method"] == "POST"
    assert save_line["workspace_id"] == workspace.id
    console_line = access[console.headers["x-request-id"]]
    assert console_line["workspace_id"] == workspace.id
    assert access["trace-500"]["status"] == 500
    [error_line] = [line for line in lines if line["logger"] == "opsmaturity.errors"]
    assert error_line["request_id"] == "trace-500"
    assert error_line["level"] == "error"
    assert "RuntimeError: a bug" in error_line["exception"]

    everything = "\n".join(captured.lines)
    for secret in (workspace.api_key, token, PASSWORD, csrf.group(1)):
        assert secret not in everything


def test_metrics_count_requests_renders_and_deliveries(
    observed: LiveServer, receiver: WebhookReceiver, owned: tuple[Workspace, str]
) -> None:
    workspace, _ = owned
    api = workspace.api
    before = metric_samples(httpx.get(f"{observed.url}/metrics").text)
    create_endpoint(api, f"{receiver.url}/crm", "respondent.submitted")
    assessment = create_assessment(api)
    [person] = add_respondents(api, assessment["id"], "manager")
    saved = save_answers(
        api, assessment["id"], person["id"], FULL_ANSWERS, submit=True, token=person["invite_token"]
    )
    expect(saved, 200)
    report_path = f"/api/v1/assessments/{assessment['id']}/report.pdf"
    for _ in range(2):  # rendered, then from the cache
        assert api.get(report_path).status_code == 200
    receiver.wait_for(1, path="/crm")

    def delivered() -> dict[Any, float] | None:
        now = metric_samples(httpx.get(f"{observed.url}/metrics").text)
        name = "opsmaturity_webhook_delivery_attempts_total"
        moved = sample(now, name, outcome="succeeded") > sample(before, name, outcome="succeeded")
        return now if moved else None

    after = wait_until(delivered)
    route = "/api/v1/assessments/{assessment_id}/report.pdf"
    requests = "opsmaturity_http_request_duration_seconds_count"
    labels = {"method": "GET", "route": route, "status_class": "2xx"}
    assert sample(after, requests, **labels) - sample(before, requests, **labels) == 2
    renders = "opsmaturity_report_render_duration_seconds_count"
    fresh = {"cache": "fresh", "variant": "team", "format": "pdf"}
    assert sample(after, renders, **fresh) - sample(before, renders, **fresh) == 1

    cached = {"cache": "cached", "variant": "team", "format": "pdf"}
    assert sample(after, renders, **cached) - sample(before, renders, **cached) == 1
    text = httpx.get(f"{observed.url}/metrics").text
    assert FIRM not in text
    assert workspace.id not in text
    assert assessment["id"] not in text


def test_metrics_are_for_this_machine_only(observed: LiveServer) -> None:
    direct = httpx.get(f"{observed.url}/metrics")
    assert direct.status_code == 200
    assert direct.headers["content-type"].startswith("text/plain; version=0.0.4")
    # Through a proxy on this machine, every visitor would look local: refused.
    forwarded = httpx.get(f"{observed.url}/metrics", headers={"X-Forwarded-For": "203.0.113.5"})
    assert forwarded.status_code == 403
    assert "OPSMATURITY_METRICS_TOKEN" in forwarded.json()["detail"]


@pytest.fixture
def production_serve(tmp_path: Path, questionnaires_dir: Path) -> Iterator[dict[str, Any]]:
    """`opsmaturity serve --workers 2` in production on SQLite, stderr kept in a file."""
    port = _free_port()
    multiprocess_dir = tmp_path / "prometheus"
    multiprocess_dir.mkdir()
    database_url = f"sqlite:///{tmp_path / 'serve.db'}"
    environment = {
        **os.environ,
        "OPSMATURITY_ENVIRONMENT": "production",
        "OPSMATURITY_SECRET_KEY": "observability-test-secret",
        "OPSMATURITY_DATABASE_URL": database_url,
        "OPSMATURITY_QUESTIONNAIRES_DIR": str(questionnaires_dir),
        "OPSMATURITY_PORT": str(port),
        "OPSMATURITY_BASE_URL": f"http://127.0.0.1:{port}",
        "OPSMATURITY_METRICS_TOKEN": "metrics-token-xyz",
        "PROMETHEUS_MULTIPROC_DIR": str(multiprocess_dir),
    }
    environment.pop("OPSMATURITY_LOG_FORMAT", None)
    stderr_path = tmp_path / "serve.stderr"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("opsmaturity")), "serve", "--workers", "2"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )

        def stop() -> None:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

        try:
            url = f"http://127.0.0.1:{port}"
            wait_until(lambda: _answers(f"{url}/healthz"), timeout=120, every=0.2)
            yield {
                "url": url,
                "database_url": database_url,
                "stderr": stderr_path,
                "multiprocess_dir": multiprocess_dir,
                "stop": stop,
            }
        finally:
            stop()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_serve_in_production_logs_json_and_adds_up_every_workers_metrics(
    production_serve: dict[str, Any],
) -> None:
    url = production_serve["url"]
    engine = make_engine(production_serve["database_url"])
    try:
        with unit_of_work(engine, writes=True) as session:
            workspace, _ = admin.create_workspace(
                session=session,
                name=FIRM,
                owner_email="serve-owner@example.org",
                owner_name="Serve Owner",
                owner_password=PASSWORD,
                now=utc_now(),
            )
            _, key = admin.create_api_key(
                session=session, workspace_id=workspace.id, name="serve", now=utc_now()
            )
    finally:
        engine.dispose()
    request_ids = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for _ in range(6):  # new connections: the kernel spreads them over both workers
            answer = httpx.get(
                f"{url}/api/v1/questionnaires", headers={"Authorization": f"Bearer {key}"}
            )
            assert answer.status_code == 200
            request_ids.append(answer.headers["x-request-id"])
        invite = client.get("/r/om_inv_not-a-real-token-but-secret-looking")
        assert invite.status_code == 404
        request_ids.append(invite.headers["x-request-id"])
        assert client.get("/metrics").status_code == 401
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        metrics = client.get("/metrics", headers={"Authorization": "Bearer metrics-token-xyz"})
    assert metrics.status_code == 200
    samples = metric_samples(metrics.text)
    count = sample(
        samples,
        "opsmaturity_http_request_duration_seconds_count",
        method="GET",
        route="/api/v1/questionnaires",
        status_class="2xx",
    )
    assert count == 6
    # Each worker keeps its values in a file of its own there; /metrics added them up.
    assert list(production_serve["multiprocess_dir"].glob("histogram_*.db"))

    production_serve["stop"]()  # every line written
    text = production_serve["stderr"].read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert any(line["logger"].startswith("uvicorn") for line in lines)
    logged_ids = {
        line.get("request_id") for line in lines if line["logger"] == "opsmaturity.access"
    }
    assert set(request_ids) <= logged_ids
    for secret in (key, "om_inv_not-a-real-token-but-secret-looking", "metrics-token-xyz"):
        assert secret not in text
