"""An assessment as the console shows it (status, completion, respondents with progress), and
respondents invited from the console's forms: one by one or pasted as CSV, all or none."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment
from app.repositories import assessments as assessment_rows
from app.repositories import clients as client_rows
from app.repositories import respondents as respondent_rows
from app.repositories import workspaces as workspace_rows
from app.repositories.respondents import RespondentWithProgress
from app.services.assessments import get_assessment, pinned_package
from app.services.errors import InvalidInputError
from app.services.respondent_csv import parse_respondent_csv, read_respondent
from app.services.respondent_mail import RespondentMailer, closes_on_text
from app.services.respondents import (
    InvitedRespondent,
    add_respondents,
)
from scoring import Package, answer_progress
from scoring.questionnaire import Attribute

__all__ = [
    "AssessmentPage",
    "RespondentLine",
    "assessment_page",
    "invite_from_csv",
    "invite_respondent",
]


@dataclass(frozen=True, slots=True)
class RespondentLine:
    id: str
    name: str | None
    email: str | None
    attributes_text: str  # "Role: Manager · Site: North"
    status: str
    answered_items: int  # scoring.answer_progress: shown items answered
    item_count: int  # and the items shown to this respondent
    invited: bool = True  # False: copied from an earlier round, no link sent yet
    opted_out: bool = False  # asked for no more reminders
    erased: bool = False  # their personal data was erased on request


@dataclass(frozen=True, slots=True)
class AssessmentPage:
    assessment: Assessment
    client_name: str
    questionnaire_title: str
    stage_names: Mapping[str, str]
    attributes: tuple[Attribute, ...]
    baseline_title: str | None
    respondents: tuple[RespondentLine, ...]
    time_zone: str = "UTC"  # the workspace's: its close date and reminders count in it
    closes_on: str = ""  # the last day answers are taken, e.g. "Friday 12 December 2026"

    @property
    def submitted(self) -> int:
        return sum(r.status == "submitted" for r in self.respondents)

    @property
    def in_progress(self) -> int:
        return sum(r.status == "in_progress" for r in self.respondents)

    @property
    def completion_percent(self) -> int:
        total = len(self.respondents)
        return round(100 * self.submitted / total) if total else 0

    @property
    def target_stage_name(self) -> str | None:
        target = self.assessment.target_overall
        return None if target is None else self.stage_names.get(target, target)


def assessment_page(
    *, session: Session, catalog: Catalog, workspace_id: str, assessment_id: str
) -> AssessmentPage:
    """The assessment with its client, questionnaire, baseline and respondents' progress."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    package = pinned_package(catalog, assessment)
    client = client_rows.get_client(
        session, workspace_id=workspace_id, client_id=assessment.client_id
    )
    baseline = None
    if assessment.baseline_assessment_id is not None:
        baseline = assessment_rows.get_assessment(
            session, workspace_id=workspace_id, assessment_id=assessment.baseline_assessment_id
        )
    rows = respondent_rows.list_respondents(
        session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    workspace = workspace_rows.get_workspace(session, workspace_id)
    return AssessmentPage(
        assessment=assessment,
        client_name="" if client is None else client.name,
        questionnaire_title=package.questionnaire.title,
        stage_names={stage.id: stage.name for stage in package.stage_model.stages},
        attributes=tuple(package.questionnaire.attributes),
        baseline_title=None if baseline is None else baseline.title,
        respondents=tuple(_line(package, row) for row in rows),
        time_zone="UTC" if workspace is None else workspace.time_zone,
        closes_on=closes_on_text(assessment.closes_at, workspace),
    )


def invite_respondent(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    name: str,
    email: str,
    attributes: Mapping[str, str],
    base_url: str,
    now: datetime,
    mailer: RespondentMailer | None = None,
    send_invites: bool = False,
    personal_message: str = "",
) -> list[InvitedRespondent]:
    """Invite one respondent from the add form (attribute values by id or label).
    InvalidInputError names the fields `name`, `email` and `attr.<attribute id>`."""
    package = _package(session, catalog, workspace_id, assessment_id)
    found, problems = read_respondent(
        package.questionnaire.attributes, name=name, email=email, values=attributes
    )
    if found is None:
        raise InvalidInputError(problems)
    return add_respondents(
        session=session,
        catalog=catalog,
        workspace_id=workspace_id,
        actor=actor,
        assessment_id=assessment_id,
        respondents=[found],
        base_url=base_url,
        now=now,
        mailer=mailer,
        send_invites=send_invites,
        personal_message=personal_message,
    )


def invite_from_csv(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    csv_text: str,
    base_url: str,
    now: datetime,
    mailer: RespondentMailer | None = None,
    send_invites: bool = False,
    personal_message: str = "",
) -> list[InvitedRespondent]:
    """Invite every respondent of a pasted CSV, or none: InvalidInputError (field `csv`)
    lists each bad row by its line number."""
    package = _package(session, catalog, workspace_id, assessment_id)
    parsed = parse_respondent_csv(csv_text, package.questionnaire.attributes)
    if parsed.problems:
        raise InvalidInputError(parsed.problems)
    return add_respondents(
        session=session,
        catalog=catalog,
        workspace_id=workspace_id,
        actor=actor,
        assessment_id=assessment_id,
        respondents=list(parsed.respondents),
        base_url=base_url,
        now=now,
        mailer=mailer,
        send_invites=send_invites,
        personal_message=personal_message,
    )


def _package(session: Session, catalog: Catalog, workspace_id: str, assessment_id: str) -> Package:
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    return pinned_package(catalog, assessment)


def _line(package: Package, row: RespondentWithProgress) -> RespondentLine:
    respondent = row.respondent
    progress = answer_progress(package, row.answers)
    parts = []
    for attribute in package.questionnaire.attributes:
        value = respondent.attributes.get(attribute.id)
        if value is not None:
            label = next((v.label for v in attribute.values if v.id == value), value)
            parts.append(f"{attribute.label}: {label}")
    return RespondentLine(
        respondent.id,
        respondent.name,
        respondent.email,
        " · ".join(parts),
        respondent.status,
        progress.answered_items,
        progress.item_count,
        respondent.invited_at is not None,
        respondent.mail_opt_out_at is not None,
        respondent.erased_at is not None,
    )
