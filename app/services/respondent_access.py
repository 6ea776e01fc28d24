"""A respondent reaching their questionnaire through the token in their link.

Invited respondents and people taking a self-assessment hold the same kind of token; the
pages call `open_invite` on every request. The answer is everything a page needs: the
respondent, the assessment, the pinned questionnaire, the saved answers and the branding of
the workspace that sent the link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment, Respondent, Workspace
from app.persistence.steps import Steps, StepWork
from app.repositories import answer_saves as answer_rows
from app.repositories import assessments as assessment_rows
from app.repositories import respondents as respondent_rows
from app.repositories import workspaces as workspace_rows
from app.services.answers import save_answers, save_steps
from app.services.assessments import pinned_package
from app.services.credentials import INVITE_TOKEN_MARKER, hash_secret
from app.services.errors import DomainError
from scoring import AnswerError, Item, Package

__all__ = [
    "AutosaveRefusedError",
    "Autosaved",
    "InviteUnavailableError",
    "OpenedInvite",
    "autosave",
    "open_invite",
    "save_as_respondent",
    "save_own_answers",
]


class InviteUnavailableError(DomainError):
    """The link's token names no respondent: mistyped, or the respondent was removed."""


@dataclass(frozen=True, slots=True)
class OpenedInvite:
    respondent: Respondent
    assessment: Assessment
    workspace: Workspace
    package: Package
    answers: Mapping[str, Any]

    @property
    def is_self_assessment(self) -> bool:
        return self.assessment.kind == "self"

    @property
    def is_submitted(self) -> bool:
        return self.respondent.status == "submitted"

    @property
    def accepts_answers(self) -> bool:
        return self.assessment.status == "open"


def open_invite(*, session: Session, catalog: Catalog, token: str) -> OpenedInvite:
    """The respondent behind `token` with their saved answers; InviteUnavailableError when the
    token is unknown (one message for every reason, so a guesser learns nothing)."""
    token_hash = _token_hash(token)
    holder = (
        None
        if token_hash is None
        else respondent_rows.find_respondent_by_invite_hash(session, token_hash)
    )
    if holder is None:
        raise InviteUnavailableError("this link does not open any questionnaire")
    respondent = respondent_rows.get_respondent(
        session,
        workspace_id=holder.workspace_id,
        assessment_id=holder.assessment_id,
        respondent_id=holder.id,
    )
    assessment = assessment_rows.get_assessment(
        session, workspace_id=holder.workspace_id, assessment_id=holder.assessment_id
    )
    workspace = workspace_rows.get_workspace(session, holder.workspace_id)
    if respondent is None or assessment is None or workspace is None:  # pragma: no cover
        raise InviteUnavailableError("this link does not open any questionnaire")
    return OpenedInvite(
        respondent=respondent,
        assessment=assessment,
        workspace=workspace,
        package=pinned_package(catalog, assessment),
        answers=respondent_rows.answers_of(session, respondent_id=respondent.id),
    )


def _token_hash(token: str) -> str | None:
    """The hash to look the link's token up by; None for what cannot be a token."""
    if token.startswith(INVITE_TOKEN_MARKER) and len(token) < 100:
        return hash_secret(token)
    return None


@dataclass(frozen=True, slots=True)
class Autosaved:
    """What an autosave of one item came to: the questionnaire and the answers as saved,
    and why the item was refused, if it was."""

    package: Package
    answers: Mapping[str, Any]
    refused: Mapping[str, str]


class AutosaveRefusedError(DomainError):
    """The autosave names no question of the questionnaire, or the assessment takes no answers."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


def autosave(
    *,
    catalog: Catalog,
    token: str,
    item_id: str,
    read_item: Callable[[Package, Item], tuple[Mapping[str, Any], Mapping[str, str]]],
    now: datetime,
) -> StepWork[Autosaved]:
    """Save one item's answer from the respondent's own page, as they type: `read_item` reads
    the posted fields of the item into changes and what could not be read. The steps of a
    short write (app/persistence/steps.py). InviteUnavailableError for an unknown link,
    AutosaveRefusedError for an unknown item or an assessment that takes no answers."""

    def work(dialect: str) -> Steps[Autosaved]:
        token_hash = _token_hash(token)
        found = (
            []
            if token_hash is None
            else (yield answer_rows.lock_target_by_link(invite_token_hash=token_hash))
        )
        target = answer_rows.answer_target(found)
        if target is None:
            raise InviteUnavailableError("this link does not open any questionnaire")
        package = pinned_package(catalog, target)
        item = package.items.get(item_id)
        if item is None:
            raise AutosaveRefusedError("no such question", status=422)
        if target.assessment_status != "open":
            raise AutosaveRefusedError("the assessment is closed", status=409)
        changes, unreadable = read_item(package, item)
        if unreadable:
            return Autosaved(package, target.answers, unreadable)
        try:
            state = yield from save_steps(
                dialect,
                catalog=catalog,
                target=target,
                audit_actor=None,
                changes=changes,
                submit=False,
                now=now,
            )
        except AnswerError as error:
            return Autosaved(package, target.answers, _refused_changes(error, changes))
        return Autosaved(package, state.answers, {})

    return work


def _refused_changes(error: AnswerError, changes: Mapping[str, Any]) -> dict[str, str]:
    """Why each of `changes` was refused, by item id; the error itself when it is about
    none of them (a saved answer no longer fits: not this page's doing)."""
    bad = {p.field.removeprefix("answers."): p.message for p in error.problems}
    if not bad.keys() & changes.keys():
        raise error
    return {k: v for k, v in bad.items() if k in changes}


def save_as_respondent(
    *,
    session: Session,
    catalog: Catalog,
    opened: OpenedInvite,
    changes: Mapping[str, Any],
    submit: bool,
    now: datetime,
) -> OpenedInvite:
    """Save (and with `submit`, mark complete) the respondent's own answers, acting as them;
    returns the invite holding the answers as saved."""
    state = save_answers(
        session=session,
        catalog=catalog,
        workspace_id=opened.assessment.workspace_id,
        actor=f"respondent:{opened.respondent.id}",
        by_consultant=False,
        assessment_id=opened.assessment.id,
        respondent_id=opened.respondent.id,
        changes=changes,
        submit=submit,
        now=now,
    )
    return replace(opened, answers=state.answers)


def save_own_answers(
    *,
    session: Session,
    catalog: Catalog,
    opened: OpenedInvite,
    changes: Mapping[str, Any],
    now: datetime,
) -> tuple[OpenedInvite, dict[str, str]]:
    """Save what fits of a respondent's changes; returns the invite holding the answers as
    saved and why the rest was refused, by item id: one bad answer on a page must not throw
    away the good ones next to it."""
    refused: dict[str, str] = {}
    pending = dict(changes)
    while True:
        try:
            saved = save_as_respondent(
                session=session,
                catalog=catalog,
                opened=opened,
                changes=pending,
                submit=False,
                now=now,
            )
            return saved, refused
        except AnswerError as error:
            refused.update(_refused_changes(error, pending))
            pending = {k: v for k, v in pending.items() if k not in refused}
