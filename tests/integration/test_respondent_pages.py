"""The respondent's pages through HTTP, without a browser: plain form posts (the no-JavaScript
path), the autosave endpoint, error pages and the pages' security headers, on both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.integration.conftest import Workspace
from tests.integration.flow import add_respondents, create_assessment, expect

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def invited(workspace: Workspace) -> Iterator[tuple[httpx.Client, str, dict[str, str]]]:
    """A browser-like client (cookies, no API key) and an invited respondent's page path."""
    assessment = create_assessment(workspace.api, status="open")
    person = add_respondents(workspace.api, assessment["id"], "executive")[0]
    token = person["invite_url"].rsplit("/", 1)[1]
    with httpx.Client(base_url=workspace.server.url, timeout=30) as browser:
        yield browser, f"/r/{token}", {"assessment": assessment["id"], "respondent": person["id"]}


def _csrf(page: httpx.Response) -> str:
    match = CSRF.search(page.text)
    assert match, page.text[:500]
    return match.group(1)


def _saved_answers(workspace: Workspace, ids: dict[str, str]) -> dict[str, object]:
    path = f"/api/v1/assessments/{ids['assessment']}/respondents/{ids['respondent']}/answers"
    answers: dict[str, object] = expect(workspace.api.get(path), 200)["answers"]
    return answers


def test_a_plain_form_post_saves_the_page_and_moves_on(
    workspace: Workspace, invited: tuple[httpx.Client, str, dict[str, str]]
) -> None:
    browser, base, ids = invited
    welcome = browser.get(base)
    assert welcome.status_code == 200
    assert "Your private link" in welcome.text
    page = browser.get(f"{base}/page/1")
    assert page.status_code == 200
    assert '<fieldset class="item' in page.text and "<legend" in page.text
    form = {
        "csrf_token": _csrf(page),
        "a.plan_horizon": "month",
        "a.plan_slack": "some",
        "a.late_share": "20",
        "a.missed_reviewed": "no",
        "go": "next",
    }
    moved = browser.post(f"{base}/page/1", data=form)
    assert moved.status_code == 303
    assert moved.headers["location"] == f"{base}/page/2"
    assert _saved_answers(workspace, ids) == {
        "plan_horizon": "month",
        "plan_slack": "some",
        "late_share": 20,
        "missed_reviewed": "no",
    }


def test_a_follow_up_question_is_asked_before_moving_on(
    invited: tuple[httpx.Client, str, dict[str, str]],
) -> None:
    browser, base, _ = invited
    page = browser.get(f"{base}/page/1")
    assert 'data-item="review_depth" hidden' in page.text
    form = {"csrf_token": _csrf(page), "a.missed_reviewed": "yes", "go": "next"}
    stayed = browser.post(f"{base}/page/1", data=form)
    assert stayed.headers["location"].startswith(f"{base}/page/1")
    again = browser.get(f"{base}/page/1")
    assert 'data-item="review_depth" hidden' not in again.text


def test_a_bad_answer_is_explained_and_the_good_ones_are_kept(
    workspace: Workspace, invited: tuple[httpx.Client, str, dict[str, str]]
) -> None:
    browser, base, ids = invited
    page = browser.get(f"{base}/page/1")
    form = {
        "csrf_token": _csrf(page),
        "a.plan_horizon": "week",
        "a.late_share": "250",
        "go": "next",
    }
    refused = browser.post(f"{base}/page/1", data=form)
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text
    assert 'value="250"' in refused.text  # what was typed stays on the page
    assert _saved_answers(workspace, ids) == {"plan_horizon": "week"}

    not_a_number = browser.post(f"{base}/page/1", data={**form, "a.late_share": "about half"})
    assert not_a_number.status_code == 422
    assert "enter a number" in not_a_number.text


def test_autosave_saves_one_answer_and_reports_progress(
    workspace: Workspace, invited: tuple[httpx.Client, str, dict[str, str]]
) -> None:
    browser, base, ids = invited
    page = browser.get(f"{base}/page/2")
    token = _csrf(page)
    saved = browser.post(
        f"{base}/autosave",
        data={
            "item": "tools_in_use",
            "a.tools_in_use": ["tracker", "runbook"],
            "m.tools_in_use": "1",
        },
        headers={"X-CSRF-Token": token},
    )
    body = expect(saved, 200)
    assert body["saved"] is True
    assert body["answered"] == 1
    assert "review_depth" in body["hidden"]
    refused = browser.post(
        f"{base}/autosave",
        data={"item": "manual_hours", "a.manual_hours": "-5"},
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 422
    assert refused.json()["saved"] is False
    assert _saved_answers(workspace, ids) == {"tools_in_use": ["tracker", "runbook"]}


def test_submitting_thanks_the_respondent_and_a_closed_assessment_says_so(
    workspace: Workspace, invited: tuple[httpx.Client, str, dict[str, str]]
) -> None:
    browser, base, ids = invited
    review = browser.get(f"{base}/review")
    assert "required questions are not answered yet" in review.text
    submitted = browser.post(f"{base}/submit", data={"csrf_token": _csrf(review)})
    assert submitted.headers["location"] == f"{base}/done"
    thanks = browser.get(f"{base}/done")
    assert "your answers are in" in thanks.text
    expect(workspace.api.post(f"/api/v1/assessments/{ids['assessment']}/close"), 200)
    assert browser.get(f"{base}/page/1").headers["location"] == f"{base}/done"


def test_a_closed_assessment_before_answering_gets_a_clear_page(
    workspace: Workspace, invited: tuple[httpx.Client, str, dict[str, str]]
) -> None:
    browser, base, ids = invited
    expect(workspace.api.post(f"/api/v1/assessments/{ids['assessment']}/close"), 200)
    closed = browser.get(f"{base}/done")
    assert closed.status_code == 410
    assert "This assessment is closed" in closed.text


@pytest.mark.parametrize(
    "path", ["/r/om_inv_unknown", "/r/nonsense/page/1", "/r/" + "x" * 300, "/no/such/page"]
)
def test_unknown_links_get_a_page_not_a_stack_trace(workspace: Workspace, path: str) -> None:
    response = httpx.get(workspace.server.url + path)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    assert "<h1>" in response.text


def test_forms_without_the_visitors_token_are_refused(
    workspace: Workspace, invited: tuple[httpx.Client, str, dict[str, str]]
) -> None:
    browser, base, ids = invited
    token = _csrf(browser.get(f"{base}/page/1"))
    forged = browser.post(f"{base}/page/1", data={"a.plan_horizon": "none", "csrf_token": "x" * 43})
    assert forged.status_code == 403
    cross_site = browser.post(
        f"{base}/page/1",
        data={"a.plan_horizon": "none", "csrf_token": token},
        headers={"Origin": "https://attacker.example"},
    )
    assert cross_site.status_code == 403
    assert _saved_answers(workspace, ids) == {}


def test_pages_carry_security_headers(invited: tuple[httpx.Client, str, dict[str, str]]) -> None:
    browser, base, _ = invited
    page = browser.get(base)
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
