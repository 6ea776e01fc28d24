"""Assessments stored before packages moved into version folders, and before the formats gained
their 1.1.0 fields, still load, score and report afterwards: rows written at the revision before
the move, on both databases, with the content hashes the code of that time computed."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import JSON, Connection, DateTime, bindparam, text

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from app.migrations.runner import upgrade_schema
from app.models import utc_now
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.settings import Settings
from scoring import RespondentAnswers, score_assessment
from tests.conftest import QUESTIONNAIRES
from tests.data.test_golden_operational_maturity import GOLDEN
from tests.integration.databases import fresh_database
from tests.integration.flow import expect
from tests.integration.live_server import running_server

BEFORE_VERSION_FOLDERS = "20261203_0100"
# The hashes as computed before version folders and the 1.1.0 fields existed.
OPERATIONAL_MATURITY_1_0_0 = "1b7f62953a3de02de0e09cc3dd7a17c731423e335ceb2b4c83d20a6b53e7ac43"
QUICK_CHECK_1_0_0_IN_ITS_FLAT_FOLDER = (
    "a69b31c798cebfab4c7e279514a3c8da0967d5c75f0862f3e66fa6499681f383"
)
STAMP = datetime(2026, 12, 1, 9, 0)


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def test_stored_1_0_0_assessments_load_score_and_report(backend: str, tmp_path: Path) -> None:
    ceo = read_answers_file(GOLDEN / "disciplined_company.yaml").respondents[0]
    catalog = load_catalog(QUESTIONNAIRES)
    packages = {
        "asm_full": catalog.get("operational-maturity", "1.0.0"),
        "asm_quick": catalog.get("quick-check", "1.0.0"),
    }
    answers = {
        assessment_id: {k: v for k, v in ceo.answers.items() if k in package.items}
        for assessment_id, package in packages.items()
    }
    with fresh_database(backend, tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade_schema(engine, BEFORE_VERSION_FOLDERS)
            with engine.begin() as connection:
                _insert_workspace(connection)
                for assessment_id, questionnaire_id, content_hash in (
                    ("asm_full", "operational-maturity", OPERATIONAL_MATURITY_1_0_0),
                    ("asm_quick", "quick-check", QUICK_CHECK_1_0_0_IN_ITS_FLAT_FOLDER),
                ):
                    _insert_assessment(connection, assessment_id, questionnaire_id, content_hash)
                    _insert_respondent(
                        connection, assessment_id, ceo.attributes, answers[assessment_id]
                    )
            upgrade_schema(engine)
            with unit_of_work(engine, writes=True) as session:
                _, key = admin.create_api_key(
                    session=session, workspace_id="ws_old", name="tests", now=utc_now()
                )
        finally:
            engine.dispose()
        settings = Settings(
            environment="test",
            database_url=url,
            questionnaires_dir=QUESTIONNAIRES,
            base_url="https://opsmaturity.test",
            secure_cookies=False,
            rate_limits=False,
        )
        with running_server(settings) as live:
            api = httpx.Client(
                base_url=live.url, headers={"Authorization": f"Bearer {key}"}, timeout=60
            )
            for assessment_id, package in packages.items():
                respondent = RespondentAnswers(
                    assessment_id, answers[assessment_id], ceo.attributes
                )
                expected = score_assessment(package, [respondent])
                document = expect(api.get(f"/api/v1/assessments/{assessment_id}/results"), 200)
                results = document["results"]
                assert results["questionnaire"]["version"] == "1.0.0"
                assert results["overall"]["stage"]["id"] == expected.team.overall.stage.stage_id
                assert [d["stage"]["id"] for d in results["dimensions"]] == [
                    d.stage.stage_id for d in expected.team.dimensions if d.stage is not None
                ]
                pdf = api.get(f"/api/v1/assessments/{assessment_id}/report.pdf")
                assert pdf.status_code == 200, pdf.text
                text_read = "".join(
                    page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
                )
                assert package.questionnaire.title in " ".join(text_read.split())
            api.close()


def _insert_workspace(connection: Connection) -> None:
    connection.execute(
        text(
            "INSERT INTO workspace (id, name, anonymity_k, created_at) "
            "VALUES ('ws_old', 'Old firm', 3, :now)"
        ).bindparams(bindparam("now", type_=DateTime())),
        {"now": STAMP},
    )
    connection.execute(
        text(
            "INSERT INTO client (id, workspace_id, name, created_at, updated_at) "
            "VALUES ('cli_old', 'ws_old', 'Acme', :now, :now)"
        ).bindparams(bindparam("now", type_=DateTime())),
        {"now": STAMP},
    )


def _insert_assessment(
    connection: Connection, assessment_id: str, questionnaire_id: str, content_hash: str
) -> None:
    connection.execute(
        text(
            "INSERT INTO assessment (id, workspace_id, client_id, title, questionnaire_id, "
            "questionnaire_version, content_hash, status, kind, target_dimensions, "
            "anonymity_k, results_version, created_at, updated_at) VALUES (:id, 'ws_old', "
            "'cli_old', 'Q3', :questionnaire_id, '1.0.0', :hash, 'open', 'self', '{}', 1, 0, "
            ":now, :now)"
        ).bindparams(bindparam("now", type_=DateTime())),
        {
            "id": assessment_id,
            "questionnaire_id": questionnaire_id,
            "hash": content_hash,
            "now": STAMP,
        },
    )


def _insert_respondent(
    connection: Connection,
    assessment_id: str,
    attributes: dict[str, str],
    answers: dict[str, Any],
) -> None:
    respondent_id = f"rsp_{assessment_id}"
    connection.execute(
        text(
            "INSERT INTO respondent (id, workspace_id, assessment_id, attributes, "
            "invite_token_hash, status, created_at, updated_at, submitted_at) VALUES (:id, "
            "'ws_old', :assessment_id, :attributes, :token, 'submitted', :now, :now, :now)"
        ).bindparams(bindparam("now", type_=DateTime()), bindparam("attributes", type_=JSON())),
        {
            "id": respondent_id,
            "assessment_id": assessment_id,
            "attributes": attributes,
            "token": respondent_id.ljust(64, "0"),
            "now": STAMP,
        },
    )
    for item_id, value in answers.items():
        connection.execute(
            text(
                "INSERT INTO answer (respondent_id, item_id, value, updated_at) "
                "VALUES (:respondent, :item, :value, :now)"
            ).bindparams(bindparam("now", type_=DateTime()), bindparam("value", type_=JSON())),
            {"respondent": respondent_id, "item": item_id, "value": value, "now": STAMP},
        )
