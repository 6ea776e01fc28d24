"""Flat results: one object of scalar fields that map onto CRM properties.

Built from the nested results view, so the API, CSV exports and webhooks carry the
same fields: opsmaturity_overall_score, opsmaturity_<dimension>_stage and so on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["FIELD_PREFIX", "flat_field_name", "flat_fields"]

FIELD_PREFIX = "opsmaturity_"


def flat_field_name(*parts: str) -> str:
    """`opsmaturity_` plus the parts in snake case: ("tool-use", "score") -> opsmaturity_tool_use_score."""
    text = "_".join(parts)
    return FIELD_PREFIX + re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def _flag(value: bool | None) -> int | None:
    """1 or 0 for a CRM checkbox; None when there is nothing to judge (one respondent)."""
    return None if value is None else int(value)


def flat_fields(view: Mapping[str, Any]) -> dict[str, str | int | float | None]:
    """Flatten the nested results view (as returned by GET .../results) into scalar fields.

    Contested dimensions are listed in questionnaire order, so a CRM field keeps one value
    while the same dimensions stay contested."""
    assessment = view["assessment"]
    results = view["results"]
    overall = results["overall"]
    overall_stage = overall["stage"] or {}
    quadrant = results.get("quadrant") or {}
    fields: dict[str, str | int | float | None] = {
        flat_field_name("assessment_id"): assessment["id"],
        flat_field_name("client_external_ref"): assessment["client_external_ref"],
        flat_field_name(
            "questionnaire"
        ): f"{results['questionnaire']['id']} {results['questionnaire']['version']}",
        flat_field_name("status"): assessment["status"],
        flat_field_name("overall_score"): overall["score"],
        flat_field_name("overall_percent"): overall["percent"],
        flat_field_name("overall_stage"): overall_stage.get("id"),
        flat_field_name("overall_stage_name"): overall_stage.get("name"),
        flat_field_name("quadrant"): quadrant.get("id"),
        flat_field_name("quadrant_name"): quadrant.get("name"),
        flat_field_name("respondents_submitted"): view["participation"]["submitted"],
        flat_field_name("respondents_invited"): view["participation"]["total"],
        flat_field_name("completeness"): results["completeness"],
        flat_field_name("provisional"): int(bool(results["provisional"])),
        flat_field_name("overall_low"): (overall["interval"] or {}).get("low"),
        flat_field_name("overall_high"): (overall["interval"] or {}).get("high"),
        flat_field_name("borderline"): _flag(overall["borderline"]),
        flat_field_name("contested_dimensions"): ",".join(
            d["id"] for d in results["dimensions"] if d["spread"]["contested"]
        ),
    }
    for dimension in results["dimensions"]:
        stage = dimension["stage"] or {}
        fields[flat_field_name(dimension["id"], "score")] = dimension["score"]
        fields[flat_field_name(dimension["id"], "stage")] = stage.get("id")
        fields[flat_field_name(dimension["id"], "stage_name")] = stage.get("name")
        fields[flat_field_name(dimension["id"], "contested")] = int(
            dimension["spread"]["contested"]
        )
        fields[flat_field_name(dimension["id"], "borderline")] = _flag(
            dimension["spread"]["borderline"]
        )
    for gap in results["targets"]:
        fields[flat_field_name(gap["subject"], "percent_to_target")] = gap["percent_to_target"]
    item_targets = results.get("item_targets")
    if item_targets is not None:
        for progress in (item_targets["overall"], *item_targets["dimensions"]):
            name = flat_field_name(progress["subject"], "item_percent_to_target")
            fields[name] = progress["percent_to_target"]
        fields[flat_field_name("overall_item_progress_to_date")] = item_targets["overall"][
            "progress_to_date"
        ]
    top = results["recommendations"][:1]
    fields[flat_field_name("top_recommendation")] = top[0]["title"] if top else None
    fields[flat_field_name("updated_at")] = assessment["updated_at"]
    return fields
