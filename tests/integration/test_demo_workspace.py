"""The demo workspace made on first start: two closed rounds of a realistic team assessment,
made once, through the ordinary services, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from threading import Barrier

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, select

from app.catalog import Catalog, find_package
from app.migrations.runner import upgrade_schema
from app.models import Assessment, Client, Respondent, User, Workspace, WorkspaceMember
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services.assessments import get_assessment
from app.services.credentials import password_matches
from app.services.demo_answers import demo_answers
from app.services.demo_workspace import QUESTIONNAIRE_ID, DemoWorkspace, ensure_demo_workspace
from app.services.respondents import list_respondents
from app.services.results import score_stored_assessment
from scoring import AssessmentResult, ItemKind, Package, score_respondent
from tests.conftest import QUESTIONNAIRES
from tests.integration.databases import fresh_database

NOW = datetime(2026, 8, 20, 9, 30, tzinfo=UTC)
BASE_URL = "https://opsmaturity.test"
ROLE_GAP = 20  # display points between the highest and lowest role group: visible disagreement


@dataclass(frozen=True)
class Demo:
    engine: Engine
    catalog: Catalog
    made: DemoWorkspace


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """Only the demo's package, so another package's problems cannot stand in the way."""
    package = find_package(QUESTIONNAIRES, QUESTIONNAIRE_ID)
    return Catalog({(package.id, package.version): package})


@contextmanager
def migrated_engine(backend: str, folder: Path) -> Iterator[Engine]:
    with fresh_database(backend, folder) as url:
        engine = make_engine(url)
        try:
            upgrade_schema(engine)
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def demo(
    backend: str, catalog: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    with migrated_engine(backend, tmp_path_factory.mktemp(f"demo-{backend}")) as engine:
        made = ensure_demo_workspace(engine=engine, catalog=catalog, base_url=BASE_URL, now=NOW)
        assert made is not None
        yield Demo(engine, catalog, made)


def scored(demo: Demo, assessment_id: str) -> tuple[Assessment, AssessmentResult]:
    with unit_of_work(demo.engine) as session:
        assessment = get_assessment(
            session=session, workspace_id=demo.made.workspace_id, assessment_id=assessment_id
        )
        _, result = score_stored_assessment(session, demo.catalog, assessment)
    return assessment, result


def row_counts(session: Session) -> dict[str, int]:
    tables: list[type[SQLModel]] = [Workspace, User, Client, Assessment, Respondent]
    return {
        table.__name__: session.exec(select(func.count()).select_from(table)).one()
        for table in tables
    }


def test_the_demo_has_a_baseline_and_a_second_round_both_closed(demo: Demo) -> None:
    baseline, first = scored(demo, demo.made.baseline_assessment_id)
    second_round, second = scored(demo, demo.made.assessment_id)
    assert baseline.status == second_round.status == "closed"
    assert second_round.baseline_assessment_id == baseline.id
    assert baseline.client_id == second_round.client_id == demo.made.client_id
    assert baseline.title == "Leadership team diagnostic — Q2 2026"
    assert second_round.title == "Leadership team diagnostic — Q3 2026"
    assert second_round.target_overall == "managed"
    with unit_of_work(demo.engine) as session:
        people = list_respondents(
            session=session,
            catalog=demo.catalog,
            workspace_id=demo.made.workspace_id,
            assessment_id=second_round.id,
        )
        client = session.get(Client, demo.made.client_id)
    assert len(people) == 12
    assert {p.respondent.status for p in people} == {"submitted"}
    assert len(second.respondents) == 12 and len(first.respondents) == 10
    assert client is not None and client.name == "Brightwater Foods"
    assert (client.industry, client.size_band, client.external_ref) == (
        "Food manufacturing",
        "201-500",
        None,
    )


def test_every_dimension_has_a_stage_and_the_second_round_is_better(demo: Demo) -> None:
    _, first = scored(demo, demo.made.baseline_assessment_id)
    _, second = scored(demo, demo.made.assessment_id)
    for result in (first, second):
        assert all(d.stage is not None for d in result.team.dimensions)
        assert result.team.completeness == 1.0
    first_overall, second_overall = first.team.overall, second.team.overall
    assert first_overall.score is not None and second_overall.score is not None
    assert second_overall.score > first_overall.score
    assert (first_overall.stage.stage_id, second_overall.stage.stage_id) == (
        "emerging",
        "structured",
    )
    improved = [p for p in second.progress if p.score_change is not None and p.score_change > 0]
    assert len(improved) > len(second.progress) // 2, second.progress
    assert any(not gap.met for gap in second.targets)  # the target is still ahead


def test_the_team_disagrees_by_role_on_a_few_dimensions(demo: Demo) -> None:
    _, result = scored(demo, demo.made.assessment_id)
    roles = next(b for b in result.team.breakdowns if b.attribute_id == "role")
    # k = 3 and three people per role: every role group shows on its own.
    assert sorted((g.value, g.n) for g in roles.groups) == [
        ("executive", 3),
        ("individual_contributor", 3),
        ("manager", 3),
        ("senior_manager", 3),
    ]
    gaps = {}
    for dimension in result.team.dimensions:
        scores = [g.dimensions[dimension.dimension_id] for g in roles.groups]
        known = [s for s in scores if s is not None]
        gaps[dimension.dimension_id] = max(known) - min(known)
    disagreeing = {d for d, gap in gaps.items() if gap >= ROLE_GAP}
    assert 2 <= len(disagreeing) <= 4, gaps
    assert {"ownership", "priorities"} <= disagreeing
    # The agreement index and the disputed items point at the same dimensions.
    stats = result.team.dimension_stats
    least_agreed = sorted(stats, key=lambda d: stats[d].agreement or 1.0)[:2]
    assert set(least_agreed) <= disagreeing, {d: s.agreement for d, s in stats.items()}
    disputed_in = [item.dimension_id for item in result.disputed_items]
    assert sum(d in disagreeing for d in disputed_in) >= 3, disputed_in


def test_answers_use_every_kind_of_answer_the_items_allow(demo: Demo) -> None:
    _, first = scored(demo, demo.made.baseline_assessment_id)
    _, second = scored(demo, demo.made.assessment_id)
    statuses = {
        answer.status
        for result in (first, second)
        for respondent in result.respondents
        for answer in respondent.answers.values()
    }
    assert {"answered", "na", "dont_know"} <= statuses
    package = demo.catalog.get(QUESTIONNAIRE_ID)
    text_items = {i.id for i in package.items.values() if i.kind is ItemKind.TEXT}
    comments = [
        respondent.answers[item_id].raw
        for respondent in second.respondents
        for item_id in text_items
        if respondent.answers[item_id].raw is not None
    ]
    assert 0 < len(comments) < len(second.respondents)


def test_the_owner_signs_in_with_the_password_shown_once(demo: Demo) -> None:
    with unit_of_work(demo.engine) as session:
        owner = session.exec(select(User).where(User.email == demo.made.owner_email)).one()
        workspace = session.get(Workspace, demo.made.workspace_id)
        membership = session.get(WorkspaceMember, (demo.made.workspace_id, owner.id))
    assert membership is not None
    assert (owner.email, owner.name, membership.role) == (
        "demo@opsmaturity.test",
        "Demo Consultant",
        "owner",
    )
    assert workspace is not None and workspace.name == "Demo — Harbourline Advisory"
    assert len(demo.made.owner_password) >= 16
    assert password_matches(demo.made.owner_password, owner.password_hash)
    assert not password_matches(demo.made.owner_password + "x", owner.password_hash)
    assert demo.made.owner_password not in repr(demo.made)


def test_a_second_start_finds_a_workspace_and_makes_nothing(demo: Demo) -> None:
    with unit_of_work(demo.engine) as session:
        before = row_counts(session)
    again = ensure_demo_workspace(
        engine=demo.engine, catalog=demo.catalog, base_url=BASE_URL, now=NOW
    )
    assert again is None
    with unit_of_work(demo.engine) as session:
        assert row_counts(session) == before


def test_workers_starting_together_make_one_demo(
    backend: str, catalog: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workers = 3
    start = Barrier(workers)
    with migrated_engine(backend, tmp_path_factory.mktemp(f"race-{backend}")) as engine:

        def start_worker(_: int) -> DemoWorkspace | None:
            start.wait()
            return ensure_demo_workspace(engine=engine, catalog=catalog, base_url=BASE_URL, now=NOW)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(start_worker, range(workers)))
        with unit_of_work(engine) as session:
            counts = row_counts(session)
    assert sum(outcome is not None for outcome in outcomes) == 1
    assert counts["Workspace"] == 1 and counts["Assessment"] == 2


@pytest.mark.parametrize("questionnaire_id", ["operational-maturity", "quick-check", "example"])
def test_generated_answers_fit_any_package(questionnaire_id: str) -> None:
    """Everything is derived from the package, so any valid questionnaire gets valid answers:
    every shown required item answered, hidden items left alone, exclusive options alone."""
    package: Package = find_package(QUESTIONNAIRES, questionnaire_id)
    roles = [None, "executive", "senior_manager", "manager", "individual_contributor"]
    for round_number in (0, 1):
        for index, role in enumerate(roles * 4):
            key = f"person {index}"
            answers = demo_answers(
                package, role=role, round_number=round_number, respondent_key=key
            )
            again = demo_answers(package, role=role, round_number=round_number, respondent_key=key)
            assert answers == again
            result = score_respondent(package, answers)
            assert result.completeness == 1.0
            for item_id, answer in result.answers.items():
                assert answer.status != "hidden" or item_id not in answers
                item = package.items[item_id]
                if item.kind is ItemKind.MULTI_CHOICE and isinstance(answer.raw, list):
                    exclusive = {o.id for o in item.options if o.exclusive}
                    assert len(answer.raw) == 1 or not exclusive & set(answer.raw)
