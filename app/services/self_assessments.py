"""Self-assessments: one person takes a questionnaire online, without an account.

A workspace publishes a link, /s/<slug>; the server's home page offers the link of the first
workspace that published one. Each self-assessment is an assessment of kind "self" with one
respondent, filed under the workspace's "Online self-assessments" client, so the workspace
sees the results (and its webhooks hear of them). The respondent's token is the private
resume link; submitting closes the assessment, which freezes the answers and lets the
report be rendered ahead of the download.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog, UnknownQuestionnaireError
from app.models import Client, Workspace
from app.repositories import clients as client_rows
from app.repositories import workspaces as workspace_rows
from app.services.assessments import change_assessment_status, create_assessment
from app.services.errors import FieldProblem, InvalidInputError, NotFoundError
from app.services.leads import (
    LeadSubmission,
    lead_event_data,
    mail_results_link,
    record_lead,
)
from app.services.respondent_access import OpenedInvite, open_invite, save_as_respondent
from app.services.respondent_mail import ThanksRequest, queue_thanks
from app.services.respondents import NewRespondent, add_respondents
from app.services.webhook_events import record_assessment_event
from scoring import Package, check_attributes

__all__ = [
    "PUBLIC_SLUG_PATTERN",
    "NothingPublished",
    "PublicLink",
    "continue_in_full_form",
    "find_home_link",
    "find_public_link",
    "offered_questionnaires",
    "start_self_assessment",
    "submit_answers",
]

SELF_ASSESSMENT_CLIENT_NAME = "Online self-assessments"
PUBLIC_SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])")
SELF_ACTOR = "self-assessment"


@dataclass(frozen=True, slots=True)
class PublicLink:
    workspace: Workspace
    questionnaires: tuple[Package, ...]


@dataclass(frozen=True, slots=True)
class NothingPublished:
    """No workspace publishes a link. `installation_set_up`: some workspace exists (else the
    installation still awaits its first-run setup)."""

    installation_set_up: bool


def offered_questionnaires(catalog: Catalog) -> tuple[Package, ...]:
    """The newest version of each listed questionnaire, shortest first."""
    newest: dict[str, Package] = {}
    for package in catalog:
        if package.questionnaire.listed:
            newest[package.id] = catalog.get(package.id)
    return tuple(sorted(newest.values(), key=lambda p: (len(p.items), p.id)))


def find_public_link(*, session: Session, catalog: Catalog, slug: str | None) -> PublicLink:
    """The workspace publishing `slug` (None: the server's home link); NotFoundError when
    nothing is published under it."""
    workspace = workspace_rows.find_published_workspace(session, slug)
    if workspace is None:
        raise NotFoundError("self-assessment link", slug or "/")
    return PublicLink(workspace, offered_questionnaires(catalog))


def find_home_link(*, session: Session, catalog: Catalog) -> PublicLink | NothingPublished:
    """The link the server's home page offers, or NothingPublished when no workspace
    publishes one."""
    try:
        return find_public_link(session=session, catalog=catalog, slug=None)
    except NotFoundError:
        return NothingPublished(workspace_rows.any_workspace_exists(session))


def start_self_assessment(
    *,
    session: Session,
    catalog: Catalog,
    slug: str | None,
    questionnaire_id: str,
    attributes: Mapping[str, str],
    base_url: str,
    now: datetime,
) -> str:
    """Begin a self-assessment; returns the respondent's token (the private resume link).
    `attributes` answer the questionnaire's "about you" questions, e.g. the person's role."""
    link = find_public_link(session=session, catalog=catalog, slug=slug)
    if questionnaire_id not in {p.id for p in link.questionnaires}:
        raise InvalidInputError(
            [FieldProblem("questionnaire_id", "choose one of the questionnaires offered")]
        )
    try:
        package = catalog.get(questionnaire_id)
    except UnknownQuestionnaireError as error:  # pragma: no cover - offered implies known
        raise InvalidInputError([FieldProblem("questionnaire_id", str(error))]) from error
    problems = check_attributes(package, attributes)
    if problems:
        labels = {a.id: a.label for a in package.questionnaire.attributes}
        raise InvalidInputError(
            [_attribute_problem(p.field.removeprefix("attributes."), labels) for p in problems]
        )
    return _begin(
        session=session,
        catalog=catalog,
        workspace=link.workspace,
        package=package,
        attributes=attributes,
        base_url=base_url,
        now=now,
    )


def continue_in_full_form(
    *, session: Session, catalog: Catalog, opened: OpenedInvite, base_url: str, now: datetime
) -> str:
    """Start the full diagnostic a short-form self-assessment was built from, with the person's
    attributes and the answers they already gave carried over (items are shared unchanged, so
    the answers mean the same there); returns the new resume token."""
    questionnaire = opened.package.questionnaire
    if not opened.is_self_assessment or questionnaire.short_form_of is None:
        raise InvalidInputError(
            [FieldProblem("questionnaire", "only a quick check continues in a full diagnostic")]
        )
    try:
        full = catalog.get(
            questionnaire.short_form_of, questionnaire.short_form_version or questionnaire.version
        )
    except UnknownQuestionnaireError as error:  # pragma: no cover - the catalog checks parents
        raise InvalidInputError([FieldProblem("questionnaire", str(error))]) from error
    token = _begin(
        session=session,
        catalog=catalog,
        workspace=opened.workspace,
        package=full,
        attributes=opened.respondent.attributes,
        base_url=base_url,
        now=now,
    )
    carried = {item: value for item, value in opened.answers.items() if item in full.items}
    save_as_respondent(
        session=session,
        catalog=catalog,
        opened=open_invite(session=session, catalog=catalog, token=token),
        changes=carried,
        submit=False,
        now=now,
    )
    return token


def _begin(
    *,
    session: Session,
    catalog: Catalog,
    workspace: Workspace,
    package: Package,
    attributes: Mapping[str, str],
    base_url: str,
    now: datetime,
) -> str:
    """A new self-assessment on `package` with its one respondent; returns their token."""
    assessment = create_assessment(
        session=session,
        catalog=catalog,
        workspace_id=workspace.id,
        actor=SELF_ACTOR,
        client_id=_self_assessment_client(session, workspace, now).id,
        title=f"{package.questionnaire.title} — {now:%d %b %Y %H:%M} UTC",
        questionnaire_id=package.id,
        questionnaire_version=package.version,
        target_overall=None,
        target_dimensions={},
        baseline_assessment_id=None,
        anonymity_k=1,
        status="open",
        now=now,
        kind="self",
    )
    invited = add_respondents(
        session=session,
        catalog=catalog,
        workspace_id=workspace.id,
        actor=SELF_ACTOR,
        assessment_id=assessment.id,
        respondents=[NewRespondent(name=None, email=None, attributes=dict(attributes))],
        base_url=base_url,
        now=now,
    )
    return invited[0].invite_token


def submit_answers(
    *,
    session: Session,
    catalog: Catalog,
    opened: OpenedInvite,
    now: datetime,
    lead: LeadSubmission | None = None,
    thanks: ThanksRequest | None = None,
) -> None:
    """Mark the respondent's answers complete. A self-assessment then closes: its answers
    stay as they are and its result is final. With the workspace's lead form filled in
    (`lead`), the lead is kept, carried in the event, and sent the link to the results;
    a lead form that is refused (InvalidInputError, fields `lead.*`) submits nothing.
    An invited respondent with an e-mail who asked for it (`thanks`) is recorded as asking
    and sent the thank-you mail with their link, once however often they submit."""
    recorded = None
    if lead is not None and opened.is_self_assessment:
        recorded = record_lead(
            session=session,
            workspace=opened.workspace,
            respondent_id=opened.respondent.id,
            form=lead.form,
            now=now,
        )
    save_as_respondent(
        session=session, catalog=catalog, opened=opened, changes={}, submit=True, now=now
    )
    if thanks is not None and not opened.is_self_assessment and opened.respondent.email:
        respondent = opened.respondent
        respondent.thanks_requested = True
        session.add(respondent)
        session.flush()
        queue_thanks(
            session=session,
            mailer=thanks.mailer,
            catalog=catalog,
            assessment=opened.assessment,
            respondent=respondent,
            token=thanks.token,
            now=now,
        )
    if opened.is_self_assessment:
        lead_data, lead_fields = lead_event_data(recorded)
        change_assessment_status(
            session=session,
            workspace_id=opened.assessment.workspace_id,
            actor=SELF_ACTOR,
            assessment_id=opened.assessment.id,
            action="close",
            now=now,
            catalog=catalog,
        )
        record_assessment_event(
            session=session,
            catalog=catalog,
            workspace_id=opened.assessment.workspace_id,
            event_type="self_assessment.submitted",
            assessment_id=opened.assessment.id,
            extra={
                "respondent_id": opened.respondent.id,
                "attributes": dict(opened.respondent.attributes),
                **lead_data,
            },
            extra_fields=lead_fields,
            now=now,
        )
        if recorded is not None and lead is not None:
            mail_results_link(
                session=session,
                sender=lead.sender,
                lead=recorded,
                questionnaire_title=opened.package.questionnaire.title,
                results_path=lead.results_path,
                now=now,
            )


def _attribute_problem(attribute_id: str, labels: Mapping[str, str]) -> FieldProblem:
    label = labels.get(attribute_id)
    message = f"answer “{label}”" if label else "this question is not asked here"
    return FieldProblem(f"attributes.{attribute_id}", message)


def _self_assessment_client(session: Session, workspace: Workspace, now: datetime) -> Client:
    if workspace.self_assessment_client_id is not None:
        client = client_rows.get_client(
            session, workspace_id=workspace.id, client_id=workspace.self_assessment_client_id
        )
        if client is not None:
            return client
    client = client_rows.add_client(
        session,
        Client(
            workspace_id=workspace.id,
            name=SELF_ASSESSMENT_CLIENT_NAME,
            created_at=now,
            updated_at=now,
        ),
    )
    workspace.self_assessment_client_id = client.id
    session.add(workspace)
    session.flush()
    return client
