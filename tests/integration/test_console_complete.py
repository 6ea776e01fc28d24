"""The console's clients, deletions, results CSV, completion refresh and archived
self-assessment starts, through HTTP as a browser without JavaScript uses them; on both
databases."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from app.models import Assessment, AuditEvent, utc_now
from app.persistence.unit_of_work import unit_of_work
from tests.integration.console_session import Console, open_self_assessment, signed_in
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    console = signed_in(server)
    yield console
    console.close()


def _text(response: httpx.Response) -> str:
    return html.unescape(response.text)


def _audit_actions(server: LiveServer, workspace_id: str) -> list[str]:
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        return list(
            session.exec(
                select(AuditEvent.action).where(AuditEvent.workspace_id == workspace_id)
            ).all()
        )


def test_a_client_is_edited_and_a_refused_edit_keeps_what_was_typed(
    console: Console, server: LiveServer
) -> None:
    client = create_client(console.api, name="Acme Logistics", external_ref="crm-1")
    create_client(console.api, name="Borealis Freight", external_ref="crm-2")
    path = f"/console/clients/{client['id']}"
    listed = console.browser.get("/console/clients")
    assert f'href="{path}"' in listed.text
    form = console.browser.get(path)
    assert form.status_code == 200
    assert 'value="Acme Logistics"' in form.text and 'value="crm-1"' in form.text
    assert f'href="{path}/delete"' in form.text

    refused = console.post(
        path,
        {"name": " ", "industry": "Freight by rail", "size_band": "huge", "external_ref": "crm-2"},
    )
    assert refused.status_code == 422
    page = _text(refused)
    assert "enter the client's name" in page
    assert "choose one of the size bands" in page
    assert "another client already has this reference" in page
    assert 'value="Freight by rail"' in page and 'value="crm-2"' in page
    unchanged = expect(console.api.get(f"/api/v1/clients/{client['id']}"), 200)
    assert unchanged["name"] == "Acme Logistics" and unchanged["external_ref"] == "crm-1"

    # Its own reference is no conflict; a blank optional field clears it.
    kept = console.post(path, {"name": "Acme Rail", "size_band": "11-50", "external_ref": "crm-1"})
    assert kept.status_code == 303
    assert kept.headers["location"] == "/console/clients?done=client-saved"
    saved = console.post(path, {"name": "Acme Rail", "industry": "Rail", "size_band": "11-50"})
    assert saved.status_code == 303
    assert "Client saved." in console.browser.get(saved.headers["location"]).text
    now = expect(console.api.get(f"/api/v1/clients/{client['id']}"), 200)
    assert (now["name"], now["industry"], now["size_band"], now["external_ref"]) == (
        "Acme Rail",
        "Rail",
        "11-50",
        None,
    )
    assert _audit_actions(server, console.workspace_id).count("client.updated") == 2


def test_a_client_is_deleted_with_its_assessments_after_a_page_that_names_them(
    console: Console, server: LiveServer
) -> None:
    client = create_client(console.api, name="Doomed Ltd")
    kept = create_assessment(console.api, title="Another client's round")
    first = create_assessment(console.api, client["id"], title="Round one")
    second = create_assessment(console.api, client["id"], title="Round two")
    people = add_respondents(console.api, first["id"], "manager", "executive")
    (late,) = add_respondents(console.api, second["id"], "manager")
    expect(save_answers(console.api, first["id"], people[0]["id"], FULL_ANSWERS, submit=True), 200)
    expect(save_answers(console.api, second["id"], late["id"], {"plan_horizon": "week"}), 200)
    path = f"/console/clients/{client['id']}/delete"

    confirm = console.browser.get(path)
    assert confirm.status_code == 200
    page = _text(confirm)
    assert "Delete Doomed Ltd?" in page
    assert "2 assessments" in page and "3 respondents" in page
    assert f"{len(FULL_ANSWERS) + 1} answers" in page
    # Looking deletes nothing.
    expect(console.api.get(f"/api/v1/assessments/{first['id']}"), 200)

    deleted = console.post(path)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/console/clients?done=client-deleted"
    after = console.browser.get(deleted.headers["location"])
    assert "Client deleted, with its assessments, respondents and answers." in after.text
    assert "Doomed Ltd" not in after.text
    expect(console.api.get(f"/api/v1/clients/{client['id']}"), 404)
    for gone in (first, second):
        expect(console.api.get(f"/api/v1/assessments/{gone['id']}"), 404)
    assert console.browser.get(f"/r/{people[0]['invite_token']}").status_code == 404
    expect(console.api.get(f"/api/v1/assessments/{kept['id']}"), 200)
    assert "client.deleted" in _audit_actions(server, console.workspace_id)
    assert console.browser.get(path).status_code == 404
    assert console.post(path).status_code == 404


def test_an_assessment_is_deleted_after_a_page_that_names_its_respondents_and_answers(
    console: Console, server: LiveServer
) -> None:
    assessment = create_assessment(console.api, title="Leadership pulse")
    sibling = create_assessment(console.api, assessment["client_id"], title="Next round")
    (person,) = add_respondents(console.api, assessment["id"], "manager")
    expect(save_answers(console.api, assessment["id"], person["id"], {"plan_horizon": "week"}), 200)
    base = f"/console/assessments/{assessment['id']}"
    assert f'href="{base}/delete"' in console.browser.get(base).text

    confirm = _text(console.browser.get(f"{base}/delete"))
    assert "Delete Leadership pulse?" in confirm
    assert "1 respondent" in confirm and "1 answer" in confirm
    assert "1 respondents" not in confirm and "1 answers" not in confirm

    deleted = console.post(f"{base}/delete")
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/console?done=assessment-deleted"
    dashboard = console.browser.get(deleted.headers["location"])
    assert "Assessment deleted, with its respondents and answers." in dashboard.text
    assert "Leadership pulse" not in dashboard.text and "Next round" in dashboard.text
    expect(console.api.get(f"/api/v1/assessments/{assessment['id']}"), 404)
    expect(console.api.get(f"/api/v1/assessments/{sibling['id']}"), 200)
    assert console.browser.get(base).status_code == 404
    assert "assessment.deleted" in _audit_actions(server, console.workspace_id)


def test_the_results_csv_downloads_from_the_results_page(console: Console) -> None:
    assessment = create_assessment(console.api, title="Numbers round")
    base = f"/console/assessments/{assessment['id']}"
    waiting = console.browser.get(f"{base}/results.csv")
    assert waiting.status_code == 409 and "<h1>" in waiting.text

    (person,) = add_respondents(console.api, assessment["id"], "manager")
    expect(
        save_answers(console.api, assessment["id"], person["id"], FULL_ANSWERS, submit=True), 200
    )
    assert f'href="{base}/results.csv"' in console.browser.get(f"{base}/results").text
    download = console.browser.get(f"{base}/results.csv")
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    api = console.api.get(f"/api/v1/assessments/{assessment['id']}/results.csv")
    assert download.text == api.text
    assert download.headers["content-disposition"] == api.headers["content-disposition"]
    assert download.headers["content-disposition"].startswith("attachment;")


def test_the_completion_refreshes_while_the_assessment_is_open(console: Console) -> None:
    assessment = create_assessment(console.api, title="Live round")
    first, second = add_respondents(console.api, assessment["id"], "manager", "executive")
    base = f"/console/assessments/{assessment['id']}"
    page = console.browser.get(base)
    assert f'data-live-refresh="{base}/completion"' in page.text
    assert "Reload the page to see who has answered since." in page.text

    before = console.browser.get(f"{base}/completion")
    assert before.status_code == 200
    assert 'data-live-status="open"' in before.text
    assert 'data-live="completion"' in before.text and 'data-live="respondents"' in before.text
    assert "0 of 2 submitted" in before.text and "<html" not in before.text
    expect(save_answers(console.api, assessment["id"], first["id"], FULL_ANSWERS, submit=True), 200)
    expect(save_answers(console.api, assessment["id"], second["id"], {"plan_horizon": "week"}), 200)
    after = console.browser.get(f"{base}/completion")
    assert "1 of 2 submitted" in after.text
    assert ">Submitted<" in after.text and ">In progress<" in after.text
    # The Remove forms put in place carry the session's form token.
    assert f'value="{console.csrf_token}"' in after.text

    expect(console.api.post(f"/api/v1/assessments/{assessment['id']}/close"), 200)
    assert 'data-live-status="closed"' in console.browser.get(f"{base}/completion").text
    assert "data-live-refresh" not in console.browser.get(base).text


def test_the_page_script_refreshes_the_completion() -> None:
    """app.js has no test runner of its own: this pins the contract the templates rely on."""
    from app.web.templating import STATIC_DIR

    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    for hook in ("[data-live-refresh]", "[data-live-status]", "[data-live-note]", "data-live="):
        assert hook in script


def test_abandoned_self_assessment_starts_are_archived_and_still_resume(
    console: Console, server: LiveServer
) -> None:
    assert server.settings.self_assessment_archive_after_days == 14
    client_id = create_client(console.api, name="Online self-assessments")["id"]

    def started(title: str, days_ago: int, *, submitted: bool = False) -> tuple[str, str]:
        assessment_id = open_self_assessment(server, console.workspace_id, client_id, title=title)
        (person,) = add_respondents(console.api, assessment_id, "executive")
        token = person["invite_token"]
        answers = FULL_ANSWERS if submitted else {"plan_horizon": "week"}
        expect(
            save_answers(
                console.api, assessment_id, person["id"], answers, submit=submitted, token=token
            ),
            200,
        )
        if submitted:
            expect(console.api.post(f"/api/v1/assessments/{assessment_id}/close"), 200)
        with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
            session.execute(
                update(Assessment)
                .where(col(Assessment.id) == assessment_id)
                .values(created_at=utc_now() - timedelta(days=days_ago))
            )
        return assessment_id, token

    abandoned, abandoned_token = started("Abandoned start", 15)
    started("Recent start", 13)
    started("Old but submitted", 30, submitted=True)

    dashboard = _text(console.browser.get("/console"))
    recent = dashboard.split('id="self-heading"')[1]
    assert "Recent start" in recent and "Old but submitted" in recent
    assert "Abandoned start" not in recent
    assert "1 self-assessment started more than 14 days ago and never submitted is archived" in (
        recent
    )
    assert 'href="/console/self-assessments/archived"' in recent

    archived = _text(console.browser.get("/console/self-assessments/archived"))
    assert f'href="/console/assessments/{abandoned}"' in archived
    assert "Abandoned start" in archived and "Some saved" in archived
    assert "Recent start" not in archived and "Old but submitted" not in archived
    # Nothing about it changed: it is still open, and the person's link resumes it.
    assert console.browser.get(f"/console/assessments/{abandoned}").status_code == 200
    assert expect(console.api.get(f"/api/v1/assessments/{abandoned}"), 200)["status"] == "open"
    resumed = httpx.get(f"{server.url}/r/{abandoned_token}", timeout=30)
    assert resumed.status_code == 200


def test_a_workspace_without_archived_starts_says_so(console: Console) -> None:
    dashboard = console.browser.get("/console")
    assert "/console/self-assessments/archived" not in dashboard.text
    archived = _text(console.browser.get("/console/self-assessments/archived"))
    assert "None: every self-assessment started more than 14 days ago was submitted." in archived


def test_another_workspaces_client_and_assessment_ids_give_the_not_found_page(
    console: Console, server: LiveServer
) -> None:
    other = signed_in(server, firm="Other Firm")
    try:
        client = create_client(other.api, name="Not yours Ltd")
        assessment = create_assessment(other.api, client["id"], title="Not yours round")
        (person,) = add_respondents(other.api, assessment["id"], "manager")
        expect(
            save_answers(other.api, assessment["id"], person["id"], FULL_ANSWERS, submit=True), 200
        )
        client_path = f"/console/clients/{client['id']}"
        base = f"/console/assessments/{assessment['id']}"
        for path in (
            client_path,
            f"{client_path}/delete",
            f"{base}/delete",
            f"{base}/completion",
            f"{base}/results.csv",
        ):
            page = console.browser.get(path)
            assert page.status_code == 404, path
            assert "Not yours" not in page.text, path
        for path, form in (
            (client_path, {"name": "Taken over"}),
            (f"{client_path}/delete", {}),
            (f"{base}/delete", {}),
        ):
            assert console.post(path, form).status_code == 404, path
        kept = expect(other.api.get(f"/api/v1/clients/{client['id']}"), 200)
        assert kept["name"] == "Not yours Ltd"
        expect(other.api.get(f"/api/v1/assessments/{assessment['id']}"), 200)
        archived = console.browser.get("/console/self-assessments/archived")
        assert "Not yours" not in archived.text
    finally:
        other.close()
