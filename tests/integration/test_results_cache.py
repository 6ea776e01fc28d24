"""Cached results stay right when another server process changes the assessment.

Each server process keeps its own cache of computed results, checked on every read against
the results version in the database. Here a second server on the same database makes every
kind of change while the first one holds the results in its cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from tests.integration.conftest import Workspace
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer, running_server


@pytest.fixture
def second_server(server: LiveServer) -> Iterator[LiveServer]:
    """Another server process (its own cache and connections) on the same database."""
    with running_server(server.settings) as other:
        yield other


def _results(api: httpx.Client, url: str, assessment_id: str, flat: bool = False) -> Any:
    query = "?format=flat" if flat else ""
    return expect(api.get(f"{url}/api/v1/assessments/{assessment_id}/results{query}"), 200)


def test_a_cached_read_follows_changes_made_through_another_server(
    workspace: Workspace, second_server: LiveServer
) -> None:
    api, here, there = workspace.api, workspace.server.url, second_server.url
    client = create_client(api, external_ref="crm-before")
    aid = create_assessment(api, client["id"])["id"]
    first, second, third = add_respondents(api, aid, "manager", "manager", "executive")
    for person in (first, second):
        expect(save_answers(api, aid, person["id"], FULL_ANSWERS, submit=True), 200)

    cached = _results(api, here, aid)
    assert cached == _results(api, there, aid)
    assert cached["participation"]["invited"] == 1
    assert _results(api, here, aid) == cached, "an unchanged assessment reads the same"

    # A first save moves the participation counts, though not the scores.
    moved = httpx.post(
        f"{there}/api/v1/assessments/{aid}/respondents/{third['id']}/answers",
        json={"answers": {"plan_horizon": "week"}},
        headers={"Authorization": f"Bearer {third['invite_token']}"},
    )
    expect(moved, 200)
    now_here = _results(api, here, aid)
    assert (now_here["participation"]["invited"], now_here["participation"]["in_progress"]) == (
        0,
        1,
    )
    assert now_here["results"] == cached["results"]

    # A submitted respondent changes an answer: the scores move.
    changed = {**FULL_ANSWERS, "plan_horizon": "none", "late_share": 90}
    expect(
        httpx.post(
            f"{there}/api/v1/assessments/{aid}/respondents/{first['id']}/answers",
            json={"answers": changed},
            headers={"Authorization": f"Bearer {workspace.api_key}"},
        ),
        200,
    )
    rescored = _results(api, here, aid)
    assert rescored["results"]["overall"] != cached["results"]["overall"]
    assert rescored == _results(api, there, aid)

    # The client's CRM reference is part of the results, in both forms.
    expect(
        httpx.patch(
            f"{there}/api/v1/clients/{client['id']}",
            json={"external_ref": "crm-after"},
            headers={"Authorization": f"Bearer {workspace.api_key}"},
        ),
        200,
    )
    assert _results(api, here, aid)["assessment"]["client_external_ref"] == "crm-after"
    flat_here = _results(api, here, aid, flat=True)
    assert flat_here == _results(api, there, aid, flat=True)
    assert flat_here["opsmaturity_respondents_submitted"] == 2

    # Closing shows in the cached form too.
    expect(
        httpx.post(
            f"{there}/api/v1/assessments/{aid}/close",
            headers={"Authorization": f"Bearer {workspace.api_key}"},
        ),
        200,
    )
    assert _results(api, here, aid)["assessment"]["status"] == "closed"


def test_a_cached_read_still_checks_the_caller(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    api, url = workspace.api, workspace.server.url
    aid = create_assessment(api)["id"]
    (person,) = add_respondents(api, aid, "manager")
    expect(save_answers(api, aid, person["id"], FULL_ANSWERS, submit=True), 200)
    _results(api, url, aid)  # now cached

    path = f"/api/v1/assessments/{aid}/results"
    assert other_workspace.api.get(path).status_code == 404
    as_respondent = httpx.get(
        f"{url}{path}", headers={"Authorization": f"Bearer {person['invite_token']}"}
    )
    assert as_respondent.status_code == 403
    assert httpx.get(f"{url}{path}").status_code == 401
    wrong_secret = workspace.api_key[:-4] + (
        "aaaa" if not workspace.api_key.endswith("aaaa") else "bbbb"
    )
    assert (
        httpx.get(f"{url}{path}", headers={"Authorization": f"Bearer {wrong_secret}"}).status_code
        == 401
    )

    with unit_of_work(workspace.server.app.state.runtime.database.engine, writes=True) as session:
        keys = admin.list_api_keys(session=session, workspace_id=workspace.id)
        admin.revoke_api_key(
            session=session, workspace_id=workspace.id, key=keys[0].id, now=utc_now()
        )
    refused = api.get(path)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_reads_during_concurrent_saves_end_on_the_final_results(
    workspace: Workspace, second_server: LiveServer
) -> None:
    api, here = workspace.api, workspace.server.url
    aid = create_assessment(api)["id"]
    people = add_respondents(api, aid, *(["manager"] * 12))
    items = list(FULL_ANSWERS.items())

    def answer(person: dict[str, Any]) -> None:
        with httpx.Client(
            base_url=second_server.url,
            headers={"Authorization": f"Bearer {person['invite_token']}"},
            timeout=60,
        ) as respondent:
            for position, (item_id, value) in enumerate(items):
                expect(
                    respondent.post(
                        f"/api/v1/assessments/{aid}/respondents/{person['id']}/answers",
                        json={"answers": {item_id: value}, "submit": position == len(items) - 1},
                    ),
                    200,
                )

    def read_while_saving() -> int:
        reads = 0
        while reads < 40:
            response = api.get(f"/api/v1/assessments/{aid}/results")
            assert response.status_code in (200, 409), response.text  # 409: none submitted yet
            reads += 1
        return reads

    with ThreadPoolExecutor(max_workers=len(people) + 1) as pool:
        reader = pool.submit(read_while_saving)
        list(pool.map(answer, people))
        assert reader.result() == 40

    final = _results(api, here, aid)
    assert final["participation"]["submitted"] == len(people)
    assert final["results"]["respondent_count"] == len(people)
    assert final == _results(api, second_server.url, aid)
