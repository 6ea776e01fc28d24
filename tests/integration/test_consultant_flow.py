"""The whole consultant flow through the API: client -> assessment -> respondents -> answers ->
results as nested JSON, flat fields and CSV."""

from __future__ import annotations

import csv
import io

import httpx

from app.services.results_csv import TEAM_RESPONDENT_ROWS_NOTE
from tests.integration.conftest import Workspace
from tests.integration.console_session import open_self_assessment
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)


def test_consultant_flow(workspace: Workspace) -> None:
    api = workspace.api
    catalog = expect(api.get("/api/v1/questionnaires"), 200)["questionnaires"]
    assert [(q["id"], q["version"]) for q in catalog] == [("example", "1.0.0")]
    detail = expect(api.get("/api/v1/questionnaires/example"), 200)
    assert [s["id"] for s in detail["stage_model"]["stages"]] == ["ad_hoc", "steady", "strong"]
    assert detail["questionnaire"]["dimensions"][0]["id"] == "delivery"

    client = create_client(
        api, industry="Logistics", size_band="51-200", external_ref="hubspot-981"
    )
    assert expect(api.get("/api/v1/clients/by-external-ref/hubspot-981"), 200)["id"] == client["id"]
    renamed = expect(
        api.patch(f"/api/v1/clients/{client['id']}", json={"name": "Acme Freight"}), 200
    )
    assert (renamed["name"], renamed["external_ref"]) == ("Acme Freight", "hubspot-981")

    assessment = create_assessment(
        api,
        client["id"],
        targets={"overall": "strong", "dimensions": {"tooling": "steady"}},
    )
    assert assessment["status"] == "open"
    assert assessment["questionnaire_version"] == "1.0.0" and len(assessment["content_hash"]) == 64
    aid = assessment["id"]

    people = add_respondents(api, aid, "manager", "manager", "manager", "executive", "manager")
    assert all(p["invite_url"].startswith("https://opsmaturity.test/r/om_inv_") for p in people)
    assert len({p["invite_token"] for p in people}) == len(people)

    # Four respondents answer with their own invite tokens, in two partial saves each.
    for person in people[:4]:
        first_half = dict(list(FULL_ANSWERS.items())[:5])
        rest = dict(list(FULL_ANSWERS.items())[5:])
        saved = expect(
            save_answers(api, aid, person["id"], first_half, token=person["invite_token"]), 200
        )
        assert saved["status"] == "in_progress" and saved["answered_items"] == 5
        done = expect(
            save_answers(api, aid, person["id"], rest, submit=True, token=person["invite_token"]),
            200,
        )
        assert done["status"] == "submitted" and done["answers"] == FULL_ANSWERS
    # The fifth is half-way: listed as in progress, not counted in results.
    expect(save_answers(api, aid, people[4]["id"], {"plan_horizon": "none"}), 200)
    listed = expect(api.get(f"/api/v1/assessments/{aid}/respondents"), 200)["respondents"]
    status = {r["id"]: r["status"] for r in listed}
    assert status == {p["id"]: "submitted" for p in people[:4]} | {people[4]["id"]: "in_progress"}
    assert "invite_token" not in listed[0]

    nested = expect(api.get(f"/api/v1/assessments/{aid}/results"), 200)
    assert nested["participation"] == {
        "total": 5,
        "invited": 0,
        "in_progress": 1,
        "submitted": 4,
        "counted": "submitted respondents only",
    }
    results = nested["results"]
    assert results["respondent_count"] == 4
    assert results["overall"]["stage"]["id"] in {"ad_hoc", "steady", "strong"}
    assert [d["id"] for d in results["dimensions"]] == ["delivery", "tooling", "rhythm"]
    assert {t["subject"] for t in results["targets"]} == {
        "delivery",
        "tooling",
        "rhythm",
        "overall",
    }
    assert results["recommendations"], "a team short of its targets gets recommendations"
    assert "respondents" not in results, "individual respondents never appear in the API results"
    assert nested["assessment"]["client_external_ref"] == "hubspot-981"

    flat = expect(api.get(f"/api/v1/assessments/{aid}/results", params={"format": "flat"}), 200)
    assert flat["opsmaturity_assessment_id"] == aid
    assert flat["opsmaturity_client_external_ref"] == "hubspot-981"
    assert flat["opsmaturity_overall_score"] == results["overall"]["score"]
    assert flat["opsmaturity_overall_stage"] == results["overall"]["stage"]["id"]
    assert flat["opsmaturity_overall_stage_name"] == results["overall"]["stage"]["name"]
    assert flat["opsmaturity_tooling_score"] == results["dimensions"][1]["score"]
    assert flat["opsmaturity_respondents_submitted"] == 4
    assert flat["opsmaturity_completeness"] == results["completeness"]
    assert flat["opsmaturity_quadrant"] == results["quadrant"]["id"]
    # Four identical answer sets: nothing contested, a zero-width interval, not borderline.
    assert (flat["opsmaturity_contested_dimensions"], flat["opsmaturity_borderline"]) == ("", 0)
    assert flat["opsmaturity_overall_low"] == flat["opsmaturity_overall_high"]
    assert flat["opsmaturity_overall_low"] == results["overall"]["interval"]["low"]
    assert flat["opsmaturity_delivery_contested"] == 0
    assert results["overall"]["contested_dimensions"] == []
    assert results["findings"][0]["text"]
    assert all(not isinstance(v, dict | list) for v in flat.values())

    response = api.get(f"/api/v1/assessments/{aid}/results.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    team = [r for r in rows if r["section"] == "team"]
    assert [r["subject"] for r in team] == ["overall", "delivery", "tooling", "rhythm"]
    # Rows per respondent beside the group figures would let rows be matched to groups.
    assert [r["section"] for r in rows[len(team) :]] == ["note"]
    assert rows[-1]["note"] == TEAM_RESPONDENT_ROWS_NOTE
    for secret in ("Person", "@client.example", "rsp_"):
        assert secret not in response.text

    closed = expect(api.post(f"/api/v1/assessments/{aid}/close"), 200)
    assert closed["status"] == "closed" and closed["closed_at"]
    refused = save_answers(
        api, aid, people[0]["id"], {"plan_horizon": "none"}, token=people[0]["invite_token"]
    )
    assert refused.status_code == 409
    assert expect(api.post(f"/api/v1/assessments/{aid}/reopen"), 200)["status"] == "open"

    expect(api.delete(f"/api/v1/clients/{client['id']}"), 204)
    assert api.get(f"/api/v1/assessments/{aid}").status_code == 404
    assert api.get(f"/api/v1/clients/{client['id']}").status_code == 404


def test_results_follow_new_submissions(workspace: Workspace) -> None:
    api = workspace.api
    aid = create_assessment(api)["id"]
    people = add_respondents(api, aid, "manager", "manager")
    assert api.get(f"/api/v1/assessments/{aid}/results").status_code == 409
    expect(save_answers(api, aid, people[0]["id"], FULL_ANSWERS, submit=True), 200)
    first = expect(api.get(f"/api/v1/assessments/{aid}/results"), 200)
    assert first["results"]["respondent_count"] == 1
    worse = {**FULL_ANSWERS, "plan_horizon": "none", "weekly_review": "rarely"}
    expect(save_answers(api, aid, people[1]["id"], worse, submit=True), 200)
    second = expect(api.get(f"/api/v1/assessments/{aid}/results"), 200)
    assert second["results"]["respondent_count"] == 2
    assert second["results"]["overall"]["score"] < first["results"]["overall"]["score"]
    # A submitted respondent may still correct answers while the assessment is open.
    expect(save_answers(api, aid, people[1]["id"], FULL_ANSWERS), 200)
    third = expect(api.get(f"/api/v1/assessments/{aid}/results"), 200)
    assert third["results"]["overall"]["score"] == first["results"]["overall"]["score"]


def test_a_team_csv_has_no_respondent_rows_however_many_submitted(workspace: Workspace) -> None:
    api = workspace.api
    for roles in (("manager", "executive"), ("manager",) * 6):
        aid = create_assessment(api, anonymity_k=3)["id"]
        for person in add_respondents(api, aid, *roles):
            expect(save_answers(api, aid, person["id"], FULL_ANSWERS, submit=True), 200)
        rows = _csv_rows(api, aid)
        assert not [r for r in rows if r["section"] == "respondent"]
        (note,) = [r for r in rows if r["section"] == "note"]
        assert note["note"] == TEAM_RESPONDENT_ROWS_NOTE
        assert next(r for r in rows if r["subject"] == "overall")["n"] == str(len(roles))


def test_a_self_assessment_csv_keeps_its_own_row(workspace: Workspace) -> None:
    api = workspace.api
    client_id = create_client(api, name="Online self-assessments")["id"]
    aid = open_self_assessment(workspace.server, workspace.id, client_id)
    (person,) = add_respondents(api, aid, "executive")
    expect(save_answers(api, aid, person["id"], FULL_ANSWERS, submit=True), 200)
    rows = _csv_rows(api, aid)
    own = [r for r in rows if r["section"] == "respondent"]
    assert [r["subject"] for r in own] == ["overall", "delivery", "tooling", "rhythm"]
    assert {(r["respondent"], r["attributes"]) for r in own} == {("R1", "role=executive")}
    assert not [r for r in rows if r["section"] == "note"]


def _csv_rows(api: httpx.Client, assessment_id: str) -> list[dict[str, str]]:
    response = api.get(f"/api/v1/assessments/{assessment_id}/results.csv")
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def test_progress_against_a_baseline(workspace: Workspace) -> None:
    api = workspace.api
    client_id = create_client(api)["id"]
    before = create_assessment(api, client_id, title="Q1")["id"]
    (person,) = add_respondents(api, before, "manager")
    weak = {**FULL_ANSWERS, "plan_horizon": "none", "weekly_review": "rarely"}
    expect(save_answers(api, before, person["id"], weak, submit=True), 200)
    after = create_assessment(api, client_id, title="Q2", baseline_assessment_id=before)["id"]
    (person,) = add_respondents(api, after, "manager")
    expect(save_answers(api, after, person["id"], FULL_ANSWERS, submit=True), 200)
    progress = expect(api.get(f"/api/v1/assessments/{after}/results"), 200)["results"]["progress"]
    overall = next(p for p in progress if p["subject"] == "overall")
    assert overall["score_change"] > 0


def test_assessment_list_filters_and_pages(workspace: Workspace) -> None:
    api = workspace.api
    client_a = create_client(api, name="A")["id"]
    client_b = create_client(api, name="B")["id"]
    ids = [create_assessment(api, client_a, title=f"A{n}")["id"] for n in range(3)]
    draft = create_assessment(api, client_b, status="draft")
    assert draft["status"] == "draft"

    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = expect(api.get("/api/v1/assessments", params=params), 200)
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [*ids, draft["id"]]

    by_client = expect(api.get("/api/v1/assessments", params={"client_id": client_b}), 200)
    assert [a["id"] for a in by_client["items"]] == [draft["id"]]
    drafts = expect(api.get("/api/v1/assessments", params={"status": "draft"}), 200)
    assert [a["id"] for a in drafts["items"]] == [draft["id"]]

    since = expect(api.get(f"/api/v1/assessments/{ids[0]}"), 200)["updated_at"]
    expect(api.post(f"/api/v1/assessments/{ids[0]}/close"), 200)
    changed = expect(api.get("/api/v1/assessments", params={"updated_since": since}), 200)
    assert ids[0] in [a["id"] for a in changed["items"]]
    later = expect(api.get(f"/api/v1/assessments/{ids[0]}"), 200)["updated_at"]
    assert [
        a["id"]
        for a in expect(api.get("/api/v1/assessments", params={"updated_since": later}), 200)[
            "items"
        ]
    ] == [ids[0]]

    opened = expect(api.post(f"/api/v1/assessments/{draft['id']}/open"), 200)
    assert opened["status"] == "open"
    expect(api.delete(f"/api/v1/assessments/{ids[1]}"), 204)
    assert api.get(f"/api/v1/assessments/{ids[1]}").status_code == 404


def test_clients_list_update_and_lookup(workspace: Workspace) -> None:
    api = workspace.api
    made = [create_client(api, name=f"Client {n}", external_ref=f"crm-{n}")["id"] for n in range(3)]
    page = expect(api.get("/api/v1/clients", params={"limit": 2}), 200)
    rest = expect(
        api.get("/api/v1/clients", params={"limit": 2, "cursor": page["next_cursor"]}), 200
    )
    assert [c["id"] for c in page["items"] + rest["items"]] == made and rest["next_cursor"] is None
    cleared = expect(api.patch(f"/api/v1/clients/{made[0]}", json={"external_ref": None}), 200)
    assert cleared["external_ref"] is None
    assert api.get("/api/v1/clients/by-external-ref/crm-0").status_code == 404
    taken = api.patch(f"/api/v1/clients/{made[1]}", json={"external_ref": "crm-2"})
    assert taken.status_code == 409
