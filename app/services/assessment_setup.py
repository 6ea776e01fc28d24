"""Starting a team assessment from the console: the choices the form offers, and the form's
answer turned into a client (when a new one is named) and an open assessment, all at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog, UnknownQuestionnaireError
from app.models import Assessment
from app.repositories import console_overview as overview_rows
from app.services.assessment_schedule import (
    AssessmentPlan,
    closes_at_of_day,
    create_with_plan,
    workspace_time_zone,
)
from app.services.assessments import create_assessment
from app.services.client_registration import (
    ClientForm,
    client_directory,
    client_form_problems,
    register_client,
)
from app.services.errors import FieldProblem, InvalidInputError
from app.services.schedule_form import read_close_day
from app.services.target_form import TargetChoices, TargetForm, target_choices, targets_from_form
from scoring import Package, answer_progress

__all__ = [
    "AssessmentChoices",
    "BaselineChoice",
    "NewTeamAssessment",
    "QuestionnaireChoice",
    "new_assessment_choices",
    "newest_packages",
    "start_team_assessment",
]

_BASELINE_CHOICES = 200
# create_assessment's field names that differ from the console form's
_FORM_FIELDS = {"targets.overall": "target_overall"}


@dataclass(frozen=True, slots=True)
class QuestionnaireChoice:
    id: str
    version: str
    title: str
    item_count: int
    stages: tuple[tuple[str, str], ...]  # (stage id, name), lowest first


@dataclass(frozen=True, slots=True)
class BaselineChoice:
    id: str
    title: str
    client_name: str
    status: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AssessmentChoices:
    clients: tuple[tuple[str, str], ...]  # (client id, name)
    questionnaires: tuple[QuestionnaireChoice, ...]
    # questionnaire id -> earlier team assessments of it, newest first
    baselines: dict[str, tuple[BaselineChoice, ...]]
    # the target form of the chosen questionnaire: its stages and items only; None until chosen
    targets: TargetChoices | None = None
    time_zone: str = "UTC"  # the workspace's: the close date is a day in it


@dataclass(frozen=True, slots=True)
class NewTeamAssessment:
    """The form as typed: `client_id` or `new_client_name`; blank optional fields are unset.
    `targets` holds the target fields (app/services/target_form.py), `target_overall` among
    them."""

    title: str
    questionnaire_id: str
    client_id: str = ""
    new_client_name: str = ""
    baseline_assessment_id: str = ""
    targets: TargetForm = field(default_factory=TargetForm)
    closes_at: str = ""  # the last day for answers, YYYY-MM-DD in the workspace's time zone
    copy_baseline_team: bool = False

    @property
    def target_overall(self) -> str:
        return self.targets.overall

    @property
    def targets_of_another_questionnaire(self) -> bool:
        """The target fields were shown for another questionnaire than the one now chosen."""
        shown_for = self.targets.targets_for
        return bool(shown_for) and shown_for != self.questionnaire_id


def newest_packages(catalog: Catalog) -> tuple[Package, ...]:
    """The newest version of every questionnaire in the catalog, by title."""
    ids = {package.id for package in catalog}
    return tuple(sorted((catalog.get(i) for i in ids), key=lambda p: p.questionnaire.title))


def new_assessment_choices(
    *, session: Session, catalog: Catalog, workspace_id: str, questionnaire_id: str = ""
) -> AssessmentChoices:
    """What the new-assessment form offers: clients, questionnaires with their stages, earlier
    team assessments of each questionnaire as baselines, and the target form of the chosen
    questionnaire (`questionnaire_id`; none when it is blank or unknown)."""
    clients = client_directory(session=session, workspace_id=workspace_id)
    earlier = overview_rows.assessments_with_counts(
        session, workspace_id=workspace_id, kind="team", limit=_BASELINE_CHOICES
    )
    baselines: dict[str, list[BaselineChoice]] = {}
    for row in earlier:
        baselines.setdefault(row.questionnaire_id, []).append(
            BaselineChoice(row.id, row.title, row.client_name, row.status, row.created_at)
        )
    return AssessmentChoices(
        clients=tuple((client.id, client.name) for client in clients),
        questionnaires=tuple(
            QuestionnaireChoice(
                package.id,
                package.version,
                package.questionnaire.title,
                answer_progress(package, {}).item_count,  # asked of everyone
                tuple((stage.id, stage.name) for stage in package.stage_model.stages),
            )
            for package in newest_packages(catalog)
        ),
        baselines={key: tuple(rows) for key, rows in baselines.items()},
        targets=_target_choices(catalog, questionnaire_id),
        time_zone=workspace_time_zone(session, workspace_id),
    )


def _target_choices(catalog: Catalog, questionnaire_id: str) -> TargetChoices | None:
    if not questionnaire_id:
        return None
    try:
        return target_choices(catalog.get(questionnaire_id))
    except UnknownQuestionnaireError:
        return None


def start_team_assessment(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    form: NewTeamAssessment,
    now: datetime,
) -> Assessment:
    """Create an open team assessment, and first its client when a new one is named, with
    its close date (open until the end of that day in the workspace's time zone) and, with
    `copy_baseline_team`, the team of its baseline round, not invited yet (the API's rules:
    app/services/assessment_schedule.py). InvalidInputError names every bad field of the
    form; the caller's transaction then rolls back, so a new client is never left without
    its assessment."""
    day, problems = read_close_day(form.closes_at)
    time_zone = workspace_time_zone(session, workspace_id)
    plan = AssessmentPlan(closes_at=None if day is None else closes_at_of_day(day, time_zone))
    try:
        assessment = create_with_plan(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            actor=actor,
            create=lambda: _create_team_assessment(
                session=session,
                catalog=catalog,
                workspace_id=workspace_id,
                actor=actor,
                form=form,
                now=now,
            ),
            plan=plan,
            copy_baseline_team=form.copy_baseline_team,
            now=now,
        )
    except InvalidInputError as error:
        raise InvalidInputError([*problems, *error.problems]) from error
    if problems:
        raise InvalidInputError(problems)
    return assessment


def _create_team_assessment(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    actor: str,
    form: NewTeamAssessment,
    now: datetime,
) -> Assessment:
    problems = []
    title = form.title.strip()
    if not title:
        problems.append(FieldProblem("title", "give the assessment a title, e.g. “Q3 review”"))
    elif len(title) > 200:
        problems.append(FieldProblem("title", "use at most 200 characters"))
    new_client = form.new_client_name.strip()
    if new_client and form.client_id:
        problems.append(FieldProblem("client_id", "choose a client or name a new one, not both"))
    elif not new_client and not form.client_id:
        problems.append(FieldProblem("client_id", "choose a client or name a new one"))
    elif new_client:
        problems += [
            FieldProblem("new_client_name", p.message)
            for p in client_form_problems(
                session=session, workspace_id=workspace_id, form=ClientForm(name=new_client)
            )
        ]
    if not form.questionnaire_id:
        problems.append(FieldProblem("questionnaire_id", "choose a questionnaire"))
    targets = None
    if form.targets_of_another_questionnaire and form.targets.sets_any:
        message = (
            "the targets were set for another questionnaire; this one has its own stages and "
            "questions, now shown: set its targets, or leave them blank"
        )
        problems.append(FieldProblem("targets", message))
    elif form.questionnaire_id:
        try:
            package = catalog.get(form.questionnaire_id)
        except UnknownQuestionnaireError:
            package = None  # create_assessment names the questionnaire field
        if package is not None:
            targets, target_problems = targets_from_form(package, form.targets)
            problems += target_problems
    if problems:
        raise InvalidInputError(problems)
    client_id = form.client_id
    if new_client:
        client_id = register_client(
            session=session,
            workspace_id=workspace_id,
            actor=actor,
            form=ClientForm(name=new_client),
            now=now,
        ).id
    try:
        return create_assessment(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            actor=actor,
            client_id=client_id,
            title=title,
            questionnaire_id=form.questionnaire_id,
            questionnaire_version=None,
            target_overall=None if targets is None else targets.overall,
            target_dimensions={} if targets is None else targets.dimensions,
            target_items=None if targets is None else targets.items,
            percent_to_target_from="zero" if targets is None else targets.percent_to_target_from,
            baseline_assessment_id=form.baseline_assessment_id or None,
            anonymity_k=None,
            status="open",
            now=now,
        )
    except InvalidInputError as error:
        raise InvalidInputError(
            [
                FieldProblem(_FORM_FIELDS.get(p.field, p.field), _form_message(p))
                for p in error.problems
            ]
        ) from error


def _form_message(problem: FieldProblem) -> str:
    if problem.field == "targets.overall":
        return "choose one of this questionnaire's stages"
    return problem.message
