"""/api/v1/assessments: create, list, get, edit targets, open, close, reopen and delete
assessments."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import (
    MISSING,
    BaseModel,
    BeforeValidator,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from sqlmodel import Session

from app.anonymity_rule import AnonymityK
from app.api.paths import API_PREFIX, CursorQuery, PathId, QueryText
from app.api.strict_json import STRICT_BODY, StrictJsonRoute
from app.catalog import Catalog
from app.dependencies import CatalogDep, ConsultantWorkDep, SettingsDep
from app.models import Assessment, utc_now
from app.problems import problem_responses
from app.services import assessments as assessment_service
from app.services.assessment_schedule import (
    MAX_REMINDERS,
    AssessmentPlan,
    create_with_plan,
    update_assessment_plan,
)
from app.services.assessments import AssessmentStatus
from app.services.authentication import Principal
from app.services.reminder_schedule import remind_unfinished
from app.services.reminder_steps import MAX_REMINDER_DAYS
from app.services.respondent_mail import RespondentMailer
from app.text_rules import SingleLineText
from scoring import Targets

__all__ = ["AssessmentOut", "router"]

StageId = Annotated[SingleLineText, Field(min_length=1, max_length=100)]
OptionId = Annotated[SingleLineText, Field(min_length=1, max_length=100)]
_TARGET_FORMS = (
    "an option id (scale, single choice), a number (number, percentage), true / false or "
    '"yes" / "no" (yes/no), or a list of option ids (multi choice)'
)


OptionIds = Annotated[list[OptionId], Field(max_length=100)]
_TEXT_FORMS: dict[type, TypeAdapter[Any]] = {
    str: TypeAdapter(OptionId),
    list: TypeAdapter(OptionIds),
}


def _one_target_message(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """pydantic names every member of the union it tried; one message says more: the text
    rule's for an option id (or a list of them), else the forms a target answer takes."""
    try:
        return handler(value)
    except ValidationError:
        reason = f"a target answer is {_TARGET_FORMS}"
        adapter = _TEXT_FORMS.get(type(value))
        if adapter is not None:
            try:
                adapter.validate_python(value, strict=True)
            except ValidationError as error:
                first = error.errors()[0]
                where = "".join(f"[{step}] " for step in first["loc"])
                reason = where + str(first["msg"]).removeprefix("Value error, ")
        raise PydanticCustomError("target_answer", "{reason}", {"reason": reason}) from None


# A target answer takes the forms an answer takes; the questionnaire decides which fits.
TargetAnswer = Annotated[
    OptionId | bool | int | float | OptionIds,
    WrapValidator(_one_target_message),
    Field(description=f"A target answer: {_TARGET_FORMS}"),
]
_DATE_AND_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _date_and_time(value: Any) -> Any:
    """pydantic would also read a number as seconds since 1970 and a bare date as midnight;
    the description says a date and time, so nothing else is taken for one."""
    if not isinstance(value, str) or _DATE_AND_TIME.match(value) is None:
        raise ValueError("must be a date and time in ISO 8601, e.g. 2024-05-01T09:00:00Z")
    return value


def _zoned_date_and_time(value: Any) -> Any:
    """A close date: ISO 8601 with a zone (the body is read strictly, so the text is turned
    into a datetime here)."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40 or _DATE_AND_TIME.match(value) is None:
        raise ValueError("must be a date and time in ISO 8601, e.g. 2024-05-01T17:00:00Z")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date and time in ISO 8601, e.g. 2024-05-01T17:00:00Z") from None
    if moment.tzinfo is None:
        raise ValueError("give the time zone, e.g. 2024-05-01T17:00:00Z or …+02:00")
    return moment


ReminderDay = Annotated[int, Field(ge=1, le=MAX_REMINDER_DAYS)]
# In the OpenAPI document a close date is text of a bounded length, as every text field is.
_DATE_AND_TIME_TEXT = WithJsonSchema({"type": "string", "format": "date-time", "maxLength": 40})
ClosesAt = Annotated[
    Annotated[datetime, _DATE_AND_TIME_TEXT] | None, BeforeValidator(_zoned_date_and_time)
]
UpdatedSince = Annotated[
    datetime | None,
    BeforeValidator(_date_and_time),
    Query(description="A date and time in ISO 8601 (RFC 3339); without a zone, UTC"),
]

router = APIRouter(
    prefix=f"{API_PREFIX}/assessments", tags=["assessments"], route_class=StrictJsonRoute
)


class AssessmentTargets(BaseModel):
    """Target stages overall and per dimension, and target answers per item."""

    model_config = STRICT_BODY
    overall: SingleLineText | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Target stage id for the whole organisation",
    )
    dimensions: dict[StageId, StageId] = Field(
        default={},
        max_length=100,
        description="Dimension id -> target stage id",
        # pydantic documents the keys' pattern as patternProperties; other keys are refused.
        json_schema_extra={"additionalProperties": False},
    )
    items: dict[StageId, TargetAnswer] = Field(
        default={},
        max_length=1000,
        description="Item id -> target answer, checked against the item as an answer is; the "
        "results then show the gap and percent-to-target over these items",
        json_schema_extra={"additionalProperties": False},
    )
    percent_to_target_from: Literal["zero", "baseline"] = Field(
        default="zero",
        description="What the item targets' percent-to-target measures from: every item at 0, "
        "or the baseline round (zero while there is none)",
    )

    @classmethod
    def of(cls, assessment: Assessment) -> AssessmentTargets:
        return cls.model_validate(
            {
                "overall": assessment.target_overall,
                "dimensions": dict(assessment.target_dimensions),
                "items": dict(assessment.target_items),
                "percent_to_target_from": assessment.percent_to_target_from,
            },
            strict=False,
        )

    def as_targets(self) -> Targets:
        return Targets(
            self.overall, dict(self.dimensions), dict(self.items), self.percent_to_target_from
        )


class AssessmentCreate(BaseModel):
    model_config = STRICT_BODY
    client_id: SingleLineText = Field(min_length=1, max_length=40)
    title: SingleLineText = Field(min_length=1, max_length=200)
    questionnaire_id: SingleLineText = Field(min_length=1, max_length=100)
    questionnaire_version: SingleLineText | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="Default: the newest version in the catalog",
    )
    targets: AssessmentTargets = AssessmentTargets()
    baseline_assessment_id: SingleLineText | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="An earlier assessment to measure progress against",
    )
    anonymity_k: AnonymityK | None = Field(
        default=None,
        description="Smallest group shown on its own: an integer from 3 to 100, never text, "
        "true/false or a decimal (default: the workspace's, 3)",
    )
    status: Literal["draft", "open"] = "open"
    closes_at: ClosesAt = Field(
        default=None,
        description="When the assessment closes itself (ISO 8601 with a zone); null: never",
    )
    reminder_days: list[ReminderDay] | None = Field(
        default=None,
        max_length=MAX_REMINDERS,
        description="Reminders to those who have not submitted, N days after their "
        "invitation at 09:00 in the workspace's time zone (default [3, 7])",
    )
    remind_before_close: bool = Field(
        default=True, description="A reminder at 09:00 on the day before the close date"
    )
    copy_baseline_team: bool = Field(
        default=False,
        description="Copy the baseline round's respondents (names, e-mails, attributes) as "
        "not invited yet; invite each with POST …/respondents/{id}/invite-link",
    )


class AssessmentUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = STRICT_BODY
    closes_at: ClosesAt | MISSING = Field(
        default=MISSING, description="A new close date (ISO 8601 with a zone), or null for none"
    )
    reminder_days: list[ReminderDay] | MISSING = Field(default=MISSING, max_length=MAX_REMINDERS)
    remind_before_close: bool | MISSING = Field(default=MISSING)
    # MISSING: a field left out has no value and documents no default.
    targets: AssessmentTargets | MISSING = Field(
        default=MISSING,
        description="Replaces the targets as a whole: fields left out of it are cleared "
        "(`{}` clears every target)",
    )


class AssessmentOut(BaseModel):
    id: str
    client_id: str
    title: str
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    status: AssessmentStatus
    targets: AssessmentTargets
    baseline_assessment_id: str | None
    anonymity_k: int
    results_version: int = Field(description="Changes whenever the results may have changed")
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    closes_at: datetime | None = Field(description="When it closes itself; null: never")
    reminder_days: list[int]
    remind_before_close: bool

    @classmethod
    def of(cls, assessment: Assessment) -> AssessmentOut:
        return cls(
            id=assessment.id,
            client_id=assessment.client_id,
            title=assessment.title,
            questionnaire_id=assessment.questionnaire_id,
            questionnaire_version=assessment.questionnaire_version,
            content_hash=assessment.content_hash,
            status=assessment.status,
            targets=AssessmentTargets.of(assessment),
            baseline_assessment_id=assessment.baseline_assessment_id,
            anonymity_k=assessment.anonymity_k,
            results_version=assessment.results_version,
            created_at=assessment.created_at,
            updated_at=assessment.updated_at,
            closed_at=assessment.closed_at,
            closes_at=assessment.closes_at,
            reminder_days=list(assessment.reminder_days),
            remind_before_close=assessment.remind_before_close,
        )


class AssessmentPage(BaseModel):
    items: list[AssessmentOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an assessment for a client",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_assessment(
    body: AssessmentCreate,
    work: ConsultantWorkDep,
    catalog: CatalogDep,
    response: Response,
) -> AssessmentOut:
    now = utc_now()
    plan = AssessmentPlan(
        closes_at=body.closes_at,
        reminder_days=body.reminder_days,
        remind_before_close=body.remind_before_close,
    )
    assessment = await work.run(
        lambda session, caller: create_with_plan(
            session=session,
            catalog=catalog,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            create=lambda: assessment_service.create_assessment(
                session=session,
                catalog=catalog,
                workspace_id=caller.workspace_id,
                actor=caller.actor,
                client_id=body.client_id,
                title=body.title,
                questionnaire_id=body.questionnaire_id,
                questionnaire_version=body.questionnaire_version,
                target_overall=body.targets.overall,
                target_dimensions=body.targets.dimensions,
                target_items=body.targets.items,
                percent_to_target_from=body.targets.percent_to_target_from,
                baseline_assessment_id=body.baseline_assessment_id,
                anonymity_k=body.anonymity_k,
                status=body.status,
                now=now,
            ),
            plan=plan,
            copy_baseline_team=body.copy_baseline_team,
            now=now,
        )
    )
    response.headers["Location"] = f"/api/v1/assessments/{assessment.id}"
    return AssessmentOut.of(assessment)


@router.get(
    "",
    summary="List assessments, least recently updated first (for syncing with `updated_since`)",
    responses=problem_responses(401, 403, 422),
)
async def list_assessments(
    work: ConsultantWorkDep,
    client_id: QueryText = None,
    status: AssessmentStatus | None = None,
    updated_since: UpdatedSince = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AssessmentPage:
    if updated_since is not None and updated_since.tzinfo is None:
        updated_since = updated_since.replace(tzinfo=UTC)
    page = await work.run(
        lambda session, caller: assessment_service.list_assessments(
            session=session,
            workspace_id=caller.workspace_id,
            client_id=client_id,
            status=status,
            updated_since=updated_since,
            cursor=cursor,
            limit=limit,
        )
    )
    return AssessmentPage(
        items=[AssessmentOut.of(a) for a in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/{assessment_id}", summary="Get an assessment", responses=problem_responses(401, 403, 404, 422)
)
async def get_assessment(assessment_id: PathId, work: ConsultantWorkDep) -> AssessmentOut:
    assessment = await work.run(
        lambda session, caller: assessment_service.get_assessment(
            session=session,
            workspace_id=caller.workspace_id,
            assessment_id=assessment_id,
        )
    )
    return AssessmentOut.of(assessment)


@router.patch(
    "/{assessment_id}",
    summary="Edit an assessment: its targets, close date and reminder plan",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def update_assessment(
    assessment_id: PathId, body: AssessmentUpdate, work: ConsultantWorkDep, catalog: CatalogDep
) -> AssessmentOut:
    targets = body.targets.as_targets() if isinstance(body.targets, AssessmentTargets) else None
    plan = _plan_of(body)

    def edit(session: Session, caller: Principal) -> Assessment:
        """Targets and plan in one transaction: both are kept, or neither."""
        if targets is not None:
            assessment_service.update_assessment_targets(
                session=session,
                catalog=catalog,
                workspace_id=caller.workspace_id,
                actor=caller.actor,
                assessment_id=assessment_id,
                targets=targets,
                now=utc_now(),
            )
        if plan is not None:
            update_assessment_plan(
                session=session,
                workspace_id=caller.workspace_id,
                actor=caller.actor,
                assessment_id=assessment_id,
                plan=plan,
                now=utc_now(),
            )
        return assessment_service.get_assessment(
            session=session, workspace_id=caller.workspace_id, assessment_id=assessment_id
        )

    return AssessmentOut.of(await work.run(edit))


def _plan_of(body: AssessmentUpdate) -> AssessmentPlan | None:
    """The schedule fields that were sent, or None when none was."""
    sent = body.model_fields_set & {"closes_at", "reminder_days", "remind_before_close"}
    if not sent:
        return None
    closes_at = body.closes_at if isinstance(body.closes_at, datetime) else None
    return AssessmentPlan(
        closes_at=closes_at,
        clear_closes_at="closes_at" in sent and closes_at is None,
        reminder_days=body.reminder_days if isinstance(body.reminder_days, list) else None,
        remind_before_close=(
            body.remind_before_close if isinstance(body.remind_before_close, bool) else None
        ),
    )


async def _change_status(
    action: Literal["open", "close", "reopen"],
    assessment_id: str,
    work: ConsultantWorkDep,
    catalog: Catalog | None = None,
) -> AssessmentOut:
    assessment = await work.run(
        lambda session, caller: assessment_service.change_assessment_status(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            assessment_id=assessment_id,
            action=action,
            now=utc_now(),
            catalog=catalog,
        )
    )
    return AssessmentOut.of(assessment)


_STATUS_RESPONSES = problem_responses(401, 403, 404, 409, 422)


@router.post(
    "/{assessment_id}/open", summary="Open a draft for answers", responses=_STATUS_RESPONSES
)
async def open_assessment(assessment_id: PathId, work: ConsultantWorkDep) -> AssessmentOut:
    return await _change_status("open", assessment_id, work)


@router.post(
    "/{assessment_id}/close",
    summary="Close an open assessment: answers can no longer change",
    responses=_STATUS_RESPONSES,
)
async def close_assessment(
    assessment_id: PathId, work: ConsultantWorkDep, catalog: CatalogDep
) -> AssessmentOut:
    # The catalog scores the results that the assessment.completed webhook event carries.
    return await _change_status("close", assessment_id, work, catalog)


@router.post(
    "/{assessment_id}/reopen", summary="Reopen a closed assessment", responses=_STATUS_RESPONSES
)
async def reopen_assessment(assessment_id: PathId, work: ConsultantWorkDep) -> AssessmentOut:
    return await _change_status("reopen", assessment_id, work)


class RemindersSent(BaseModel):
    reminded: int = Field(description="Reminders queued now")


@router.post(
    "/{assessment_id}/reminders",
    summary="Remind, now, every invited respondent who has not submitted (by e-mail)",
    description="Respondents without an e-mail, or who opted out, are left out; someone "
    "reminded by hand earlier the same day (in the workspace's time zone) is not reminded again.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def remind_respondents(
    assessment_id: PathId, work: ConsultantWorkDep, catalog: CatalogDep, settings: SettingsDep
) -> RemindersSent:
    reminded = await work.run(
        lambda session, caller: remind_unfinished(
            session=session,
            catalog=catalog,
            mailer=RespondentMailer.of(settings),
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            assessment_id=assessment_id,
            now=utc_now(),
        )
    )
    return RemindersSent(reminded=reminded)


@router.delete(
    "/{assessment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an assessment with its respondents and answers",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_assessment(assessment_id: PathId, work: ConsultantWorkDep) -> None:
    await work.run(
        lambda session, caller: assessment_service.delete_assessment(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            assessment_id=assessment_id,
        )
    )
