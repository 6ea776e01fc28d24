"""tests/data/golden/demo_round.yaml, the demo workspace's latest round exported once, still holds
what the demo generates (app/services/demo_team.py, app/services/demo_answers.py): the same
people, attributes and answers, so the file and the demo never drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.answers_file import AnswersDocument, read_answers_file
from app.catalog import load_catalog
from app.services.demo_answers import demo_answers
from app.services.demo_team import PEOPLE
from app.services.demo_workspace import QUESTIONNAIRE_ID
from scoring import Package
from tests.conftest import QUESTIONNAIRES

DEMO_ROUND = Path(__file__).resolve().parent / "golden" / "demo_round.yaml"
VERSION = "1.0.0"
LATEST_ROUND = 1  # demo_answers counts rounds from 0; the second round is the latest


@pytest.fixture(scope="module")
def package() -> Package:
    return load_catalog(QUESTIONNAIRES).get(QUESTIONNAIRE_ID, VERSION)


@pytest.fixture(scope="module")
def document() -> AnswersDocument:
    return read_answers_file(DEMO_ROUND)


def test_the_file_is_pinned_to_the_demo_questionnaire_version(document: AnswersDocument) -> None:
    assert (document.questionnaire_id, document.version) == (QUESTIONNAIRE_ID, VERSION)


def test_the_file_holds_everyone_in_the_latest_round(document: AnswersDocument) -> None:
    # Everyone takes part in the latest round, including the two who joined after the first.
    assert len(document.respondents) == len(PEOPLE) == 12
    # The demo's respondents are known by name and email; the file names them by the local
    # part of their email, which is unique and plain ASCII.
    assert [r.id for r in document.respondents] == [p.email.split("@")[0] for p in PEOPLE]
    assert [r.attributes for r in document.respondents] == [dict(p.attributes) for p in PEOPLE]


def test_the_file_holds_the_answers_the_demo_generates_today(
    package: Package, document: AnswersDocument
) -> None:
    for respondent, person in zip(document.respondents, PEOPLE, strict=True):
        generated = demo_answers(
            package,
            role=person.attributes["role"],
            round_number=LATEST_ROUND,
            respondent_key=person.name,
        )
        assert respondent.answers == generated, f"{respondent.id} differs from the demo"


def test_the_demo_gives_the_same_answers_on_the_version_it_uses(document: AnswersDocument) -> None:
    """The demo workspace runs on the newest version; it keeps 1.0.0's option ids and levels,
    so the demo's answers, and this file, hold for both."""
    newest = load_catalog(QUESTIONNAIRES).get(QUESTIONNAIRE_ID)
    assert newest.version != VERSION
    for respondent, person in zip(document.respondents, PEOPLE, strict=True):
        generated = demo_answers(
            newest,
            role=person.attributes["role"],
            round_number=LATEST_ROUND,
            respondent_key=person.name,
        )
        assert respondent.answers == generated, f"{respondent.id} differs on {newest.version}"
