"""Claims to pre-render a report, on both databases: the first worker to ask gets it; the
others do not until its claim lapses or the results move to a new version."""

from __future__ import annotations

from datetime import timedelta

from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.repositories.report_cache import claim_pre_render
from tests.integration.conftest import Workspace
from tests.integration.flow import create_assessment

LEASE = timedelta(minutes=5)


def test_a_report_is_claimed_once_until_the_claim_lapses_or_the_results_move(
    workspace: Workspace,
) -> None:
    assessment_id = create_assessment(workspace.api)["id"]
    engine = workspace.server.app.state.runtime.database.engine
    now = utc_now()

    def claim(version: int, at: timedelta = timedelta(0)) -> bool:
        with unit_of_work(engine, writes=True) as session:
            return claim_pre_render(
                session,
                assessment_id=assessment_id,
                results_version=version,
                now=now + at,
                lease=LEASE,
            )

    assert claim(1) is True
    assert claim(1) is False  # another worker, meanwhile
    assert claim(1, at=LEASE - timedelta(seconds=1)) is False
    assert claim(1, at=LEASE + timedelta(seconds=1)) is True  # the first worker died
    assert claim(2, at=LEASE + timedelta(seconds=2)) is True  # new answers: a new report
    assert claim(2, at=LEASE + timedelta(seconds=3)) is False
