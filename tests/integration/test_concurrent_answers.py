"""Fifty respondents saving answers at once, on a real server: nothing is lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.integration.conftest import Workspace
from tests.integration.flow import FULL_ANSWERS, add_respondents, create_assessment, expect

RESPONDENTS = 50


def test_fifty_respondents_saving_concurrently_lose_nothing(workspace: Workspace) -> None:
    api = workspace.api
    aid = create_assessment(api)["id"]
    people = add_respondents(api, aid, *(["manager"] * RESPONDENTS))
    base = f"{workspace.server.url}/api/v1/assessments/{aid}/respondents"

    def answer_item_by_item(person: dict[str, str]) -> list[int]:
        statuses = []
        headers = {"Authorization": f"Bearer {person['invite_token']}"}
        with httpx.Client(headers=headers, timeout=60) as respondent:
            items = list(FULL_ANSWERS.items())
            for position, (item_id, value) in enumerate(items):
                last = position == len(items) - 1
                response = respondent.post(
                    f"{base}/{person['id']}/answers",
                    json={"answers": {item_id: value}, "submit": last},
                )
                statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=RESPONDENTS) as pool:
        outcomes = list(pool.map(answer_item_by_item, people))
    assert all(status == 200 for statuses in outcomes for status in statuses), outcomes

    for person in people:
        saved = expect(api.get(f"{base}/{person['id']}/answers"), 200)
        assert saved["answers"] == FULL_ANSWERS and saved["status"] == "submitted", person["id"]
    results = expect(api.get(f"/api/v1/assessments/{aid}/results"), 200)
    assert results["participation"]["submitted"] == RESPONDENTS
    assert results["results"]["respondent_count"] == RESPONDENTS
    assert results["results"]["completeness"] == 1.0
