"""/api/v1/assessments/{id}/respondents: invite, list and remove respondents; their answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.api.paths import API_PREFIX, PathId
from app.api.strict_json import STRICT_BODY, StrictJsonRoute
from app.dependencies import CallerWorkDep, CatalogDep, ConsultantWorkDep, SettingsDep
from app.mail.transport import MailFolder
from app.models import Respondent, utc_now
from app.problems import problem_responses
from app.services import answers as answer_service
from app.services import erasure
from app.services import respondents as respondent_service
from app.services.answers import RespondentAnswersState
from app.services.authentication import Principal
from app.services.errors import NotFoundError
from app.services.respondent_links import reissue_link
from app.services.respondent_mail import MAX_PERSONAL_MESSAGE, RespondentMailer
from app.services.respondents import InvitedRespondent, NewRespondent
from app.text_rules import MultiLineText, SingleLineText
from scoring import AnswerProgress

__all__ = ["router"]

router = APIRouter(
    prefix=f"{API_PREFIX}/assessments/{{assessment_id}}/respondents",
    tags=["respondents"],
    route_class=StrictJsonRoute,
)

MAX_RESPONDENTS_PER_REQUEST = 500
MAX_ANSWERS_PER_SAVE = 1000
AttributeText = Annotated[SingleLineText, Field(max_length=100)]


class RespondentIn(BaseModel):
    model_config = STRICT_BODY
    name: SingleLineText | None = Field(default=None, max_length=200)
    email: SingleLineText | None = Field(default=None, max_length=320)
    attributes: dict[AttributeText, AttributeText] = Field(
        default={},
        max_length=50,
        description='e.g. {"role": "manager"}',
        # pydantic documents the keys' pattern as patternProperties; other keys are refused.
        json_schema_extra={"additionalProperties": False},
    )


class RespondentsCreate(BaseModel):
    model_config = STRICT_BODY
    respondents: list[RespondentIn] = Field(min_length=1, max_length=MAX_RESPONDENTS_PER_REQUEST)
    send_invites: bool = Field(
        default=False,
        description="Also e-mail each respondent who has an e-mail their invitation and link",
    )
    personal_message: MultiLineText = Field(
        default="",
        max_length=MAX_PERSONAL_MESSAGE,
        description="Added to the invitation e-mail (several lines allowed); kept only in "
        "the message",
    )


class InviteLinkCreate(BaseModel):
    model_config = STRICT_BODY
    send_invite: bool = Field(default=False, description="E-mail the new link to the respondent")
    personal_message: MultiLineText = Field(default="", max_length=MAX_PERSONAL_MESSAGE)


class RespondentOut(BaseModel):
    id: str
    assessment_id: str
    name: str | None
    email: str | None
    attributes: dict[str, str]
    status: str = Field(description="invited, in_progress or submitted")
    answered_items: int = Field(
        description="Questions shown to the respondent that they answered (as in the answers)"
    )
    item_count: int = Field(description="Questions shown to the respondent (as in the answers)")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    invited_at: datetime | None = Field(
        description="When their current link was issued; null: not invited yet (copied "
        "from an earlier round)"
    )
    mail_opt_out_at: datetime | None = Field(
        description="When they asked for no more reminders; null: they get them"
    )

    @classmethod
    def of(cls, respondent: Respondent, progress: AnswerProgress) -> RespondentOut:
        return cls(
            id=respondent.id,
            assessment_id=respondent.assessment_id,
            name=respondent.name,
            email=respondent.email,
            attributes=dict(respondent.attributes),
            status=respondent.status,
            answered_items=progress.answered_items,
            item_count=progress.item_count,
            created_at=respondent.created_at,
            updated_at=respondent.updated_at,
            submitted_at=respondent.submitted_at,
            invited_at=respondent.invited_at,
            mail_opt_out_at=respondent.mail_opt_out_at,
        )


class InvitedRespondentOut(RespondentOut):
    invite_token: str = Field(description="Shown only in this response; only a hash is stored")
    invite_url: str = Field(description="Shown only in this response")
    mailed: bool = Field(description="The invitation was queued to the respondent's e-mail")

    @classmethod
    def of_invited(cls, invited: InvitedRespondent) -> InvitedRespondentOut:
        return cls(
            **RespondentOut.of(invited.respondent, invited.progress).model_dump(),
            invite_token=invited.invite_token,
            invite_url=invited.invite_url,
            mailed=invited.mailed,
        )


class RespondentsCreated(BaseModel):
    respondents: list[InvitedRespondentOut]


class RespondentList(BaseModel):
    respondents: list[RespondentOut]


class AnswersSave(BaseModel):
    model_config = STRICT_BODY
    answers: dict[str, Any] = Field(
        default={},
        max_length=MAX_ANSWERS_PER_SAVE,
        description="Item id -> answer; merged into what is saved. null removes an answer.",
    )
    submit: bool = Field(default=False, description="Mark the respondent complete")


class AnswersOut(BaseModel):
    respondent_id: str
    assessment_id: str
    status: str
    answers: dict[str, Any]
    answered_items: int = Field(
        description="Questions shown to the respondent that they answered; "
        '"not applicable" and "don\'t know" count, answers to hidden follow-ups do not'
    )
    item_count: int = Field(
        description="Questions shown to the respondent: follow-ups count once an answer "
        "brings them up. The questionnaire pages and the console show the same N of M"
    )
    submitted_at: datetime | None

    @classmethod
    def of(cls, state: RespondentAnswersState) -> AnswersOut:
        return cls(
            respondent_id=state.respondent_id,
            assessment_id=state.assessment_id,
            status=state.status,
            answers=dict(state.answers),
            answered_items=state.progress.answered_items,
            item_count=state.progress.item_count,
            submitted_at=state.submitted_at,
        )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Invite one or more respondents (each invite URL is returned only here)",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def add_respondents(
    assessment_id: PathId,
    body: RespondentsCreate,
    work: ConsultantWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> RespondentsCreated:
    invited = await work.run(
        lambda session, caller: respondent_service.add_respondents(
            session=session,
            catalog=catalog,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            assessment_id=assessment_id,
            respondents=[NewRespondent(r.name, r.email, r.attributes) for r in body.respondents],
            base_url=settings.base_url,
            now=utc_now(),
            mailer=RespondentMailer.of(settings),
            send_invites=body.send_invites,
            personal_message=body.personal_message,
        )
    )
    return RespondentsCreated(respondents=[InvitedRespondentOut.of_invited(i) for i in invited])


@router.post(
    "/{respondent_id}/invite-link",
    status_code=status.HTTP_201_CREATED,
    summary="Issue a new invite link (the old one stops working; answers are kept)",
    description="Also invites a respondent copied from an earlier round for the first time. "
    "The new link is returned only here.",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def reissue_invite_link(
    assessment_id: PathId,
    respondent_id: PathId,
    work: ConsultantWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    body: InviteLinkCreate | None = None,
) -> InvitedRespondentOut:
    chosen = body or InviteLinkCreate()
    invited = await work.run(
        lambda session, caller: reissue_link(
            session=session,
            catalog=catalog,
            mailer=RespondentMailer.of(settings),
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            send_invite=chosen.send_invite,
            personal_message=chosen.personal_message,
            now=utc_now(),
        )
    )
    return InvitedRespondentOut.of_invited(invited)


@router.get(
    "",
    summary="List respondents with their status",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_respondents(
    assessment_id: PathId, work: ConsultantWorkDep, catalog: CatalogDep
) -> RespondentList:
    rows = await work.run(
        lambda session, caller: respondent_service.list_respondents(
            session=session,
            catalog=catalog,
            workspace_id=caller.workspace_id,
            assessment_id=assessment_id,
        )
    )
    return RespondentList(respondents=[RespondentOut.of(r.respondent, r.progress) for r in rows])


@router.delete(
    "/{respondent_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a respondent and their answers",
    responses=problem_responses(401, 403, 404, 422),
)
async def remove_respondent(
    assessment_id: PathId, respondent_id: PathId, work: ConsultantWorkDep, catalog: CatalogDep
) -> None:
    await work.run(
        lambda session, caller: respondent_service.remove_respondent(
            session=session,
            catalog=catalog,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            now=utc_now(),
        )
    )


class ErasureOut(BaseModel):
    respondent_id: str
    assessment_id: str
    mode: str = Field(
        description="`anonymised`: their scored answers still count, anonymously, in the team's "
        "figures (they had submitted and the team reaches k); `removed`: the answers went "
        "with them and the results were rescored (a self-assessment goes as a whole)."
    )


@router.post(
    "/{respondent_id}/erase",
    summary="Erase a respondent's personal data on request",
    description="Their name, e-mail, attributes, free-text answers, lead, mail and link go, "
    "and every mention of them in webhook event bodies, audit details, stored idempotent "
    "responses and cached reports. See docs/api.md, 'Erasure on request'.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def erase_respondent(
    assessment_id: PathId,
    respondent_id: PathId,
    work: ConsultantWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> ErasureOut:
    erased = await work.run(
        lambda session, caller: erasure.erase_respondent(
            session=session,
            catalog=catalog,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            now=utc_now(),
            mail_folder=MailFolder(settings.mail_folder),
        )
    )
    return ErasureOut(
        respondent_id=erased.respondent_id, assessment_id=erased.assessment_id, mode=erased.mode
    )


def _refuse_other_respondents(caller: Principal, assessment_id: str, respondent_id: str) -> None:
    """An invite token reaches only its own respondent; anything else does not exist for it."""
    if not caller.is_api_key and (caller.assessment_id, caller.respondent_id) != (
        assessment_id,
        respondent_id,
    ):
        raise NotFoundError("respondent", respondent_id)


@router.post(
    "/{respondent_id}/answers",
    summary="Save answers (partial saves merge; `submit` marks the respondent complete)",
    description="Authenticate with an API key, or with the respondent's own invite token.",
    responses=problem_responses(401, 404, 409, 413, 422),
)
async def save_answers(
    assessment_id: PathId,
    respondent_id: PathId,
    body: AnswersSave,
    work: CallerWorkDep,
    catalog: CatalogDep,
) -> AnswersOut:
    if work.holds_invite_token:
        invited = answer_service.invited_save(
            catalog=catalog,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            changes=body.answers,
            submit=body.submit,
            now=utc_now(),
        )
        return AnswersOut.of(await work.run_as_invitee(invited, workspace_of=_workspace_of))

    def save(session: Session, caller: Principal) -> RespondentAnswersState:
        return answer_service.save_answers(
            session=session,
            catalog=catalog,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            by_consultant=True,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            changes=body.answers,
            submit=body.submit,
            now=utc_now(),
        )

    return AnswersOut.of(await work.run(save))


def _workspace_of(state: RespondentAnswersState) -> str:
    return state.workspace_id


@router.get(
    "/{respondent_id}/answers",
    summary="A respondent's saved answers",
    description="Authenticate with an API key, or with the respondent's own invite token.",
    responses=problem_responses(401, 404, 409, 422),
)
async def read_answers(
    assessment_id: PathId, respondent_id: PathId, work: CallerWorkDep, catalog: CatalogDep
) -> AnswersOut:
    def read(session: Session, caller: Principal) -> RespondentAnswersState:
        _refuse_other_respondents(caller, assessment_id, respondent_id)
        return answer_service.read_answers(
            session=session,
            catalog=catalog,
            workspace_id=caller.workspace_id,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
        )

    return AnswersOut.of(await work.run(read))
