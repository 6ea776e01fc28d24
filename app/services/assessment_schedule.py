"""An assessment's schedule: its close date and its reminder plan (days after the
invitation, and the day before the close date), set when it is created or later; and a new
round created with its team copied from the baseline round."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment
from app.repositories import audit
from app.repositories import workspaces as workspace_rows
from app.services.assessments import get_assessment
from app.services.errors import FieldProblem, InvalidInputError
from app.services.reminder_steps import MAX_REMINDER_DAYS, zone_of
from app.services.respondent_links import copy_team

__all__ = [
    "MAX_REMINDERS",
    "AssessmentPlan",
    "closes_at_of_day",
    "create_with_plan",
    "parse_reminder_days",
    "update_assessment_plan",
    "workspace_time_zone",
]

MAX_REMINDERS = 10


@dataclass(frozen=True, slots=True)
class AssessmentPlan:
    """What changes; a field left as None is left as it is (`clear_closes_at` removes the
    close date)."""

    closes_at: datetime | None = None
    clear_closes_at: bool = False
    reminder_days: Sequence[int] | None = None
    remind_before_close: bool | None = None


def parse_reminder_days(text: str) -> list[int]:
    """ "3, 7" -> [3, 7] (the console's field); InvalidInputError names `reminder_days`."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise InvalidInputError(
            [FieldProblem("reminder_days", "write whole numbers of days, e.g. 3, 7")]
        )
    return [int(part) for part in parts]


def closes_at_of_day(day: date, time_zone: str) -> datetime:
    """An assessment open "until the end of `day`" closes at the next midnight, local."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone_of(time_zone))


def _problems(plan: AssessmentPlan, now: datetime) -> list[FieldProblem]:
    problems = []
    if plan.closes_at is not None:
        if plan.closes_at.tzinfo is None:
            problems.append(FieldProblem("closes_at", "give the time zone, e.g. …T17:00:00Z"))
        elif plan.closes_at <= now:
            problems.append(FieldProblem("closes_at", "the close date must be in the future"))
    if plan.reminder_days is not None:
        days = list(plan.reminder_days)
        if len(days) > MAX_REMINDERS:
            problems.append(
                FieldProblem("reminder_days", f"set at most {MAX_REMINDERS} reminder days")
            )
        if any(not 1 <= day <= MAX_REMINDER_DAYS for day in days):
            message = (
                f"each reminder day is from 1 to {MAX_REMINDER_DAYS} days after the invitation"
            )
            problems.append(FieldProblem("reminder_days", message))
    return problems


def _apply(assessment: Assessment, plan: AssessmentPlan) -> None:
    if plan.clear_closes_at:
        assessment.closes_at = None
    elif plan.closes_at is not None:
        assessment.closes_at = plan.closes_at
    if plan.reminder_days is not None:
        assessment.reminder_days = sorted(set(plan.reminder_days))
    if plan.remind_before_close is not None:
        assessment.remind_before_close = plan.remind_before_close


def update_assessment_plan(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    plan: AssessmentPlan,
    now: datetime,
) -> Assessment:
    """Change the close date and reminder plan; InvalidInputError names `closes_at` and
    `reminder_days`, and nothing is changed."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    problems = _problems(plan, now)
    if problems:
        raise InvalidInputError(problems)
    _apply(assessment, plan)
    assessment.updated_at = now
    session.add(assessment)
    session.flush()
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="assessment.schedule_changed",
        subject_type="assessment",
        subject_id=assessment.id,
        detail={
            "closes_at": None if assessment.closes_at is None else assessment.closes_at.isoformat(),
            "reminder_days": list(assessment.reminder_days),
            "remind_before_close": assessment.remind_before_close,
        },
    )
    return assessment


def create_with_plan(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    create: Callable[[], Assessment],
    plan: AssessmentPlan,
    copy_baseline_team: bool,
    now: datetime,
) -> Assessment:
    """Create an assessment (`create`, e.g. create_assessment with its fields) with its
    schedule, and with `copy_baseline_team` the respondents of its baseline round, copied as
    not invited yet. Every problem is reported at once."""
    problems = _problems(plan, now)
    try:
        assessment = create()
    except InvalidInputError as error:
        raise InvalidInputError([*error.problems, *problems]) from error
    if problems:
        raise InvalidInputError(problems)
    if copy_baseline_team and assessment.baseline_assessment_id is None:
        raise InvalidInputError(
            [FieldProblem("copy_baseline_team", "choose the earlier round to copy the team from")]
        )
    _apply(assessment, plan)
    session.add(assessment)
    session.flush()
    if copy_baseline_team and assessment.baseline_assessment_id is not None:
        copy_team(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            actor=actor,
            assessment_id=assessment.id,
            from_assessment_id=assessment.baseline_assessment_id,
            now=now,
        )
    return assessment


def workspace_time_zone(session: Session, workspace_id: str) -> str:
    workspace = workspace_rows.get_workspace(session, workspace_id)
    return "UTC" if workspace is None else workspace.time_zone
