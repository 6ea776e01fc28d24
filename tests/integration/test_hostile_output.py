"""Hostile text is shown as text on every page, report and export that shows it: markup stays
inert, quotes never leave an attribute, template syntax is never evaluated. Through a live
server on both databases; the PDF is read back."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.integration.flow import expect
from tests.integration.hostile_world import (
    MARKUP,
    HostileWorld,
    assert_inert_page,
    assert_shown_as_text,
    build_hostile_world,
    build_owner,
    hostile,
    pdf_text,
    squeezed,
)
from tests.integration.live_server import LiveServer


@pytest.fixture(scope="module")
def world(server: LiveServer) -> Iterator[HostileWorld]:
    built = build_hostile_world(server)
    yield built
    built.close()


def _page(client: httpx.Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].startswith("text/html"), path
    assert_inert_page(response.text, path)
    return response.text


def test_console_pages_show_every_hostile_name_as_text(world: HostileWorld) -> None:
    aid, eid = world.assessment_id, world.endpoint_id
    shown = {
        "/console": ["title", "client", "firm"],
        "/console/clients": ["client", "industry", "external_ref", "firm"],
        "/console/assessments/new": ["client", "title"],
        f"/console/assessments/{aid}": ["title", "client", "name", "email"],
        f"/console/assessments/{aid}/results": ["title", "client"],
        "/console/settings": ["firm"],
        "/console/api-keys": ["key_name"],
        "/console/webhooks": ["url", "description"],
        f"/console/webhooks/{eid}": ["url", "error"],
    }
    for path, keys in shown.items():
        page = _page(world.browser, path)
        for key in keys:
            assert_shown_as_text(page, world.texts[key], f"{path} ({key})")


def test_client_editing_and_deletion_pages_show_every_hostile_name_as_text(
    world: HostileWorld,
) -> None:
    aid = world.assessment_id
    client_id = expect(world.api.get(f"/api/v1/assessments/{aid}"), 200)["client_id"]
    shown = {
        f"/console/clients/{client_id}": ["client", "industry", "external_ref"],
        f"/console/clients/{client_id}/delete": ["client"],
        f"/console/assessments/{aid}/delete": ["title", "client"],
        f"/console/assessments/{aid}/completion": ["name", "email"],
    }
    for path, keys in shown.items():
        page = _page(world.browser, path)
        for key in keys:
            assert_shown_as_text(page, world.texts[key], f"{path} ({key})")
    typed = hostile("Edited")
    refused = world.post(f"/console/clients/{client_id}", {"name": " ", "industry": typed})
    assert refused.status_code == 422
    assert_inert_page(refused.text, "client edit")
    assert_shown_as_text(refused.text, typed, "client edit")


def test_respondent_pages_show_hostile_text_as_text(world: HostileWorld) -> None:
    hostile_person, submitted = world.respondent_links[0], world.respondent_links[1]
    firm, idea = world.texts["firm"], world.texts["idea"]
    with httpx.Client(base_url=world.server.url, timeout=60) as browser:
        assert_shown_as_text(_page(browser, hostile_person), firm, "welcome")
        pages = [_page(browser, f"{hostile_person}/page/{n}") for n in (1, 2, 3)]
        # The free-text answer is the content of a textarea: `</textarea>` must not close it.
        (with_idea,) = [p for p in pages if "improvement_idea" in p]
        assert_shown_as_text(with_idea, idea, "questionnaire page")
        textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", with_idea, re.S)
        assert textarea and idea in textarea.group(1).replace("&lt;", "<").replace(
            "&gt;", ">"
        ).replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
        review = _page(browser, f"{hostile_person}/review")
        assert_shown_as_text(review, idea, "review")
        assert_shown_as_text(_page(browser, f"{submitted}/done"), firm, "thank-you page")


def test_the_self_assessment_pages_and_pdf_show_hostile_text_as_text(
    world: HostileWorld,
) -> None:
    firm, idea = world.texts["firm"], world.texts["idea"]
    with httpx.Client(base_url=world.server.url, timeout=60) as visitor:
        assert_shown_as_text(_page(visitor, f"/s/{world.slug}"), firm, "landing")
        results = _page(visitor, f"{world.self_link}/results")
        assert_shown_as_text(results, firm, "self-assessment result")
        assert_shown_as_text(_page(visitor, f"{world.self_link}/review"), idea, "review")
        pdf = visitor.get(f"{world.self_link}/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert squeezed(firm) in pdf_text(pdf.content)


def test_reports_show_hostile_text_as_text(world: HostileWorld) -> None:
    aid = world.assessment_id
    texts = world.texts
    for client, path in (
        (world.browser, f"/console/assessments/{aid}/report.html"),
        (world.api, f"/api/v1/assessments/{aid}/report.html"),
    ):
        report = client.get(path)
        assert report.status_code == 200, report.text[:300]
        assert "script-src" not in report.headers["content-security-policy"]
        assert report.headers["x-content-type-options"] == "nosniff"
        assert "<script" not in report.text.lower() and MARKUP not in report.text
        for key in ("client", "firm", "idea"):
            assert_shown_as_text(report.text, texts[key], f"{path} ({key})")
    pdf = world.api.get(f"/api/v1/assessments/{aid}/report.pdf")
    assert pdf.status_code == 200, pdf.text[:300]
    text = pdf_text(pdf.content)
    for key in ("client", "firm", "idea"):
        assert squeezed(texts[key]) in text, f"report.pdf ({key}): {text[:400]}"


def test_json_gives_hostile_text_back_exactly(world: HostileWorld) -> None:
    clients = expect(world.api.get("/api/v1/clients"), 200)["items"]
    (client,) = [c for c in clients if c["name"] == world.texts["client"]]
    assert client["industry"] == world.texts["industry"]
    assessment = expect(world.api.get(f"/api/v1/assessments/{world.assessment_id}"), 200)
    assert assessment["title"] == world.texts["title"]
    people = expect(world.api.get(f"/api/v1/assessments/{world.assessment_id}/respondents"), 200)[
        "respondents"
    ]
    assert {"name": world.texts["name"], "email": world.texts["email"]} in [
        {"name": p["name"], "email": p["email"]} for p in people
    ]
    results = world.api.get(f"/api/v1/assessments/{world.assessment_id}/results")
    assert results.headers["content-type"] == "application/json"


def test_refused_forms_give_back_what_was_typed_as_text(world: HostileWorld) -> None:
    aid = world.assessment_id
    typed = hostile("Typed")
    cases = {
        "client without a name": world.post("/console/clients", {"name": " ", "industry": typed}),
        "respondent without a role": world.post(
            f"/console/assessments/{aid}/respondents", {"name": typed, "email": ""}
        ),
        "webhook with a javascript: URL": world.post(
            "/console/webhooks",
            {"url": "javascript:alert(1)//", "description": typed, "event_types": ["report.ready"]},
        ),
        "branding with a bad colour": world.post(
            "/console/settings/branding", {"name": typed, "brand_colour": typed[:60]}
        ),
    }
    for name, response in cases.items():
        assert response.status_code == 422, name
        assert_inert_page(response.text, name)
        assert_shown_as_text(response.text, typed, name)

    pasted = f"name,email,role\n{typed.replace(',', ' ')},,{typed.replace(',', ' ')}\n"
    refused = world.post(f"/console/assessments/{aid}/respondents/csv", {"csv": pasted})
    assert refused.status_code == 422
    assert_inert_page(refused.text, "pasted respondents")
    # The paste stays in its textarea and the problem names the refused value, both as text.
    assert_shown_as_text(refused.text, pasted.strip(), "pasted text")
    assert "is not one of" in refused.text


_RANDOM_TOKEN = re.compile(r'"[^"<>\s]*[A-Za-z0-9_-]{12,}"')


def test_error_pages_show_a_hostile_address_as_text(world: HostileWorld) -> None:
    hostile_id = "%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E%7B%7B7*7%7D%7D"
    for path in (
        f"/console/assessments/{hostile_id}",
        f"/console/assessments/{hostile_id}/results",
        f"/console/webhooks/{hostile_id}",
        f"/r/{hostile_id}",
        f"/s/{hostile_id}",
        f"/{hostile_id}",
    ):
        page = world.browser.get(path)
        assert page.status_code in (404, 422), path
        assert page.headers["content-type"].startswith("text/html"), path
        assert_inert_page(page.text, path)
        # Random tokens (CSRF, CSP nonce, asset versions) may hold "49" by chance: left out.
        shown = _RANDOM_TOKEN.sub('""', page.text)
        assert "<img src=x" not in shown and "49" not in shown, path
    problem = world.api.get(f"/api/v1/assessments/{hostile_id}")
    assert problem.status_code == 404
    assert problem.headers["content-type"] == "application/problem+json"


def test_the_login_form_gives_back_a_hostile_email_as_text(server: LiveServer) -> None:
    typed = '"><script>alert(1)</script>{{7*7}}@client.example'
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        form = browser.get("/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token
        refused = browser.post(
            "/console/login",
            data={
                "csrf_token": token.group(1),
                "email": typed,
                "password": "wrong",
                "next": "javascript:alert(1)",
            },
        )
    assert refused.status_code == 401
    assert_inert_page(refused.text, "login")
    assert_shown_as_text(refused.text, typed, "login")
    assert 'value="javascript:' not in refused.text


def test_pages_shown_once_show_hostile_names_as_text(world: HostileWorld) -> None:
    typed = hostile("Once")
    key = world.post("/console/api-keys", {"name": typed})
    hook = world.post(
        "/console/webhooks",
        {"url": world.texts["url"], "description": typed, "event_types": ["report.ready"]},
    )
    invites = world.post(
        f"/console/assessments/{world.assessment_id}/respondents",
        {"name": typed, "email": "", "attr.role": "executive"},
    )
    for name, response, shown in (
        ("new API key", key, [typed]),
        ("webhook secret", hook, [world.texts["url"]]),
        ("invite links", invites, [typed]),
    ):
        assert response.status_code == 200, name
        assert_inert_page(response.text, name)
        for text in shown:
            assert_shown_as_text(response.text, text, name)


@pytest.mark.parametrize(
    "target",
    [
        "/console\r\nSet-Cookie: om_session=stolen",
        "//evil.example/console",
        "https://evil.example/console",
        "/console\\@evil.example",
        "javascript:alert(1)//console",
    ],
)
def test_signing_in_never_redirects_off_site_or_splits_the_header(
    server: LiveServer, target: str
) -> None:
    world_owner = build_owner(server)
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        form = browser.get("/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token
        signed = browser.post(
            "/console/login",
            data={"csrf_token": token.group(1), **world_owner, "next": target},
        )
    assert signed.status_code == 303
    location = signed.headers["location"]
    assert location.startswith("/console") and not location.startswith("//"), location
    assert "\r" not in location and "\n" not in location and "stolen" not in signed.cookies
