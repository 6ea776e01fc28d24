"""The consultant console through HTTP, as a browser without JavaScript uses it: sign-in,
dashboard, clients, assessments, respondents and their one-time invite links, results and
reports, branding and the public link, API keys and webhooks; on both databases."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi.routing import APIRoute

from app.persistence.unit_of_work import unit_of_work
from app.services.workspace_settings import update_public_link
from app.web.console import CONSOLE_ROUTERS
from app.web.page_security import require_csrf
from tests.integration.conftest import Workspace
from tests.integration.console_session import (
    Console,
    add_failed_delivery,
    csrf_of,
    new_owner,
    open_self_assessment,
    signed_in,
)
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer

INVITE = re.compile(r'value="https://opsmaturity\.test(/r/om_inv_[^"]+)"')
# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    console = signed_in(server)
    yield console
    console.close()


def _text(response: httpx.Response) -> str:
    """The page's text with entities decoded, for assertions on what a reader sees."""
    return html.unescape(response.text)


def test_sign_in_is_required_and_a_wrong_password_is_refused(server: LiveServer) -> None:
    _, email, _ = new_owner(server, "Refused Ltd")
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        away = browser.get("/console/clients")
        assert away.status_code == 303
        assert away.headers["location"] == "/console/login?next=%2Fconsole%2Fclients"
        token = csrf_of(browser.get("/console/login"))
        wrong = browser.post(
            "/console/login", data={"csrf_token": token, "email": email, "password": "nope"}
        )
        assert wrong.status_code == 401
        assert "The email or password is not right." in _text(wrong)
        assert "om_session" not in browser.cookies
        assert browser.get("/console").status_code == 303


def test_a_form_post_without_the_csrf_token_is_refused(console: Console) -> None:
    refused = console.browser.post("/console/clients", data={"name": "Sneaky Ltd"})
    assert refused.status_code == 403
    assert "This form has expired" in refused.text
    stale = console.browser.post("/console/clients", data={"name": "X", "csrf_token": "x" * 43})
    assert stale.status_code == 403
    clients = expect(console.api.get("/api/v1/clients"), 200)["items"]
    assert clients == []


def _self_assessment(server: LiveServer, console: Console) -> str:
    """A self-assessment taken and submitted (its public page is tested elsewhere)."""
    client_id = create_client(console.api, name="Online self-assessments")["id"]
    assessment_id = open_self_assessment(server, console.workspace_id, client_id)
    (person,) = add_respondents(console.api, assessment_id, "executive")
    token = person["invite_token"]
    expect(
        save_answers(
            console.api, assessment_id, person["id"], FULL_ANSWERS, submit=True, token=token
        ),
        200,
    )
    expect(console.api.post(f"/api/v1/assessments/{assessment_id}/close"), 200)
    return assessment_id


def test_every_console_form_post_checks_the_csrf_token() -> None:
    posts = [
        route
        for router in CONSOLE_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and "POST" in route.methods
    ]
    assert len(posts) > 15
    for route in posts:
        assert any(d.call is require_csrf for d in route.dependant.dependencies), route.path


def test_the_dashboard_lists_assessments_with_their_completion(
    console: Console, server: LiveServer
) -> None:
    api = console.api
    assessment = create_assessment(api, title="Leadership pulse Q1")
    people = add_respondents(api, assessment["id"], "manager", "manager", "executive")
    expect(
        save_answers(
            api,
            assessment["id"],
            people[0]["id"],
            FULL_ANSWERS,
            submit=True,
            token=people[0]["invite_token"],
        ),
        200,
    )
    self_id = _self_assessment(server, console)
    page = console.browser.get("/console")
    assert page.status_code == 200
    text = _text(page)
    assert "<h1>Assessments</h1>" in text
    assert f'href="/console/assessments/{assessment["id"]}">Leadership pulse Q1</a>' in text
    assert "Acme Logistics" in text
    assert '<progress max="3" value="1"' in text and "1 of 3 submitted" in text
    assert 'class="badge badge--open"' in text
    assert 'href="/console/assessments/new"' in text
    team, recent = text.split("Recent self-assessments")
    assert self_id not in team, "self-assessments are listed apart from team assessments"
    assert f'href="/console/assessments/{self_id}">Example team pulse — self</a>' in recent
    assert re.search(r"Stage: (Ad hoc|Steady|Strong)", recent)


def test_clients_and_assessments_are_created_through_the_forms(console: Console) -> None:
    refused = console.post(
        "/console/clients", {"name": "  ", "industry": "Freight", "size_band": "51-200"}
    )
    assert refused.status_code == 422
    text = _text(refused)
    assert "enter the client's name" in text
    assert 'value="Freight"' in text and '<option value="51-200" selected>' in text

    added = console.post(
        "/console/clients",
        {"name": "Acme Freight", "industry": "Freight", "external_ref": "crm-7"},
    )
    assert added.status_code == 303 and added.headers["location"] == "/console/clients?done=client"
    listed = _text(console.browser.get(added.headers["location"]))
    assert "Client added." in listed and "Acme Freight" in listed and "crm-7" in listed
    taken = console.post("/console/clients", {"name": "Other", "external_ref": "crm-7"})
    assert taken.status_code == 422
    assert "another client already has this reference" in _text(taken)

    form = console.browser.get("/console/assessments/new")
    assert form.status_code == 200
    assert '<option value="example" selected>' in form.text
    missing = console.post("/console/assessments/new", {"questionnaire_id": "example"})
    assert missing.status_code == 422
    assert "give the assessment a title" in _text(missing)
    assert "choose a client or name a new one" in _text(missing)

    created = console.post(
        "/console/assessments/new",
        {
            "title": "Round one",
            "questionnaire_id": "example",
            "new_client_name": "Globex",
            "target_overall": "strong",
        },
    )
    assert created.status_code == 303
    first_path = created.headers["location"].split("?")[0]
    assert re.fullmatch(r"/console/assessments/asm_[0-9a-f]+", first_path)
    first = _text(console.browser.get(created.headers["location"]))
    assert "Round one" in first and "Globex" in first and "Strong" in first
    assert "Assessment created and open for answers." in first

    clients = {c["name"]: c["id"] for c in expect(console.api.get("/api/v1/clients"), 200)["items"]}
    second = console.post(
        "/console/assessments/new",
        {
            "title": "Round two",
            "questionnaire_id": "example",
            "client_id": clients["Globex"],
            "baseline_assessment_id": first_path.rsplit("/", 1)[1],
        },
    )
    assert second.status_code == 303
    page = _text(console.browser.get(second.headers["location"]))
    assert "Compared with" in page and f'href="{first_path}">Round one</a>' in page
    stranger = console.post(
        "/console/assessments/new",
        {"title": "X", "questionnaire_id": "example", "client_id": "cli_nope"},
    )
    assert stranger.status_code == 422 and "no such client" in _text(stranger)


def test_respondents_are_added_one_by_one_or_pasted_and_links_shown_once(
    console: Console,
) -> None:
    aid = create_assessment(console.api, title="Team check")["id"]
    base = f"/console/assessments/{aid}"

    one = console.post(
        f"{base}/respondents",
        {"name": "Ada Lovelace", "email": "ada@client.example", "attr.role": "manager"},
    )
    assert one.status_code == 200
    assert one.headers["cache-control"] == "no-store"
    assert "will not be shown again" in _text(one)
    (link,) = INVITE.findall(one.text)
    assert 'data-copy="invite-1"' in one.text
    with httpx.Client(base_url=console.browser.base_url, timeout=30) as respondent:
        assert respondent.get(link).status_code == 200

    page = _text(console.browser.get(base))
    # 10 of the 11 items are asked until an answer brings up the follow-up (review_depth).
    assert "Ada Lovelace" in page and "Role: Manager" in page and "0 of 10" in page
    assert "om_inv_" not in page, "an invite link is never shown twice"

    missing_role = console.post(f"{base}/respondents", {"name": "Bob", "email": "bob@x.example"})
    assert missing_role.status_code == 422
    assert "choose a role" in _text(missing_role) and 'value="Bob"' in missing_role.text

    bad_csv = "name,email,role,site\nCy,cy@client.example,Executive,north\nDee,not-an-email,boss,\n"
    refused = console.post(f"{base}/respondents/csv", {"csv": bad_csv})
    assert refused.status_code == 422
    text = _text(refused)
    assert "Nobody was added" in text
    assert "line 3: “not-an-email” is not an email address" in text
    assert "line 3: Role “boss” is not one of" in text
    assert "line 2" not in text
    assert "Dee,not-an-email,boss" in text, "the pasted text is kept"
    listed = expect(console.api.get(f"/api/v1/assessments/{aid}/respondents"), 200)
    assert [r["name"] for r in listed["respondents"]] == ["Ada Lovelace"]

    good_csv = "name,email,role\nCy,cy@client.example,Executive\n\nDee,,individual_contributor\n"
    pasted = console.post(f"{base}/respondents/csv", {"csv": good_csv})
    assert pasted.status_code == 200
    assert len(INVITE.findall(pasted.text)) == 2
    listed = expect(console.api.get(f"/api/v1/assessments/{aid}/respondents"), 200)
    people = {r["name"]: r for r in listed["respondents"]}
    assert people["Cy"]["attributes"] == {"role": "executive"}
    assert people["Dee"]["email"] is None

    removed = console.post(f"{base}/respondents/{people['Cy']['id']}/remove")
    assert removed.status_code == 303 and removed.headers["location"] == f"{base}?done=removed"
    listed = expect(console.api.get(f"/api/v1/assessments/{aid}/respondents"), 200)
    assert {r["name"] for r in listed["respondents"]} == {"Ada Lovelace", "Dee"}


def test_results_reports_closing_and_reopening(console: Console) -> None:
    api, browser = console.api, console.browser
    client_id = create_client(api, name="Initech")["id"]
    before = create_assessment(api, client_id, title="Spring round")["id"]
    (early,) = add_respondents(api, before, "manager")
    weak = {**FULL_ANSWERS, "plan_horizon": "none", "weekly_review": "rarely"}
    expect(save_answers(api, before, early["id"], weak, submit=True), 200)
    aid = create_assessment(api, client_id, title="Autumn round", baseline_assessment_id=before)[
        "id"
    ]
    base = f"/console/assessments/{aid}"
    people = add_respondents(api, aid, "manager", "manager", "manager", "executive")

    waiting = browser.get(f"{base}/results")
    assert waiting.status_code == 200
    assert "No answers yet" in waiting.text and "0 of 4 submitted" in waiting.text
    assert browser.get(f"{base}/report.pdf").status_code == 409

    for person, answers in zip(people, [FULL_ANSWERS, weak, FULL_ANSWERS], strict=False):
        expect(
            save_answers(
                api, aid, person["id"], answers, submit=True, token=person["invite_token"]
            ),
            200,
        )
    results = browser.get(f"{base}/results")
    assert results.status_code == 200
    text = _text(results)
    assert "<h1>Results: Autumn round" in text
    assert "Where the team disagrees" in text and "<svg" in text
    assert "The most disputed questions" in text
    assert "By role" in text and "Manager (n = 3)" in text
    assert 'href="/console/assessments/' + before + '/results">Spring round</a>' in text
    assert '<th scope="col">Change</th>' in text
    # Two see a weekly review, one a rare one: Rhythm's stage is contested, and the findings
    # say so first, before the page's tables.
    findings = text.index('<h2 id="findings-heading">What the results say</h2>')
    assert findings < text.index('id="scores-heading"')
    first_finding = text[findings:].split("<li>", 1)[1].split("</li>", 1)[0]
    assert first_finding.startswith("The team is split on") and "Rhythm" in first_finding
    assert "<strong>Steady, contested: answers span Ad hoc to Strong</strong>" in text
    assert "(95 % interval, 3 respondents)<br><strong>Borderline</strong>" in text
    assert "<strong>Borderline:</strong> the interval crosses a stage boundary" in text
    assert "no real agreement" in text

    pdf = browser.get(f"{base}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    preview = browser.get(f"{base}/report.html")
    assert preview.status_code == 200 and "Initech" in _text(preview)
    assert preview.headers["content-security-policy"].startswith("default-src 'none'")

    closed = console.post(f"{base}/close")
    assert closed.status_code == 303 and closed.headers["location"] == f"{base}?done=closed"
    page = _text(browser.get(closed.headers["location"]))
    assert 'badge--closed">Closed' in page and "Reopen it to add respondents" in page
    assert f'action="{base}/reopen"' in page and f'action="{base}/respondents"' not in page
    assert console.post(f"{base}/close").status_code == 409
    reopened = console.post(f"{base}/reopen")
    assert reopened.status_code == 303
    page = _text(browser.get(reopened.headers["location"]))
    assert 'badge--open">Open' in page and f'action="{base}/respondents"' in page


def test_branding_and_the_public_link(console: Console, server: LiveServer) -> None:
    page = console.browser.get("/console/settings")
    assert page.status_code == 200 and 'type="color"' in page.text
    bad = console.post(
        "/console/settings/branding", {"name": "Northwind Advisory", "brand_colour": "red"}
    )
    assert bad.status_code == 422
    assert "the colour must look like #1f4e79" in _text(bad)
    assert 'value="red"' in bad.text

    saved = console.post(
        "/console/settings/branding",
        {"name": "Northwind & Co", "brand_colour": "#AA3300", "colour_shown": "#1f4e79"},
        files={"logo": ("logo.png", PNG, "image/png")},
    )
    assert saved.status_code == 303
    page = _text(console.browser.get(saved.headers["location"]))
    assert "Branding saved." in page and 'value="#aa3300"' in page
    assert 'value="Northwind & Co"' in page and 'src="data:image/png;base64,' in page
    not_an_image = console.post(
        "/console/settings/branding",
        {"name": "Northwind & Co", "brand_colour": "#aa3300"},
        files={"logo": ("logo.png", b"hello", "image/png")},
    )
    assert not_an_image.status_code == 422
    assert "the logo must be a PNG, JPEG or SVG image" in _text(not_an_image)
    assert console.post("/console/settings/logo/remove").status_code == 303
    assert "data:image/png" not in console.browser.get("/console/settings").text

    other_workspace, _, _ = new_owner(server, "Rival Partners")
    slug = f"rival-{uuid.uuid4().hex[:8]}"
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        update_public_link(session=session, workspace_id=other_workspace, actor="test", slug=slug)
    taken = console.post("/console/settings/public-link", {"public_slug": slug})
    assert taken.status_code == 422 and "this link is taken" in _text(taken)
    malformed = console.post("/console/settings/public-link", {"public_slug": "-no-"})
    assert malformed.status_code == 422 and "lower-case letters" in _text(malformed)

    mine = f"northwind-{uuid.uuid4().hex[:8]}"
    published = console.post("/console/settings/public-link", {"public_slug": mine})
    assert published.status_code == 303
    page = console.browser.get("/console/settings").text
    assert (
        f'value="https://opsmaturity.test/s/{mine}"' in page and 'data-copy="public-link"' in page
    )
    with httpx.Client(base_url=console.browser.base_url, timeout=30) as visitor:
        assert visitor.get(f"/s/{mine}").status_code == 200
    assert console.post("/console/settings/public-link", {"public_slug": ""}).status_code == 303
    assert "Not published" in console.browser.get("/console/settings").text


def test_api_keys_are_created_once_and_revoked(console: Console) -> None:
    created = console.post("/console/api-keys", {"name": "HubSpot sync"})
    assert created.status_code == 200 and created.headers["cache-control"] == "no-store"
    key = re.search(r'value="(om_live_[^"]+)"', created.text)
    assert key and "will not be shown again" in created.text
    with httpx.Client(
        base_url=console.browser.base_url, headers={"Authorization": f"Bearer {key.group(1)}"}
    ) as crm:
        assert crm.get("/api/v1/clients").status_code == 200
        listed = console.browser.get("/console/api-keys").text
        assert "HubSpot sync" in listed and key.group(1) not in listed
        key_id = re.search(
            r'HubSpot sync</th>.*?action="/console/api-keys/(key_[0-9a-f]+)/revoke"', listed, re.S
        )
        assert key_id
        revoked = console.post(f"/console/api-keys/{key_id.group(1)}/revoke")
        assert revoked.status_code == 303
        assert "Revoked" in console.browser.get("/console/api-keys").text
        assert crm.get("/api/v1/clients").status_code == 401
    assert console.post("/console/api-keys", {"name": " "}).status_code == 422


def test_webhook_endpoints_are_managed_from_the_console(
    console: Console, server: LiveServer
) -> None:
    refused = console.post("/console/webhooks", {"url": "ftp://example.com/hook"})
    assert refused.status_code == 422
    created = console.post(
        "/console/webhooks",
        {
            "url": "https://hooks.example.com/opsmaturity",
            "description": "CRM",
            "event_types": ["assessment.completed", "report.ready"],
        },
    )
    assert created.status_code == 200 and "whsec_" in created.text
    listed = console.browser.get("/console/webhooks").text
    endpoint_id = re.search(r'href="/console/webhooks/(whe_[0-9a-f]+)"', listed)
    assert endpoint_id and "whsec_" not in listed
    path = f"/console/webhooks/{endpoint_id.group(1)}"
    assert console.post(f"{path}/disable").status_code == 303
    assert "Disabled" in console.browser.get("/console/webhooks").text
    assert console.post(f"{path}/enable").status_code == 303
    rotated = console.post(f"{path}/rotate")
    assert rotated.status_code == 200 and "whsec_" in rotated.text
    log = console.browser.get(path)
    assert log.status_code == 200 and "No deliveries yet" in log.text

    # A delivery that ran out of attempts, to an endpoint disabled so nothing is sent now.
    assert console.post(f"{path}/disable").status_code == 303
    failed_id = add_failed_delivery(
        server.app.state.runtime.database.engine,
        console.workspace_id,
        endpoint_id.group(1),
        event_type="report.ready",
    )
    log = console.browser.get(path)
    assert "HTTP 500" in log.text and "Failed" in log.text
    redelivered = console.post(f"{path}/deliveries/{failed_id}/redeliver")
    assert redelivered.status_code == 303
    assert redelivered.headers["location"] == f"{path}?done=redelivered"
    log = console.browser.get(redelivered.headers["location"])
    assert "The event is queued for delivery again." in log.text and "Pending" in log.text
    assert log.text.count("<code>report.ready</code>") == 2
    assert console.post(f"{path}/delete").status_code == 303
    assert console.browser.get(path).status_code == 404


def test_another_workspaces_ids_give_the_not_found_page(
    console: Console, other_workspace: Workspace
) -> None:
    foreign = create_assessment(other_workspace.api, title="Not yours")["id"]
    (person,) = add_respondents(other_workspace.api, foreign, "manager")
    for path in (
        f"/console/assessments/{foreign}",
        f"/console/assessments/{foreign}/results",
        f"/console/assessments/{foreign}/report.pdf",
    ):
        page = console.browser.get(path)
        assert page.status_code == 404, path
        assert "Not yours" not in page.text
    for path in (
        f"/console/assessments/{foreign}/close",
        f"/console/assessments/{foreign}/respondents/{person['id']}/remove",
    ):
        assert console.post(path).status_code == 404, path
    still = expect(other_workspace.api.get(f"/api/v1/assessments/{foreign}/respondents"), 200)
    assert len(still["respondents"]) == 1
