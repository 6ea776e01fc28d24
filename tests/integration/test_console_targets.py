"""The console's target form, as a browser without JavaScript uses it, in a catalog of two
questionnaires: it offers only the chosen questionnaire's stages and questions, when an
assessment is started and when its targets are edited; a bad target is refused with a message
on the page and nothing is saved; the results then show percent-to-target. On both databases.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from app.settings import Settings
from tests.conftest import QUESTIONNAIRES
from tests.integration.console_session import Console, signed_in
from tests.integration.databases import fresh_database
from tests.integration.flow import FULL_ANSWERS, add_respondents, expect, save_answers
from tests.integration.live_server import LiveServer, running_server

# The second questionnaire: the example's, with other stages and one question renamed.
RENAMED = {
    "id: example\n": "id: second-pulse\n",
    "title: Example team pulse": "title: Second pulse",
    "ad_hoc": "firefighting",
    "steady": "settled",
    "strong": "scaling",
    "name: Ad hoc": "name: Firefighting",
    "name: Steady": "name: Settled",
    "name: Strong": "name: Scaling",
    "weekly_review": "cadence_check",
}
EXAMPLE_STAGES = ("ad_hoc", "steady", "strong")
SECOND_STAGES = ("firefighting", "settled", "scaling")


@pytest.fixture(scope="module")
def two_questionnaires(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("two-questionnaires")
    shutil.copytree(QUESTIONNAIRES / "example" / "1.0.0", folder / "example")
    second = folder / "second-pulse"
    shutil.copytree(QUESTIONNAIRES / "example" / "1.0.0", second)
    for path in second.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for old, new in RENAMED.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    with fresh_database(backend, tmp_path_factory.mktemp(f"{backend}-targets")) as url:
        settings = Settings(
            environment="test",
            database_url=url,
            questionnaires_dir=folder,
            base_url="https://opsmaturity.test",
            secure_cookies=False,
            rate_limits=False,
        )
        with running_server(settings) as live:
            yield live


@pytest.fixture
def console(two_questionnaires: LiveServer) -> Iterator[Console]:
    signed = signed_in(two_questionnaires)
    yield signed
    signed.close()


def _options(page: str, name: str) -> list[str]:
    """The option values of the select named `name`."""
    match = re.search(rf'<select[^>]* name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', match.group(1))


def _stage_values(page: str) -> set[str]:
    return {v for v in re.findall(r'<option value="([^"]*)"', page)} & {
        *EXAMPLE_STAGES,
        *SECOND_STAGES,
    }


def _text(page: Any) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


FORM = {"title": "Round one", "new_client_name": "Globex"}


def test_the_new_assessment_form_offers_only_the_chosen_questionnaires_targets(
    console: Console,
) -> None:
    blank = console.browser.get("/console/assessments/new")
    assert blank.status_code == 200
    assert _options(blank.text, "questionnaire_id") == ["", "example", "second-pulse"]
    assert _stage_values(blank.text) == set(), "no stage before a questionnaire is chosen"
    assert "Show this questionnaire's targets" in blank.text

    shown = console.post(
        "/console/assessments/new", {**FORM, "questionnaire_id": "second-pulse", "step": "targets"}
    )
    assert shown.status_code == 200
    assert _options(shown.text, "target_overall") == ["", *SECOND_STAGES]
    assert _stage_values(shown.text) == set(SECOND_STAGES)
    assert 'name="target_item.cadence_check"' in shown.text
    assert 'name="target_item.weekly_review"' not in shown.text
    assert 'name="target_item.improvement_idea"' not in shown.text, "free text takes no target"
    assert _options(shown.text, "target_dimension.tooling") == ["", *SECOND_STAGES]
    assert 'value="Round one"' in shown.text and 'value="Globex"' in shown.text
    assert 'name="targets_for" value="second-pulse"' in shown.text

    # The questionnaire changed after its targets were set (no script to take them out).
    switched = console.post(
        "/console/assessments/new",
        {
            **FORM,
            "questionnaire_id": "example",
            "targets_for": "second-pulse",
            "target_overall": "scaling",
        },
    )
    assert switched.status_code == 422
    assert "the targets were set for another questionnaire" in _text(switched)
    assert _options(switched.text, "target_overall") == ["", *EXAMPLE_STAGES]
    assert 'value="Round one"' in switched.text
    assert expect(console.api.get("/api/v1/assessments"), 200)["items"] == []


def test_targets_are_set_checked_edited_and_shown_in_the_results(console: Console) -> None:
    targets = {
        "questionnaire_id": "example",
        "targets_for": "example",
        "target_overall": "strong",
        "target_dimension.tooling": "steady",
        "target_item.plan_horizon": "quarter",
        "target_item.late_share": "ten",
        "target_item.tools_in_use": ["tracker", "none"],
        "percent_to_target_from": "zero",
    }
    refused = console.post("/console/assessments/new", {**FORM, **targets})
    assert refused.status_code == 422
    text = _text(refused)
    assert "enter a number, for example 25" in text
    assert "'none' cannot be combined with other options" in text
    assert 'href="#field-target_item.late_share"' in refused.text
    assert 'value="ten"' in refused.text, "what was typed stays on the page"
    assert expect(console.api.get("/api/v1/assessments"), 200)["items"] == []

    fixed = {**targets, "target_item.late_share": "10", "target_item.tools_in_use": ["tracker"]}
    created = console.post("/console/assessments/new", {**FORM, **fixed})
    assert created.status_code == 303, created.text
    path = created.headers["location"].split("?")[0]
    assessment_id = path.rsplit("/", 1)[1]
    stored = expect(console.api.get(f"/api/v1/assessments/{assessment_id}"), 200)["targets"]
    assert stored == {
        "overall": "strong",
        "dimensions": {"tooling": "steady"},
        "items": {"plan_horizon": "quarter", "late_share": 10, "tools_in_use": ["tracker"]},
        "percent_to_target_from": "zero",
    }

    page = console.browser.get(path)
    assert f'href="{path}/targets"' in page.text
    edit = console.browser.get(f"{path}/targets")
    assert edit.status_code == 200
    assert _stage_values(edit.text) == set(EXAMPLE_STAGES)
    assert 'name="target_item.cadence_check"' not in edit.text
    assert '<option value="quarter" selected>' in edit.text
    assert 'value="10"' in edit.text

    bad = console.post(f"{path}/targets", {"targets_for": "example", "target_overall": "scaling"})
    assert bad.status_code == 422
    assert "choose one of this questionnaire's stages" in _text(bad)
    assert expect(console.api.get(f"/api/v1/assessments/{assessment_id}"), 200)["targets"] == (
        stored
    )

    saved = console.post(
        f"{path}/targets",
        {
            "targets_for": "example",
            "target_item.plan_horizon": "quarter",
            "target_item.weekly_review": "weekly",
            "percent_to_target_from": "baseline",
        },
    )
    assert saved.status_code == 303
    assert "Targets saved" in _text(console.browser.get(saved.headers["location"]))
    assert expect(console.api.get(f"/api/v1/assessments/{assessment_id}"), 200)["targets"] == {
        "overall": None,
        "dimensions": {},
        "items": {"plan_horizon": "quarter", "weekly_review": "weekly"},
        "percent_to_target_from": "baseline",
    }

    (person,) = add_respondents(console.api, assessment_id, "manager")
    expect(save_answers(console.api, assessment_id, person["id"], FULL_ANSWERS, submit=True), 200)
    results = _text(console.browser.get(f"{path}/results"))
    # plan_horizon month (2/3) of quarter (1), weekly_review at its target: 1/3 of 2 to go.
    assert "To targets by question" in results
    assert "Targets by question: 83% of the way there across 2 questions" in results
    assert "67% of 1 question" in results and "100% of 1 question" in results
