"""The console's schedule form: an assessment's close date as a day in the workspace's time
zone, and its reminder plan as typed ("3, 7" and a box for the day before the close date).
The form is read into an `AssessmentPlan` and saved by the service the API's PATCH uses
(app/services/assessment_schedule.py), which checks it.

A close date typed as a day means "open until the end of that day": the assessment closes
at the next midnight in the workspace's time zone (`closes_at_of_day`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app.models import Assessment
from app.services.assessment_schedule import (
    AssessmentPlan,
    closes_at_of_day,
    parse_reminder_days,
    update_assessment_plan,
    workspace_time_zone,
)
from app.services.assessments import get_assessment
from app.services.errors import FieldProblem, InvalidInputError
from app.services.reminder_steps import last_open_day, zone_of

__all__ = [
    "ScheduleForm",
    "read_close_day",
    "save_schedule_form",
    "schedule_form_of",
]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class ScheduleForm:
    """The form as typed: `closes_at` is a day (YYYY-MM-DD, blank: no close date)."""

    closes_at: str = ""
    reminder_days: str = "3, 7"
    remind_before_close: bool = True


def schedule_form_of(assessment: Assessment, time_zone: str) -> ScheduleForm:
    """The form filled in with the assessment's schedule, its close date as the last day
    answers are taken in `time_zone`."""
    closes = assessment.closes_at
    return ScheduleForm(
        closes_at="" if closes is None else last_open_day(closes, zone_of(time_zone)).isoformat(),
        reminder_days=", ".join(str(day) for day in assessment.reminder_days),
        remind_before_close=assessment.remind_before_close,
    )


def read_close_day(text: str) -> tuple[date | None, list[FieldProblem]]:
    """The day typed in the close date field (None when blank), or the problem naming
    `closes_at`."""
    text = text.strip()
    if not text:
        return None, []
    try:
        if _DAY.fullmatch(text) is None:
            raise ValueError(text)
        return date.fromisoformat(text), []
    except ValueError:
        return None, [FieldProblem("closes_at", "give the date as YYYY-MM-DD, e.g. 2026-12-31")]


def save_schedule_form(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    assessment_id: str,
    form: ScheduleForm,
    now: datetime,
) -> Assessment:
    """Save the close date and reminder plan typed in the console; InvalidInputError names
    `closes_at` and `reminder_days`, every problem at once, and nothing is changed. A close
    day left as shown keeps the close time it has (one set through the API at 17:00 stays
    at 17:00)."""
    time_zone = workspace_time_zone(session, workspace_id)
    day, problems = read_close_day(form.closes_at)
    days: list[int] | None = None
    try:
        days = parse_reminder_days(form.reminder_days)
    except InvalidInputError as error:
        problems += error.problems
    current = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    shown = schedule_form_of(current, time_zone)
    unchanged_day = form.closes_at.strip() == shown.closes_at
    plan = AssessmentPlan(
        closes_at=None if day is None or unchanged_day else closes_at_of_day(day, time_zone),
        clear_closes_at=not form.closes_at.strip(),
        reminder_days=days,
        remind_before_close=form.remind_before_close,
    )
    try:
        assessment = update_assessment_plan(
            session=session,
            workspace_id=workspace_id,
            actor=actor,
            assessment_id=assessment_id,
            plan=plan,
            now=now,
        )
    except InvalidInputError as error:
        raise InvalidInputError([*problems, *error.problems]) from error
    if problems:  # the caller's transaction rolls the rest of the plan back
        raise InvalidInputError(problems)
    return assessment
