"""The team reading in every output: nested JSON, flat CRM fields and CSV, on a team that is
split on two dimensions (tests/data/golden/divided_leadership.yaml)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from app.cli.score_command import score_answers_file
from app.result_view import assessment_json
from app.services.flat_fields import flat_fields
from app.services.results_csv import COLUMNS, render_results_csv
from scoring import AssessmentResult, Package
from tests.conftest import QUESTIONNAIRES, REPO_ROOT

DIVIDED = REPO_ROOT / "tests" / "data" / "golden" / "divided_leadership.yaml"


@pytest.fixture(scope="module")
def divided() -> tuple[Package, AssessmentResult]:
    return score_answers_file(DIVIDED, QUESTIONNAIRES)


def _flat_view(results: dict[str, Any]) -> dict[str, Any]:
    """The nested view as GET …/results returns it, around the scored results."""
    return {
        "assessment": {
            "id": "asm_1",
            "client_external_ref": None,
            "status": "closed",
            "updated_at": "2026-12-01T00:00:00Z",
        },
        "participation": {"submitted": 4, "total": 4},
        "results": results,
    }


def test_the_nested_json_says_which_stages_are_contested(
    divided: tuple[Package, AssessmentResult],
) -> None:
    package, result = divided
    view = assessment_json(package, result)
    spreads = {d["id"]: d["spread"] for d in view["dimensions"]}
    contested = {d for d, spread in spreads.items() if spread["contested"]}
    assert contested == {"priorities", "alignment"}
    assert spreads["priorities"]["stage_span"] == {
        "low": {"id": "reactive", "name": "Reactive"},
        "high": {"id": "scalable", "name": "Scalable"},
    }
    assert spreads["alignment"]["stage_span"]["low"] == {"id": "emerging", "name": "Emerging"}
    assert spreads["priorities"]["reading"] == (
        "Structured, contested: answers span Reactive to Scalable"
    )
    assert spreads["priorities"]["agreement_level"] == "none"
    assert spreads["priorities"]["rwg"] == spreads["priorities"]["agreement"] == 0.0
    # Answered alike by all four: one reading, no interval width, not borderline.
    assert spreads["cadence"]["reading"] == "Managed"
    assert spreads["cadence"]["interval"] == {"low": 72.5, "high": 72.5, "n": 4}
    assert spreads["cadence"]["borderline"] is False

    overall = view["overall"]
    assert overall["borderline"] is True
    assert overall["contested_dimensions"] == ["priorities", "alignment"]
    assert overall["interval"] == {"low": 52.1, "high": 84.0, "n": 4}
    assert overall["interval_note"] is None

    split = view["findings"][0]
    assert (split["code"], split["dimension_ids"]) == ("split", ["priorities", "alignment"])
    assert split["text"].startswith("The team is split on")
    assert "Priorities and direction" in split["text"] and "Leadership alignment" in split["text"]
    assert split["figures"]["spans"][0] == {
        "dimension_id": "priorities",
        "low": {"id": "reactive", "name": "Reactive"},
        "high": {"id": "scalable", "name": "Scalable"},
    }
    weakest = next(f for f in view["findings"] if f["code"] == "weakest")
    assert weakest["figures"] == {
        "score": 50.2,
        "stage": {"id": "structured", "name": "Structured"},
    }
    assert all(f["text"] for f in view["findings"])
    assert all(item["agreement_level"] for item in view["disputed_items"])


def test_one_respondent_has_no_interval_and_says_why(
    divided: tuple[Package, AssessmentResult], tmp_path: Path
) -> None:
    alone = tmp_path / "alone.yaml"
    text = DIVIDED.read_text()
    alone.write_text(text[: text.index("  - id: coo")])
    package, result = score_answers_file(alone, QUESTIONNAIRES)
    view = assessment_json(package, result)
    overall = view["overall"]
    assert (overall["interval"], overall["borderline"]) == (None, None)
    assert overall["interval_note"] == "no interval: one respondent gives no measure of spread"
    assert overall["contested_dimensions"] == []
    fields = flat_fields(_flat_view(view))
    assert fields["opsmaturity_borderline"] is None
    assert fields["opsmaturity_overall_low"] is None and fields["opsmaturity_overall_high"] is None
    assert fields["opsmaturity_contested_dimensions"] == ""
    assert fields["opsmaturity_priorities_contested"] == 0
    assert fields["opsmaturity_priorities_borderline"] is None


def test_flat_fields_list_contested_dimensions_in_questionnaire_order(
    divided: tuple[Package, AssessmentResult],
) -> None:
    package, result = divided
    fields = flat_fields(_flat_view(assessment_json(package, result)))
    assert fields["opsmaturity_contested_dimensions"] == "priorities,alignment"
    in_order = [d.id for d in package.questionnaire.dimensions]
    assert in_order.index("priorities") < in_order.index("alignment")
    assert fields["opsmaturity_borderline"] == 1
    assert (fields["opsmaturity_overall_low"], fields["opsmaturity_overall_high"]) == (52.1, 84.0)
    assert fields["opsmaturity_priorities_contested"] == 1
    assert fields["opsmaturity_priorities_borderline"] == 1
    assert fields["opsmaturity_cadence_contested"] == 0
    assert fields["opsmaturity_cadence_borderline"] == 0
    assert all(not isinstance(v, dict | list | bool) for v in fields.values())


def test_the_csv_carries_the_reading_and_only_the_groups_shown(
    divided: tuple[Package, AssessmentResult],
) -> None:
    package, result = divided
    text = render_results_csv(package, result)
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    rows = list(reader)
    team = {r["subject"]: r for r in rows if r["section"] == "team"}
    priorities = team["priorities"]
    assert (priorities["contested"], priorities["borderline"]) == ("1", "1")
    assert priorities["agreement_level"] == "none" and priorities["rwg"] == "0.0"
    assert (priorities["interval_low"], priorities["interval_high"]) == ("0.0", "100.0")
    assert priorities["reading"] == "Structured, contested: answers span Reactive to Scalable"
    assert (team["cadence"]["contested"], team["cadence"]["reading"]) == ("0", "Managed")
    overall = team["overall"]
    assert (overall["interval_low"], overall["interval_high"], overall["borderline"]) == (
        "52.1",
        "84.0",
        "1",
    )

    view = assessment_json(package, result)
    shown = {
        (f"{b['label']}: {g['label']}", g["n"]) for b in view["breakdowns"] for g in b["groups"]
    }
    groups = [r for r in rows if r["section"] == "group"]
    assert {(r["title"], int(r["n"])) for r in groups} == shown
    assert all(int(r["n"]) >= result.anonymity_k for r in groups)
    subjects = ["overall", *(d.id for d in package.questionnaire.dimensions)]
    assert len(groups) == len(shown) * len(subjects)
    executives = [r for r in groups if r["title"].startswith("Your role: Executive")]
    assert [r["subject"] for r in executives] == subjects
    assert executives[0]["score"] == team["overall"]["score"]


def test_flat_fields_follow_the_questionnaire_not_the_order_of_the_split_finding() -> None:
    # The split finding names the least agreed dimension first; a CRM field keeps one order.
    demo = REPO_ROOT / "tests" / "data" / "golden" / "demo_round.yaml"
    package, result = score_answers_file(demo, QUESTIONNAIRES)
    view = assessment_json(package, result)
    split = next(f for f in view["findings"] if f["code"] == "split")
    in_order = [d.id for d in package.questionnaire.dimensions if d.id in split["dimension_ids"]]
    fields = flat_fields(_flat_view(view))
    assert fields["opsmaturity_contested_dimensions"] == ",".join(in_order)
    assert view["overall"]["contested_dimensions"] == in_order
