"""results.csv: team and group rows per dimension and, for a self-assessment, the person's own rows.

A team assessment's CSV has no per-respondent rows, only a `note` row saying why: however
anonymous each row is (no names, emails or ids, labelled by position in score order),
rows beside the group figures let a reader match rows to groups, and so to people.
A self-assessment's one person reads their own row. Cells that a spreadsheet would run as a
formula are prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from app.result_view import assessment_json, number
from scoring import AssessmentResult, Package

__all__ = ["TEAM_RESPONDENT_ROWS_NOTE", "render_results_csv", "spreadsheet_safe"]

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
    # Added later, so earlier columns keep their places in existing spreadsheets.
    "agreement_level",
    "interval_low",
    "interval_high",
    "borderline",
    "contested",
    "reading",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEAM_RESPONDENT_ROWS_NOTE = (
    "no per-respondent rows for a team assessment: beside the group figures they would let "
    "rows be matched to groups, and so to people"
)


def spreadsheet_safe(value: object) -> object:
    """Neutralise a text cell that Excel or Sheets would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _interval_cells(interval: Mapping[str, Any] | None) -> dict[str, Any]:
    if interval is None:
        return {}
    return {"interval_low": interval["low"], "interval_high": interval["high"]}


def _group_rows(view: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Group figures exactly as the nested view shows them: the breakdowns' groups, which are
    already pooled and withheld so that no group of fewer than k people can be worked out."""
    rows: list[dict[str, Any]] = []
    for breakdown in view["breakdowns"]:
        for group in breakdown["groups"]:
            title = f"{breakdown['label']}: {group['label']}"
            rows.append(
                {
                    "section": "group",
                    "subject": "overall",
                    "title": title,
                    "n": group["n"],
                    "score": group["overall"],
                }
            )
            rows.extend(
                {
                    "section": "group",
                    "subject": dimension_id,
                    "title": title,
                    "n": group["n"],
                    "score": score,
                }
                for dimension_id, score in group["dimensions"].items()
            )
    return rows


def render_results_csv(
    package: Package, result: AssessmentResult, *, self_assessment: bool = False
) -> str:
    """`self_assessment`: the assessment is one person's own (its kind, never guessed from
    the number of respondents); only then are respondent rows given."""
    view = assessment_json(package, result)
    targets = {gap["subject"]: gap for gap in view["targets"]}
    rows: list[dict[str, Any]] = []
    overall = view["overall"]
    overall_stage = overall["stage"] or {}
    rows.append(
        {
            "section": "team",
            "subject": "overall",
            "title": "Overall",
            "score": overall["score"],
            "stage_id": overall_stage.get("id"),
            "stage_name": overall_stage.get("name"),
            "n": len(result.respondents),
            "target_stage": targets.get("overall", {}).get("target_stage"),
            "percent_to_target": targets.get("overall", {}).get("percent_to_target"),
            "completeness": view["completeness"],
            "note": overall["interval_note"],
            **_interval_cells(overall["interval"]),
            "borderline": _flag(overall["borderline"]),
        }
    )
    for dimension in view["dimensions"]:
        stage = dimension["stage"] or {}
        gap = targets.get(dimension["id"], {})
        spread = dimension["spread"]
        rows.append(
            {
                "section": "team",
                "subject": dimension["id"],
                "title": dimension["title"],
                "score": dimension["score"],
                "stage_id": stage.get("id"),
                "stage_name": stage.get("name"),
                "n": spread["n"],
                "sd": spread["sd"],
                "rwg": spread["agreement"],
                "target_stage": gap.get("target_stage"),
                "percent_to_target": gap.get("percent_to_target"),
                "agreement_level": spread["agreement_level"],
                **_interval_cells(spread["interval"]),
                "borderline": _flag(spread["borderline"]),
                "contested": _flag(spread["contested"]),
                "reading": spread["reading"],
            }
        )
    rows.extend(_group_rows(view))
    rows.extend(
        _own_rows(result)
        if self_assessment
        else [{"section": "note", "note": TEAM_RESPONDENT_ROWS_NOTE}]
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return buffer.getvalue()


def _own_rows(result: AssessmentResult) -> list[dict[str, Any]]:
    """The rows of a self-assessment's respondent: theirs alone, so nobody else is shown."""
    ordered = sorted(
        result.respondents,
        key=lambda r: (r.overall.score is None, -(r.overall.score or 0), r.completeness),
    )
    rows = []
    for position, respondent in enumerate(ordered, start=1):
        label = f"R{position}"
        attributes = "; ".join(
            f"{key}={value}" for key, value in sorted(respondent.attributes.items())
        )
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
