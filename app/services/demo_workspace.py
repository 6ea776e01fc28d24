"""A demo workspace for a first start: a fictional consulting firm, its client and two rounds
of a leadership-team diagnostic, so a newcomer can sign in and see results and a report at once.

Everything goes through the ordinary services, so the demo passes every check a consultant's
data passes. The client's team is app/services/demo_team.py; how its people answer, generated
deterministically from the loaded package, is app/services/demo_answers.py.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlmodel import Session

from app.catalog import Catalog
from app.persistence.unit_of_work import unit_of_work
from app.repositories import workspaces as workspace_rows
from app.services.admin import create_workspace
from app.services.answers import save_answers
from app.services.assessments import change_assessment_status, create_assessment
from app.services.clients import create_client
from app.services.demo_answers import demo_answers
from app.services.demo_team import PEOPLE, fit_attributes
from app.services.respondents import NewRespondent, add_respondents
from scoring import Package

__all__ = [
    "OWNER_EMAIL",
    "QUESTIONNAIRE_ID",
    "DemoWorkspace",
    "create_demo_workspace",
    "ensure_demo_workspace",
]

QUESTIONNAIRE_ID = "operational-maturity"
WORKSPACE_NAME = "Demo — Harbourline Advisory"
PUBLIC_SLUG = "harbourline"
OWNER_EMAIL = "demo@opsmaturity.test"
OWNER_NAME = "Demo Consultant"
ACTOR = "demo"
TARGET_STAGE = "managed"  # one stage above where the second round lands: a gap to show
# Any fixed number (beside the migrations' 7_240_431): serialises demo creation of workers
# that start together on one PostgreSQL.
DEMO_LOCK_ID = 7_240_432


@dataclass(frozen=True, slots=True)
class DemoWorkspace:
    """What a first start prints: how to sign in. The password is shown once, never stored."""

    workspace_id: str
    owner_email: str
    owner_password: str = field(repr=False)
    client_id: str
    assessment_id: str
    baseline_assessment_id: str


def create_demo_workspace(
    *, session: Session, catalog: Catalog, base_url: str, now: datetime
) -> DemoWorkspace:
    """Create the demo workspace with its owner (a generated password), a client and two
    closed rounds of the operational-maturity diagnostic, the second measured against the
    first. Raises UnknownQuestionnaireError, before writing anything, when the catalog lacks
    the questionnaire, and ConflictError when the demo owner's email is taken."""
    package = catalog.get(QUESTIONNAIRE_ID)
    password = secrets.token_urlsafe(12)
    first_opened = now - timedelta(weeks=15)
    second_opened = now - timedelta(weeks=3)
    workspace, _ = create_workspace(
        session=session,
        name=WORKSPACE_NAME,
        owner_email=OWNER_EMAIL,
        owner_name=OWNER_NAME,
        owner_password=password,
        now=first_opened,
    )
    # The demo publishes its self-assessment link, so the home page offers the diagnostic.
    workspace.public_slug = PUBLIC_SLUG
    session.add(workspace)
    client = create_client(
        session=session,
        workspace_id=workspace.id,
        actor=ACTOR,
        name="Brightwater Foods",
        industry="Food manufacturing",
        size_band="201-500",
        external_ref=None,
        now=first_opened,
    )
    titles = [f"Leadership team diagnostic — {quarter}" for quarter in _quarters(second_opened)]
    baseline_id = _run_round(
        session,
        catalog,
        package,
        workspace_id=workspace.id,
        client_id=client.id,
        title=titles[0],
        round_number=0,
        baseline_id=None,
        opened=first_opened,
        base_url=base_url,
    )
    assessment_id = _run_round(
        session,
        catalog,
        package,
        workspace_id=workspace.id,
        client_id=client.id,
        title=titles[1],
        round_number=1,
        baseline_id=baseline_id,
        opened=second_opened,
        base_url=base_url,
    )
    return DemoWorkspace(workspace.id, OWNER_EMAIL, password, client.id, assessment_id, baseline_id)


def ensure_demo_workspace(
    *, engine: Engine, catalog: Catalog, base_url: str, now: datetime
) -> DemoWorkspace | None:
    """Create the demo in one transaction unless some workspace exists already (then None).
    Workers starting together on PostgreSQL queue on an advisory lock, and on SQLite the
    write transaction's lock does the same: the first creates the demo, the rest find it."""
    with unit_of_work(engine, writes=True) as session:
        if engine.dialect.name == "postgresql":
            session.connection().execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": DEMO_LOCK_ID}
            )
        if workspace_rows.any_workspace_exists(session):
            return None
        return create_demo_workspace(session=session, catalog=catalog, base_url=base_url, now=now)


def _run_round(
    session: Session,
    catalog: Catalog,
    package: Package,
    *,
    workspace_id: str,
    client_id: str,
    title: str,
    round_number: int,
    baseline_id: str | None,
    opened: datetime,
    base_url: str,
) -> str:
    """One closed round: open the assessment, invite the people, let each save a full set of
    answers and submit (about a day apart), then close it. Returns the assessment id."""
    assessment = create_assessment(
        session=session,
        catalog=catalog,
        workspace_id=workspace_id,
        actor=ACTOR,
        client_id=client_id,
        title=title,
        questionnaire_id=package.id,
        questionnaire_version=package.version,
        target_overall=_target(package) if baseline_id is not None else None,
        target_dimensions={},
        baseline_assessment_id=baseline_id,
        anonymity_k=None,
        status="open",
        now=opened,
    )
    people = [p for p in PEOPLE if round_number or p.in_first_round]
    invited = add_respondents(
        session=session,
        catalog=catalog,
        workspace_id=workspace_id,
        actor=ACTOR,
        assessment_id=assessment.id,
        respondents=[
            NewRespondent(p.name, p.email, fit_attributes(package, p.attributes, index))
            for index, p in enumerate(people)
        ],
        base_url=base_url,
        now=opened,
    )
    for index, (invite, person) in enumerate(zip(invited, people, strict=True)):
        respondent = invite.respondent
        save_answers(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            actor=f"respondent:{respondent.id}",
            by_consultant=False,
            assessment_id=assessment.id,
            respondent_id=respondent.id,
            changes=demo_answers(
                package,
                role=respondent.attributes.get("role"),
                round_number=round_number,
                respondent_key=person.name,
            ),
            submit=True,
            now=opened + timedelta(hours=20 + 22 * index),
        )
    change_assessment_status(
        session=session,
        workspace_id=workspace_id,
        actor=ACTOR,
        assessment_id=assessment.id,
        action="close",
        now=opened + timedelta(weeks=2, days=2),
    )
    return assessment.id


def _target(package: Package) -> str | None:
    return TARGET_STAGE if TARGET_STAGE in package.stage_index else None


def _quarters(moment: datetime) -> tuple[str, str]:
    """The quarter before `moment`'s and `moment`'s own, e.g. ("Q2 2026", "Q3 2026")."""
    index = moment.year * 4 + (moment.month - 1) // 3
    return (f"Q{(index - 1) % 4 + 1} {(index - 1) // 4}", f"Q{index % 4 + 1} {index // 4}")
