"""The results document as served fits the models that describe it in OpenAPI
(app/api/results_schema.py) exactly: no field missing, none unknown, no type coerced; for a
team with groups shown and withheld, a self-assessment, one respondent and a team that
agrees, nested and flat, computed and from the cache, on both databases."""

from __future__ import annotations

import json
from typing import Any, get_args

import httpx
import pytest
from pydantic import ValidationError

from app.api.results_schema import FlatResults, ResultsDocument
from scoring import FindingCode
from tests.integration.conftest import Workspace
from tests.integration.flow import expect
from tests.integration.results_documents import (
    agreeing_team,
    one_respondent,
    self_assessment,
    team_with_groups,
)


def _served(api: httpx.Client, assessment_id: str) -> tuple[bytes, bytes]:
    """The nested document (checked to be served alike from the cache) and the flat one."""
    path = f"/api/v1/assessments/{assessment_id}/results"
    computed, cached = (api.get(path) for _ in range(2))
    assert computed.status_code == cached.status_code == 200, computed.text
    assert computed.content == cached.content
    flat = api.get(path, params={"format": "flat"})
    assert flat.status_code == 200, flat.text
    return computed.content, flat.content


def test_every_results_document_fits_its_description(workspace: Workspace) -> None:
    api = workspace.api
    made = {
        "team": team_with_groups(api),
        "self": self_assessment(workspace.server, api, workspace.id),
        "one": one_respondent(api),
        "agreeing": agreeing_team(api),
    }
    documents = {}
    for name, assessment_id in made.items():
        nested, flat = _served(api, assessment_id)
        documents[name] = ResultsDocument.model_validate_json(nested).results
        fields = FlatResults.model_validate_json(flat).root
        assert fields["opsmaturity_assessment_id"] == assessment_id

    # The four documents show every shape the description allows for.
    team = documents["team"]
    assert team.overall.contested_dimensions and team.progress and team.targets
    item_targets = team.item_targets
    assert item_targets is not None and item_targets.reference == "baseline"
    assert item_targets.overall.progress_to_date is not None
    assert all(d.item_targets is None for name, d in documents.items() if name != "team")
    role = team.breakdowns[0]
    assert role.groups and role.note, "a group shown, and one withheld"
    assert documents["self"].anonymity_k == 1 and documents["self"].breakdowns[0].groups
    one = documents["one"]
    assert one.quadrant is None and one.provisional
    assert one.overall.interval is None and one.overall.interval_note
    assert {d.stage.decided_by for d in one.dimensions} == {"threshold", "no_data"}
    assert any(r.trigger for r in documents["agreeing"].recommendations)
    codes = {f.code for d in documents.values() for f in d.findings}
    assert codes == set(get_args(FindingCode))


def _refused(document: dict[str, Any], where: str) -> None:
    with pytest.raises(ValidationError, match=where):
        ResultsDocument.model_validate_json(json.dumps(document))


def test_a_field_too_many_or_too_few_does_not_fit(workspace: Workspace) -> None:
    nested, _ = _served(workspace.api, one_respondent(workspace.api))
    ResultsDocument.model_validate_json(nested)
    unknown = json.loads(nested)
    unknown["results"]["overall"]["median"] = 50.0
    _refused(unknown, "results.overall.median")
    missing = json.loads(nested)
    del missing["results"]["roadmap"]["90"]
    _refused(missing, "results.roadmap.90")
    coerced = json.loads(nested)
    coerced["participation"]["total"] = "1"
    _refused(coerced, "participation.total")


def test_openapi_describes_the_results_with_the_models(workspace: Workspace) -> None:
    openapi = expect(httpx.get(f"{workspace.server.url}/openapi.json"), 200)
    operation = openapi["paths"]["/api/v1/assessments/{assessment_id}/results"]["get"]
    content = operation["responses"]["200"]["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/ResultsResponse"}
    schemas = openapi["components"]["schemas"]
    assert [s["$ref"] for s in schemas["ResultsResponse"]["anyOf"]] == [
        "#/components/schemas/ResultsDocument",
        "#/components/schemas/FlatResults",
    ]
    assert schemas["ResultsDocument"]["additionalProperties"] is False
    assert schemas["DimensionSpread"]["properties"]["rwg"]["deprecated"] is True
