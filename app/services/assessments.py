"""Assessments: a questionnaire (pinned by version and content hash) run for one client."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlmodel import Session

from app.anonymity_rule import anonymity_k_problem
from app.catalog import Catalog, UnknownQuestionnaireError
from app.models import DEFAULT_ANONYMITY_K, Assessment
from app.repositories import assessments as assessment_rows
from app.repositories import audit
from app.repositories import clients as client_rows
from app.repositories import workspaces as workspace_rows
from app.services.errors import (
    AssessmentStateError,
    ConflictError,
    FieldProblem,
    InvalidInputError,
    NotFoundError,
)
from app.services.pagination import Page, decode_cursor, encode_cursor
from app.services.webhook_events import record_status_events
from app.text_rules import text_field_problems
from scoring import Package, Targets, check_targets

__all__ = [
    "AssessmentStatus",
    "PinnedQuestionnaire",
    "change_assessment_status",
    "create_assessment",
    "delete_assessment",
    "get_assessment",
    "list_assessments",
    "pinned_package",
    "stored_targets",
    "update_assessment_targets",
]

AssessmentStatus = Literal["draft", "open", "closed"]

# action -> (statuses it may start from, status it leads to)
_TRANSITIONS: Mapping[str, tuple[frozenset[str], AssessmentStatus]] = {
    "open": (frozenset({"draft"}), "open"),
    "close": (frozenset({"open"}), "closed"),
    "reopen": (frozenset({"closed"}), "open"),
}

_AUDIT_ACTIONS = {
    "open": "assessment.opened",
    "close": "assessment.closed",
    "reopen": "assessment.reopened",
}


class PinnedQuestionnaire(Protocol):
    """What pins an assessment's questionnaire: an Assessment, or a row read without the ORM."""

    @property
    def questionnaire_id(self) -> str: ...
    @property
    def questionnaire_version(self) -> str: ...
    @property
    def content_hash(self) -> str: ...


def pinned_package(catalog: Catalog, assessment: PinnedQuestionnaire) -> Package:
    """The exact questionnaire the assessment was created with; a conflict when the catalog
    no longer holds that version or its content changed without a new version."""
    try:
        package = catalog.get(assessment.questionnaire_id, assessment.questionnaire_version)
    except UnknownQuestionnaireError as error:
        raise ConflictError(f"{error}; the assessment needs it") from error
    if package.content_hash != assessment.content_hash:
        raise ConflictError(
            f"questionnaire {package.id} {package.version} changed since the assessment began "
            "(content hash differs); publish changes as a new version"
        )
    return package


def create_assessment(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    client_id: str,
    title: str,
    questionnaire_id: str,
    questionnaire_version: str | None,
    target_overall: str | None,
    target_dimensions: Mapping[str, str],
    baseline_assessment_id: str | None,
    anonymity_k: int | None,
    status: AssessmentStatus,
    now: datetime,
    kind: Literal["team", "self"] = "team",
    target_items: Mapping[str, object] | None = None,
    percent_to_target_from: str = "zero",
) -> Assessment:
    """Create an assessment for a client, pinning the questionnaire's newest (or the given)
    version and its content hash. Every invalid field is reported at once. `anonymity_k`
    None takes the workspace's; a team assessment's k follows app/anonymity_rule.py, while
    a self-assessment (one person reading their own answers) is scored with the k given.
    Targets (stages, item target answers and the percent-to-target reference) are checked
    against the questionnaire by `scoring.check_targets`; problems name `targets.…`."""
    problems = text_field_problems({"title": title})
    k_problem = None if kind == "self" or anonymity_k is None else anonymity_k_problem(anonymity_k)
    if k_problem is not None:
        problems.append(FieldProblem("anonymity_k", k_problem))
    if client_rows.get_client(session, workspace_id=workspace_id, client_id=client_id) is None:
        problems.append(FieldProblem("client_id", "no such client in this workspace"))
    package = None
    try:
        package = catalog.get(questionnaire_id, questionnaire_version)
    except UnknownQuestionnaireError as error:
        field = "questionnaire_id" if questionnaire_version is None else "questionnaire_version"
        problems.append(FieldProblem(field, str(error)))
    if package is not None:
        targets = Targets(
            target_overall,
            dict(target_dimensions),
            dict(target_items or {}),
            percent_to_target_from,  # type: ignore[arg-type]  # check_targets refuses others
        )
        problems += [FieldProblem(p.field, p.message) for p in check_targets(package, targets)]
    if baseline_assessment_id is not None:
        baseline = assessment_rows.get_assessment(
            session, workspace_id=workspace_id, assessment_id=baseline_assessment_id
        )
        if baseline is None:
            problems.append(
                FieldProblem("baseline_assessment_id", "no such assessment in this workspace")
            )
        elif baseline.questionnaire_id != questionnaire_id:
            message = f"the baseline used questionnaire {baseline.questionnaire_id}, not {questionnaire_id}"
            problems.append(FieldProblem("baseline_assessment_id", message))
    if status == "closed":
        problems.append(FieldProblem("status", "a new assessment is draft or open"))
    if problems or package is None:
        raise InvalidInputError(problems)
    if anonymity_k is None:
        workspace = workspace_rows.get_workspace(session, workspace_id)
        anonymity_k = workspace.anonymity_k if workspace is not None else DEFAULT_ANONYMITY_K
    assessment = assessment_rows.add_assessment(
        session,
        Assessment(
            workspace_id=workspace_id,
            client_id=client_id,
            title=title,
            questionnaire_id=package.id,
            questionnaire_version=package.version,
            content_hash=package.content_hash,
            status=status,
            kind=kind,
            target_overall=target_overall,
            target_dimensions=dict(target_dimensions),
            target_items=dict(target_items or {}),
            percent_to_target_from=percent_to_target_from,
            baseline_assessment_id=baseline_assessment_id,
            anonymity_k=anonymity_k,
            created_at=now,
            updated_at=now,
        ),
    )
    _audit(session, assessment, actor, "assessment.created", {"title": title})
    return assessment


def stored_targets(assessment: Assessment) -> Targets | None:
    """The targets an assessment holds, as scoring takes them; None when it has none."""
    if (
        assessment.target_overall is None
        and not assessment.target_dimensions
        and not assessment.target_items
    ):
        return None
    return Targets(
        assessment.target_overall,
        dict(assessment.target_dimensions),
        dict(assessment.target_items),
        "baseline" if assessment.percent_to_target_from == "baseline" else "zero",
    )


def update_assessment_targets(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    targets: Targets,
    now: datetime,
) -> Assessment:
    """Replace an assessment's targets as a whole (stages overall and per dimension, item
    target answers and the percent-to-target reference), in any status: targets change the
    results, never the answers. They are checked against the pinned questionnaire first;
    InvalidInputError names every bad field (`targets.…`) and nothing is changed."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    package = pinned_package(catalog, assessment)
    problems = check_targets(package, targets)
    if problems:
        raise InvalidInputError([FieldProblem(p.field, p.message) for p in problems])
    assessment.target_overall = targets.overall
    assessment.target_dimensions = dict(targets.dimensions)
    assessment.target_items = dict(targets.items)
    assessment.percent_to_target_from = targets.percent_to_target_from
    session.add(assessment)
    session.flush()
    # The results change with the targets: a new results version keeps no stale copy cached.
    assessment_rows.mark_assessment_changed(session, assessment_id=assessment.id, now=now)
    detail = {
        "overall": targets.overall,
        "dimensions": sorted(targets.dimensions),
        "items": sorted(targets.items),
        "percent_to_target_from": targets.percent_to_target_from,
    }
    _audit(session, assessment, actor, "assessment.targets_changed", detail)
    return assessment


def get_assessment(*, session: Session, workspace_id: str, assessment_id: str) -> Assessment:
    assessment = assessment_rows.get_assessment(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    if assessment is None:
        raise NotFoundError("assessment", assessment_id)
    return assessment


def list_assessments(
    *,
    session: Session,
    workspace_id: str,
    client_id: str | None,
    status: AssessmentStatus | None,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[Assessment]:
    """A page of assessments, least recently updated first; pass `next_cursor` back for more."""
    rows = assessment_rows.list_assessments(
        session,
        workspace_id=workspace_id,
        client_id=client_id,
        status=status,
        updated_since=updated_since,
        after=decode_cursor(cursor),
        limit=limit + 1,
    )
    items = rows[:limit]
    more = len(rows) > limit
    return Page(items, encode_cursor(items[-1].updated_at, items[-1].id) if more else None)


def change_assessment_status(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    action: Literal["open", "close", "reopen"],
    now: datetime,
    catalog: Catalog | None = None,
) -> Assessment:
    """Open a draft, close an open assessment (answers then stay as they are), or reopen it.
    Closing records the assessment.completed webhook event, whose CRM fields need `catalog`."""
    assessment = assessment_rows.get_assessment(
        session, workspace_id=workspace_id, assessment_id=assessment_id, lock="exclusive"
    )
    if assessment is None:
        raise NotFoundError("assessment", assessment_id)
    allowed_from, new_status = _TRANSITIONS[action]
    if assessment.status not in allowed_from:
        raise AssessmentStateError(
            f"cannot {action} an assessment that is {assessment.status} "
            f"(only one that is {' or '.join(sorted(allowed_from))})"
        )
    assessment.status = new_status
    assessment.closed_at = now if new_status == "closed" else None
    session.add(assessment)
    assessment_rows.mark_assessment_changed(session, assessment_id=assessment.id, now=now)
    record_status_events(
        session=session, catalog=catalog, assessment=assessment, action=action, now=now
    )
    _audit(session, assessment, actor, _AUDIT_ACTIONS[action], {})
    return assessment


def delete_assessment(
    *, session: Session, workspace_id: str, actor: str, assessment_id: str
) -> None:
    """Delete an assessment with its respondents and answers."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    assessment_rows.delete_assessment(session, assessment)
    _audit(session, assessment, actor, "assessment.deleted", {"title": assessment.title})


def _audit(
    session: Session, assessment: Assessment, actor: str, action: str, detail: dict[str, Any]
) -> None:
    audit.record_audit_event(
        session,
        workspace_id=assessment.workspace_id,
        actor=actor,
        action=action,
        subject_type="assessment",
        subject_id=assessment.id,
        detail=detail,
    )
