"""results.csv: team rows per dimension and, when the team is large enough, per-respondent rows.

Per-respondent rows never identify a person: no names, emails or ids; rows are labelled by
position in score order; an attribute value is shown only when at least k submitted
respondents share it; with fewer than k respondents there are no per-respondent rows at all.
Cells that a spreadsheet would run as a formula are prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.result_view import assessment_json, number
from scoring import AssessmentResult, Package

__all__ = ["render_results_csv", "spreadsheet_safe"]

COLUMNS = (
    "section",
    "respondent",
    "attributes",
    "subject",
    "title",
    "score",
    "stage_id",
    "stage_name",
    "n",
    "sd",
    "rwg",
    "target_stage",
    "percent_to_target",
    "completeness",
    "note",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Neutralise a text cell that Excel or Sheets would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def render_results_csv(package: Package, result: AssessmentResult) -> str:
    view = assessment_json(package, result)
    targets = {gap["subject"]: gap for gap in view["targets"]}
    rows: list[dict[str, Any]] = []
    overall_stage = view["overall"]["stage"] or {}
    rows.append(
        {
            "section": "team",
            "subject": "overall",
            "title": "Overall",
            "score": view["overall"]["score"],
            "stage_id": overall_stage.get("id"),
            "stage_name": overall_stage.get("name"),
            "n": len(result.respondents),
            "target_stage": targets.get("overall", {}).get("target_stage"),
            "percent_to_target": targets.get("overall", {}).get("percent_to_target"),
            "completeness": view["completeness"],
        }
    )
    for dimension in view["dimensions"]:
        stage = dimension["stage"] or {}
        gap = targets.get(dimension["id"], {})
        rows.append(
            {
                "section": "team",
                "subject": dimension["id"],
                "title": dimension["title"],
                "score": dimension["score"],
                "stage_id": stage.get("id"),
                "stage_name": stage.get("name"),
                "n": dimension["spread"]["n"],
                "sd": dimension["spread"]["sd"],
                "rwg": dimension["spread"]["rwg"],
                "target_stage": gap.get("target_stage"),
                "percent_to_target": gap.get("percent_to_target"),
            }
        )
    rows.extend(_respondent_rows(package, result))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return buffer.getvalue()


def _respondent_rows(package: Package, result: AssessmentResult) -> Iterable[dict[str, Any]]:
    k = result.anonymity_k
    respondents = result.respondents
    if len(respondents) < k:
        note = (
            f"per-respondent rows omitted: {len(respondents)} respondent(s) submitted, "
            f"fewer than the anonymity threshold of {k}"
        )
        return [{"section": "note", "note": note}]
    shown_values = _attribute_values_shown(package, [r.attributes for r in respondents], k)
    ordered = sorted(
        respondents,
        key=lambda r: (r.overall.score is None, -(r.overall.score or 0), r.completeness),
    )
    described = {
        id(r): "; ".join(
            f"{key}={value}"
            for key, value in sorted(r.attributes.items())
            if value in shown_values.get(key, ())
        )
        for r in ordered
    }
    # Values common on their own can still single someone out in combination.
    combinations = Counter(described.values())
    rows = []
    for position, respondent in enumerate(ordered, start=1):
        label = f"R{position}"
        attributes = described[id(respondent)]
        if combinations[attributes] < k:
            attributes = ""
        stage = respondent.overall.stage
        rows.append(
            {
                "section": "respondent",
                "respondent": label,
                "attributes": attributes,
                "subject": "overall",
                "title": "Overall",
                "score": number(respondent.overall.score),
                "stage_id": stage.stage_id,
                "completeness": number(respondent.completeness),
            }
        )
        for dimension in respondent.dimensions:
            rows.append(
                {
                    "section": "respondent",
                    "respondent": label,
                    "attributes": attributes,
                    "subject": dimension.dimension_id,
                    "title": dimension.title,
                    "score": number(dimension.score),
                    "stage_id": None if dimension.stage is None else dimension.stage.stage_id,
                }
            )
    return rows


def _attribute_values_shown(
    package: Package, attributes: Sequence[Mapping[str, str]], k: int
) -> dict[str, set[str]]:
    """Attribute values held by at least k respondents; rarer values would single people out."""
    shown: dict[str, set[str]] = {}
    for attribute in package.questionnaire.attributes:
        counts = Counter(a[attribute.id] for a in attributes if attribute.id in a)
        shown[attribute.id] = {value for value, count in counts.items() if count >= k}
    return shown
