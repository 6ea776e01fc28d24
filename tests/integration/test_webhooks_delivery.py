"""Webhooks delivered by a live server to a real receiver on 127.0.0.1, on SQLite and
PostgreSQL: every event type, signed per Standard Webhooks (checked with the reference
library), logged, retried with the same webhook-id, and redelivered by hand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from app.main import seal_webhook_secrets
from app.models import WebhookEndpoint, utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.services.secret_sealing import SecretSealer
from app.services.webhook_events import EVENT_TYPES, record_assessment_event, record_event
from tests.integration.conftest import Workspace, new_workspace
from tests.integration.databases import fresh_database
from tests.integration.flow import (
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer, running_server
from tests.integration.webhook_receiver import (
    Received,
    WebhookReceiver,
    create_endpoint,
    delivery_log,
    fast_webhook_settings,
    receiving,
    submit_everyone,
    wait_until,
)


@pytest.fixture(scope="module")
def webhook_server(
    backend: str, questionnaires_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(f"webhooks-{backend}")
    with (
        fresh_database(backend, folder) as url,
        running_server(fast_webhook_settings(url, questionnaires_dir)) as live,
    ):
        yield live


@pytest.fixture
def hooks(webhook_server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(webhook_server)
    yield created
    created.api.close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with receiving() as running:
        yield running


def verified(received: Received, secret: str) -> dict[str, Any]:
    """The payload, after the reference implementation checked the signature."""
    payload: dict[str, Any] = Webhook(secret).verify(received.body, received.headers)
    return payload


def test_every_event_type_is_delivered_signed_and_logged(
    hooks: Workspace, receiver: WebhookReceiver
) -> None:
    api = hooks.api
    endpoint = create_endpoint(api, f"{receiver.url}/crm", *EVENT_TYPES)
    # Neither of these hears anything: one subscribes to another type, one is disabled.
    create_endpoint(api, f"{receiver.url}/reports-only", "report.ready")
    create_endpoint(api, f"{receiver.url}/off", *EVENT_TYPES, enabled=False)
    client = create_client(api, external_ref="crm-42")
    assessment = create_assessment(api, client["id"])
    aid = assessment["id"]
    people = add_respondents(api, aid, "manager", "executive")
    expect(save_answers(api, aid, people[0]["id"], {"plan_horizon": "week"}), 200)  # no event
    expect(api.post(f"/api/v1/assessments/{aid}/reminders"), 200)  # reminded
    submit_everyone(api, aid, people)
    # Every invited respondent has submitted: closing does not complete it a second time.
    expect(api.post(f"/api/v1/assessments/{aid}/close"), 200)
    expect(api.get(f"/api/v1/assessments/{aid}/report.html"), 200)
    with unit_of_work(hooks.server.app.state.runtime.database.engine, writes=True) as session:
        record_assessment_event(
            session=session,
            catalog=hooks.server.app.state.runtime.catalog,
            workspace_id=hooks.id,
            event_type="self_assessment.submitted",
            assessment_id=aid,
            extra={"respondent_id": people[0]["id"]},
        )
        record_event(  # what an erasure records (tests/integration/test_erasure.py)
            session=session,
            workspace_id=hooks.id,
            event_type="respondent.erased",
            data={"assessment_id": aid, "mode": "anonymised", "respondent_id": "rsp_x"},
        )
        colleague, _ = admin.add_workspace_user(
            session=session,
            workspace_id=hooks.id,
            email=f"colleague-{aid}@example.org",
            name="Cole League",
            role="viewer",
            password="correct horse battery staple",
            now=utc_now(),
        )

    def crm_types() -> set[str] | None:
        types = {json.loads(r.body)["type"] for r in receiver.received if r.path == "/crm"}
        return types if types == set(EVENT_TYPES) else None

    wait_until(crm_types)
    payloads = [verified(r, endpoint["secret"]) for r in receiver.received if r.path == "/crm"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for payload in payloads:
        by_type.setdefault(payload["type"], []).append(payload)
    assert len(by_type["respondent.submitted"]) == 2
    assert len(by_type["assessment.scored"]) == 2
    assert [p["data"]["reason"] for p in by_type["assessment.completed"]] == ["all_submitted"]
    assert {p["data"]["respondent_id"] for p in by_type["respondent.submitted"]} == {
        p["id"] for p in people
    }
    (erased,) = by_type.pop("respondent.erased")
    assert erased["data"] == {"assessment_id": aid, "mode": "anonymised", "respondent_id": "rsp_x"}
    (member,) = by_type.pop("workspace.member_added")
    assert member["data"] == {
        "workspace_id": hooks.id,
        "user_id": colleague.id,
        "name": "Cole League",
        "email": f"colleague-{aid}@example.org",
        "role": "viewer",
        "joined_at": member["timestamp"],
    }
    for payload in (p for typed in by_type.values() for p in typed):
        assert set(payload) == {"type", "timestamp", "version", "data"}
        assert payload["version"] == 1 and payload["timestamp"].endswith("Z")
        data = payload["data"]
        assert (data["assessment_id"], data["client_id"]) == (aid, client["id"])
        assert data["external_ref"] == "crm-42"
        fields = data["fields"]
        if payload["type"] in {"respondent.invited", "respondent.reminded"}:
            assert fields is None  # sent before anyone submitted: no results yet
            continue
        assert fields["opsmaturity_assessment_id"] == aid
        assert fields["opsmaturity_client_external_ref"] == "crm-42"
        assert fields["opsmaturity_overall_stage"] is not None
    completed = by_type["assessment.completed"][0]["data"]["fields"]
    assert completed["opsmaturity_respondents_submitted"] == 2
    ready = by_type["report.ready"][0]["data"]
    assert ready["report_url"].startswith(f"https://opsmaturity.test/api/v1/assessments/{aid}/")
    assert ready["format"] in {"html", "pdf"}

    # The log shows each delivery with its attempt and the receiver's status code (a second
    # report.ready may still be on its way: the server pre-renders closed assessments' PDFs).
    def settled_log() -> list[dict[str, Any]] | None:
        log = delivery_log(api, endpoint["id"])
        sent = {r.headers["webhook-id"] for r in receiver.received if r.path == "/crm"}
        done = {d["event_id"] for d in log if d["status"] == "succeeded"}
        return log if sent <= done else None

    for delivery in wait_until(settled_log):
        assert delivery["status"] in {"succeeded", "pending", "sending"}, delivery
        if delivery["status"] == "succeeded":
            assert [a["status_code"] for a in delivery["attempts"]] == [200]
            assert delivery["payload"]["type"] == delivery["event_type"]
    assert {r.path for r in receiver.received} == {"/crm", "/reports-only"}


def test_closing_an_assessment_completes_it(hooks: Workspace, receiver: WebhookReceiver) -> None:
    api = hooks.api
    endpoint = create_endpoint(api, receiver.url, "assessment.completed")
    aid = create_assessment(api)["id"]
    people = add_respondents(api, aid, "manager", "manager")
    submit_everyone(api, aid, people[:1])
    expect(api.post(f"/api/v1/assessments/{aid}/close"), 200)
    (received,) = receiver.wait_for(1)
    data = verified(received, endpoint["secret"])["data"]
    assert (data["reason"], data["status"]) == ("closed", "closed")
    assert data["fields"]["opsmaturity_respondents_submitted"] == 1
    assert data["fields"]["opsmaturity_respondents_invited"] == 2


def test_removing_respondents_rescores_and_can_complete_the_assessment(
    hooks: Workspace, receiver: WebhookReceiver
) -> None:
    api = hooks.api
    endpoint = create_endpoint(api, receiver.url, "assessment.scored", "assessment.completed")
    aid = create_assessment(api)["id"]
    people = add_respondents(api, aid, "manager", "manager", "executive")
    submit_everyone(api, aid, people[:2])
    receiver.wait_for(2)  # two submissions: the results changed twice

    def events(count: int) -> list[dict[str, Any]]:
        return [verified(r, endpoint["secret"]) for r in receiver.wait_for(count)]

    # The one who had not submitted leaves: everyone left has submitted. The results stand.
    expect(api.delete(f"/api/v1/assessments/{aid}/respondents/{people[2]['id']}"), 204)
    completed = events(3)[2]
    assert (completed["type"], completed["data"]["reason"]) == (
        "assessment.completed",
        "all_submitted",
    )
    assert completed["data"]["fields"]["opsmaturity_respondents_invited"] == 2
    # A submitted respondent leaves: their answers leave the results.
    expect(api.delete(f"/api/v1/assessments/{aid}/respondents/{people[1]['id']}"), 204)
    rescored = events(4)[3]
    assert rescored["type"] == "assessment.scored"
    assert rescored["data"]["fields"]["opsmaturity_respondents_submitted"] == 1
    # Closing completes nothing more: everyone left had submitted.
    expect(api.post(f"/api/v1/assessments/{aid}/close"), 200)
    expect(api.delete(f"/api/v1/assessments/{aid}/respondents/{people[0]['id']}"), 204)
    assert [event["type"] for event in events(5)][4:] == ["assessment.scored"]


def test_a_receiver_that_fails_then_recovers_gets_the_event_with_one_webhook_id(
    hooks: Workspace, receiver: WebhookReceiver
) -> None:
    api = hooks.api
    receiver.answer_next(500, 503)
    endpoint = create_endpoint(api, receiver.url, "respondent.submitted")
    aid = create_assessment(api)["id"]
    submit_everyone(api, aid, add_respondents(api, aid, "manager"))
    attempts = receiver.wait_for(3)
    assert len({r.headers["webhook-id"] for r in attempts}) == 1
    assert attempts[0].headers["webhook-id"].startswith("msg_")
    assert len({r.body for r in attempts}) == 1
    for attempt in attempts:
        assert verified(attempt, endpoint["secret"])["type"] == "respondent.submitted"
    (delivery,) = wait_until(
        lambda: [d for d in delivery_log(api, endpoint["id"]) if d["status"] == "succeeded"]
    )
    assert delivery["event_id"] == attempts[0].headers["webhook-id"]
    assert delivery["attempt_count"] == 3
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 503, 200]
    assert [a["attempt"] for a in delivery["attempts"]] == [1, 2, 3]


def test_after_the_last_attempt_a_delivery_fails_and_can_be_redelivered(
    hooks: Workspace, receiver: WebhookReceiver
) -> None:
    api = hooks.api
    receiver.default_status = 500
    endpoint = create_endpoint(api, receiver.url, "respondent.submitted")
    aid = create_assessment(api)["id"]
    submit_everyone(api, aid, add_respondents(api, aid, "manager"))
    (failed,) = wait_until(
        lambda: [d for d in delivery_log(api, endpoint["id"]) if d["status"] == "failed"]
    )
    max_attempts = hooks.server.settings.webhooks_max_attempts
    assert [a["status_code"] for a in failed["attempts"]] == [500] * max_attempts
    assert len(receiver.received) == max_attempts

    receiver.default_status = 200
    again = expect(api.post(f"/api/v1/webhook-deliveries/{failed['id']}/redeliver"), 201)
    assert again["id"] != failed["id"] and again["event_id"] == failed["event_id"]
    received = receiver.wait_for(max_attempts + 1)
    assert {r.headers["webhook-id"] for r in received} == {failed["event_id"]}
    wait_until(
        lambda: (
            expect(api.get(f"/api/v1/webhook-deliveries/{again['id']}"), 200)["status"]
            == "succeeded"
        )
    )
    statuses = {d["id"]: d["status"] for d in delivery_log(api, endpoint["id"])}
    assert statuses == {failed["id"]: "failed", again["id"]: "succeeded"}


def test_after_a_secret_rotation_both_secrets_verify_until_the_overlap_ends(
    hooks: Workspace, receiver: WebhookReceiver
) -> None:
    api = hooks.api
    endpoint = create_endpoint(api, receiver.url, "respondent.submitted")
    path = f"/api/v1/webhook-endpoints/{endpoint['id']}"
    old = endpoint["secret"]
    rotated = expect(api.post(f"{path}/rotate-secret", json={"overlap_seconds": 3600}), 200)
    new = rotated["secret"]
    assert new != old and new.startswith("whsec_")
    assert rotated["previous_secret_expires_at"] is not None
    assert "secret" not in expect(api.get(path), 200)

    aid = create_assessment(api)["id"]
    submit_everyone(api, aid, add_respondents(api, aid, "manager"))
    (during,) = receiver.wait_for(1)
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert verified(during, old) == verified(during, new)

    newest = expect(api.post(f"{path}/rotate-secret", json={"overlap_seconds": 0}), 200)["secret"]
    submit_everyone(api, aid, add_respondents(api, aid, "manager"))
    after = receiver.wait_for(2)[1]
    assert verified(after, newest)["type"] == "respondent.submitted"
    for stale in (old, new):
        with pytest.raises(WebhookVerificationError):
            verified(after, stale)


def stored_secrets(hooks: Workspace, endpoint_id: str) -> tuple[str, str | None]:
    """The endpoint's secret and previous secret as the database holds them."""
    with unit_of_work(hooks.server.app.state.runtime.database.engine) as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        assert endpoint is not None
        return endpoint.secret, endpoint.previous_secret


def store_secret(hooks: Workspace, endpoint_id: str, stored: str) -> None:
    with unit_of_work(hooks.server.app.state.runtime.database.engine, writes=True) as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        assert endpoint is not None
        endpoint.secret = stored
        session.add(endpoint)


def test_signing_secrets_are_stored_sealed(hooks: Workspace, receiver: WebhookReceiver) -> None:
    """A copy of the database shows no secret that could sign a request."""
    api = hooks.api
    endpoint = create_endpoint(api, receiver.url, "respondent.submitted")
    path = f"/api/v1/webhook-endpoints/{endpoint['id']}"
    rotated = expect(api.post(f"{path}/rotate-secret", json={"overlap_seconds": 3600}), 200)

    secret, previous = stored_secrets(hooks, endpoint["id"])
    assert previous is not None
    for stored in (secret, previous):
        assert stored.startswith("sealed:") and "whsec_" not in stored
    for shown in (endpoint["secret"], rotated["secret"]):
        assert shown.removeprefix("whsec_") not in secret + previous


def test_a_secret_stored_before_sealing_is_sealed_at_start_up_and_keeps_signing(
    hooks: Workspace, receiver: WebhookReceiver
) -> None:
    api = hooks.api
    endpoint = create_endpoint(api, receiver.url, "respondent.submitted")
    store_secret(hooks, endpoint["id"], endpoint["secret"])  # as it was kept before

    seal_webhook_secrets(hooks.server.app.state.runtime.database.engine, hooks.server.settings)
    seal_webhook_secrets(
        hooks.server.app.state.runtime.database.engine, hooks.server.settings
    )  # idempotent

    assert stored_secrets(hooks, endpoint["id"])[0].startswith("sealed:")
    aid = create_assessment(api)["id"]
    submit_everyone(api, aid, add_respondents(api, aid, "manager"))
    (received,) = receiver.wait_for(1)
    assert verified(received, endpoint["secret"])["type"] == "respondent.submitted"


def test_a_secret_the_key_does_not_open_fails_its_delivery_with_what_to_do(
    hooks: Workspace, receiver: WebhookReceiver
) -> None:
    """As after OPSMATURITY_SECRET_KEY changed: nothing is sent, the log says to rotate."""
    api = hooks.api
    endpoint = create_endpoint(api, receiver.url, "respondent.submitted")
    other_key = SecretSealer.from_secret_key("the key before it changed")
    store_secret(
        hooks, endpoint["id"], other_key.seal(endpoint["secret"], endpoint_id=endpoint["id"])
    )

    aid = create_assessment(api)["id"]
    submit_everyone(api, aid, add_respondents(api, aid, "manager"))
    (delivery,) = wait_until(
        lambda: [d for d in delivery_log(api, endpoint["id"]) if d["attempts"]]
    )
    error = delivery["attempts"][0]["error"]
    assert "OPSMATURITY_SECRET_KEY" in error and "rotate the endpoint's secret" in error
    assert receiver.received == []
