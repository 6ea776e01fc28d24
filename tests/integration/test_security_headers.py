"""Security headers on every response through a live server, on SQLite and PostgreSQL: the API
(answers and problems: 401, 404, 422, 500), pages and their errors, static files, the HTML
report with its own policy, and HSTS only over TLS or from a trusted proxy that says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.report_responses import HTML_REPORT_POLICY
from app.web.page_security import CONTENT_SECURITY_POLICY as PAGE_POLICY
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
from tests.integration.test_rate_limits import limited_settings

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def add_failing_routes(server: LiveServer) -> None:
    """An API route and a page that raise, as a bug would."""

    def fail() -> None:
        raise RuntimeError("a bug")

    server.app.add_api_route("/api/v1/failing", fail)
    server.app.add_api_route("/failing", fail)


def assert_shared_headers(response: httpx.Response) -> None:
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-request-id"]
    # Each header once: nothing added twice by two layers.
    for name in ("x-frame-options", "x-content-type-options", "referrer-policy"):
        assert len(response.headers.get_list(name)) == 1, name
    assert len(response.headers.get_list("content-security-policy")) == 1


@pytest.fixture(scope="module")
def plain_http_servers(
    backend: str, questionnaires_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, LiveServer]]:
    """base_url plain http: one server trusts the proxy on loopback, the other does not."""
    with fresh_database(backend, tmp_path_factory.mktemp(f"headers-{backend}")) as url:
        trusting = limited_settings(
            url, questionnaires_dir, trusted_proxies="127.0.0.1/32", rate_limits=False
        )
        untrusting = limited_settings(
            url, questionnaires_dir, trusted_proxies="192.0.2.0/24", rate_limits=False
        )
        with running_server(trusting) as first, running_server(untrusting) as second:
            add_failing_routes(first)
            yield first, second


def test_api_answers_and_problems_carry_the_api_policy(workspace: Workspace) -> None:
    api = workspace.api
    assessment = create_assessment(api)
    answers = [
        api.get("/api/v1/questionnaires"),
        api.get(f"/api/v1/assessments/{assessment['id']}"),
        api.get("/api/v1/assessments/no-such-assessment"),  # 404
        api.post("/api/v1/clients", json={"name": ""}),  # 422
        httpx.get(f"{workspace.server.url}/api/v1/questionnaires"),  # 401
        api.get("/healthz"),
        api.get("/openapi.json"),
    ]
    assert [a.status_code for a in answers] == [200, 200, 404, 422, 401, 200, 200]
    for answer in answers:
        assert_shared_headers(answer)
        assert answer.headers["content-security-policy"] == API_POLICY
        # The shared server's public address is https: HSTS on every answer.
        assert answer.headers["strict-transport-security"] == HSTS


def test_pages_static_files_and_page_errors_keep_the_page_policy(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        answers = [
            browser.get("/console/login"),
            browser.get("/static/app.css"),
            browser.get("/no-such-page"),  # 404 page
            browser.get("/r/om_inv_unknown"),  # unknown link page
        ]
    assert [a.status_code for a in answers] == [200, 200, 404, 404]
    for answer in answers:
        assert_shared_headers(answer)
        assert answer.headers["content-security-policy"] == PAGE_POLICY
        assert answer.headers["strict-transport-security"] == HSTS


def test_the_html_report_keeps_its_own_policy(workspace: Workspace) -> None:
    api = workspace.api
    assessment = create_assessment(api)
    [person] = add_respondents(api, assessment["id"], "manager")
    saved = save_answers(
        api, assessment["id"], person["id"], FULL_ANSWERS, submit=True, token=person["invite_token"]
    )
    expect(saved, 200)
    report = api.get(f"/api/v1/assessments/{assessment['id']}/report.html")
    assert report.status_code == 200
    assert report.headers["content-security-policy"] == HTML_REPORT_POLICY
    assert_shared_headers(report)


def test_errors_of_every_kind_get_the_headers(
    plain_http_servers: tuple[LiveServer, LiveServer],
) -> None:
    server, _ = plain_http_servers
    with httpx.Client(base_url=server.url, timeout=30) as client:
        api_failure = client.get("/api/v1/failing")
        page_failure = client.get("/failing")
        invalid = client.post("/api/v1/score", json={}, headers={"Authorization": "Bearer x"})
    assert api_failure.status_code == 500
    assert api_failure.headers["content-type"].startswith("application/problem+json")
    assert api_failure.headers["content-security-policy"] == API_POLICY
    assert_shared_headers(api_failure)
    assert page_failure.status_code == 500
    assert page_failure.headers["content-type"].startswith("text/html")
    assert page_failure.headers["content-security-policy"] == PAGE_POLICY
    assert "Something went wrong" in page_failure.text
    assert_shared_headers(page_failure)
    assert invalid.status_code == 401
    assert_shared_headers(invalid)


def test_hsts_only_over_tls(plain_http_servers: tuple[LiveServer, LiveServer]) -> None:
    trusting, untrusting = plain_http_servers
    over_tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    plain = httpx.get(f"{trusting.url}/healthz")
    via_trusted_proxy = httpx.get(f"{trusting.url}/healthz", headers=over_tls)
    via_trusted_proxy_plain = httpx.get(
        f"{trusting.url}/healthz", headers={**over_tls, "X-Forwarded-Proto": "http"}
    )
    claimed_by_anyone = httpx.get(f"{untrusting.url}/healthz", headers=over_tls)
    assert "strict-transport-security" not in plain.headers
    assert via_trusted_proxy.headers["strict-transport-security"] == HSTS
    assert "strict-transport-security" not in via_trusted_proxy_plain.headers
    assert "strict-transport-security" not in claimed_by_anyone.headers
    for answer in (plain, via_trusted_proxy, claimed_by_anyone):
        assert_shared_headers(answer)
