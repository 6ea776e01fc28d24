"""The console's schedule forms, as a browser without JavaScript posts them, on both
databases: an assessment's close date and reminder plan (saved by the service the API's
PATCH uses), the close date and the copied team of the new-assessment form, and the
workspace's time zone in the settings. A refused form comes back with what was typed."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from app.models import utc_now
from tests.integration.console_session import Console, signed_in
from tests.integration.flow import create_assessment, create_client, expect
from tests.integration.live_server import LiveServer

ZONE = "America/New_York"


@pytest.fixture
def console(server: LiveServer) -> Iterator[Console]:
    console = signed_in(server)
    yield console
    console.close()


def _text(response: httpx.Response) -> str:
    return html.unescape(response.text)


def _local_today() -> date:
    return utc_now().astimezone(ZoneInfo(ZONE)).date()


def _set_zone(console: Console, zone: str = ZONE) -> None:
    saved = console.post("/console/settings/time-zone", {"time_zone": zone})
    assert saved.status_code == 303, saved.text[:500]


def _assessment(console: Console, aid: str) -> dict[str, Any]:
    found: dict[str, Any] = expect(console.api.get(f"/api/v1/assessments/{aid}"), 200)
    return found


def test_the_time_zone_is_saved_and_a_name_zoneinfo_does_not_know_is_refused(
    console: Console,
) -> None:
    page = console.browser.get("/console/settings")
    assert page.status_code == 200
    assert 'name="time_zone" value="UTC"' in page.text
    assert '<option value="Europe/Berlin">' in page.text  # the names offered
    refused = console.post("/console/settings/time-zone", {"time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 422
    assert 'value="Mars/Olympus_Mons"' in refused.text  # as typed
    assert 'id="error-time_zone"' in refused.text
    assert "“Mars/Olympus_Mons” is not a time zone name" in _text(refused)
    for hostile in ("../../etc/passwd", "/etc/localtime", ""):
        assert (
            console.post("/console/settings/time-zone", {"time_zone": hostile}).status_code == 422
        )
    assert 'name="time_zone" value="UTC"' in console.browser.get("/console/settings").text
    saved = console.post("/console/settings/time-zone", {"time_zone": " Europe/Berlin "})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/console/settings?done=time-zone"
    shown = console.browser.get(saved.headers["location"])
    assert 'name="time_zone" value="Europe/Berlin"' in shown.text
    assert "Time zone saved" in shown.text


def test_the_close_date_and_reminder_plan_are_saved_as_days_in_the_workspace_zone(
    console: Console,
) -> None:
    _set_zone(console)
    aid = create_assessment(console.api)["id"]
    page = console.browser.get(f"/console/assessments/{aid}")
    assert f'action="/console/assessments/{aid}/schedule"' in page.text
    assert 'name="reminder_days" value="3, 7"' in page.text
    assert 'name="closes_at" value=""' in page.text and 'type="date"' in page.text
    last_day = _local_today() + timedelta(days=10)
    saved = console.post(
        f"/console/assessments/{aid}/schedule",
        {"closes_at": last_day.isoformat(), "reminder_days": "7; 2, 2"},
    )  # the box left unticked: no reminder the day before
    assert saved.status_code == 303, saved.text[:500]
    assert saved.headers["location"] == f"/console/assessments/{aid}?done=schedule"
    assessment = _assessment(console, aid)
    # Open until the end of that day in New York: it closes at the next local midnight.
    closes = datetime.fromisoformat(assessment["closes_at"])
    midnight = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), ZoneInfo(ZONE))
    assert closes == midnight
    assert assessment["reminder_days"] == [2, 7]
    assert assessment["remind_before_close"] is False
    shown = console.browser.get(saved.headers["location"])
    assert f'name="closes_at" value="{last_day.isoformat()}"' in shown.text
    assert 'name="reminder_days" value="2, 7"' in shown.text
    assert 'id="input-remind_before_close" name="remind_before_close" value="yes">' in shown.text
    assert f"At the end of {last_day:%A} {last_day.day} {last_day:%B %Y} ({ZONE})" in _text(shown)
    # The same day saved again keeps the close time the API gave it; blank removes it.
    five_pm = datetime.combine(last_day, datetime.min.time(), ZoneInfo(ZONE)) + timedelta(hours=17)
    expect(
        console.api.patch(f"/api/v1/assessments/{aid}", json={"closes_at": five_pm.isoformat()}),
        200,
    )
    again = console.post(
        f"/console/assessments/{aid}/schedule",
        {
            "closes_at": last_day.isoformat(),
            "reminder_days": "3",
            "remind_before_close": "yes",
        },
    )
    assert again.status_code == 303
    assessment = _assessment(console, aid)
    assert datetime.fromisoformat(assessment["closes_at"]) == five_pm
    assert (assessment["reminder_days"], assessment["remind_before_close"]) == ([3], True)
    cleared = console.post(
        f"/console/assessments/{aid}/schedule", {"closes_at": "", "reminder_days": ""}
    )
    assert cleared.status_code == 303
    assessment = _assessment(console, aid)
    assert (assessment["closes_at"], assessment["reminder_days"]) == (None, [])


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ({"closes_at": "2020-01-31", "reminder_days": "3, 7"}, {"closes_at"}),
        ({"closes_at": "31/12/2099", "reminder_days": "3, 7"}, {"closes_at"}),
        ({"closes_at": "", "reminder_days": "3, soon"}, {"reminder_days"}),
        ({"closes_at": "", "reminder_days": "0, 200"}, {"reminder_days"}),
        ({"closes_at": "2020-01-31", "reminder_days": "three"}, {"closes_at", "reminder_days"}),
    ],
)
def test_a_refused_schedule_comes_back_as_typed_and_changes_nothing(
    console: Console, typed: dict[str, str], named: set[str]
) -> None:
    aid = create_assessment(console.api)["id"]
    before = _assessment(console, aid)
    refused = console.post(f"/console/assessments/{aid}/schedule", typed)
    assert refused.status_code == 422
    for field, value in typed.items():
        assert f'name="{field}" value="{html.escape(value)}"' in refused.text
        assert (f'id="error-{field}"' in refused.text) == (field in named), field
    assert 'id="input-remind_before_close" name="remind_before_close" value="yes">' in refused.text
    after = _assessment(console, aid)
    assert {k: after[k] for k in ("closes_at", "reminder_days", "remind_before_close")} == {
        k: before[k] for k in ("closes_at", "reminder_days", "remind_before_close")
    }


def test_a_new_round_takes_a_close_date_and_copies_the_team(console: Console) -> None:
    _set_zone(console)
    client = create_client(console.api)
    first = create_assessment(console.api, client["id"], title="Round one")
    expect(
        console.api.post(
            f"/api/v1/assessments/{first['id']}/respondents",
            json={
                "respondents": [
                    {
                        "name": "Ana",
                        "email": "ana@client.example",
                        "attributes": {"role": "manager"},
                    }
                ]
            },
        ),
        201,
    )
    form = console.browser.get("/console/assessments/new")
    assert 'name="copy_baseline_team" value="yes"' in form.text
    assert 'name="closes_at"' in form.text and ZONE in form.text
    last_day = _local_today() + timedelta(days=21)
    created = console.post(
        "/console/assessments/new",
        {
            "title": "Round two",
            "questionnaire_id": "example",
            "client_id": client["id"],
            "baseline_assessment_id": first["id"],
            "copy_baseline_team": "yes",
            "closes_at": last_day.isoformat(),
        },
    )
    assert created.status_code == 303, _text(created)[:2000]
    aid = created.headers["location"].split("/")[-1].split("?")[0]
    assessment = _assessment(console, aid)
    midnight = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), ZoneInfo(ZONE))
    assert datetime.fromisoformat(assessment["closes_at"]) == midnight
    assert assessment["baseline_assessment_id"] == first["id"]
    copied = expect(console.api.get(f"/api/v1/assessments/{aid}/respondents"), 200)
    assert [(r["name"], r["invited_at"]) for r in copied["respondents"]] == [("Ana", None)]


def test_a_refused_new_round_names_the_close_date_and_the_team_copy(console: Console) -> None:
    client = create_client(console.api)
    create_assessment(console.api, client["id"], title="Round one")  # a baseline is offered
    typed = {
        "title": "Round two",
        "questionnaire_id": "example",
        "client_id": client["id"],
        "closes_at": "2020-02-29",
    }
    refused = console.post("/console/assessments/new", typed)
    assert refused.status_code == 422
    assert 'id="error-closes_at"' in refused.text
    assert 'name="closes_at" value="2020-02-29"' in refused.text
    assert 'name="title" value="Round two"' in refused.text
    no_baseline = console.post(
        "/console/assessments/new", {**typed, "closes_at": "", "copy_baseline_team": "yes"}
    )
    assert no_baseline.status_code == 422
    assert 'id="error-copy_baseline_team"' in no_baseline.text
    assert "choose the earlier round to copy the team from" in _text(no_baseline)
    assert 'name="copy_baseline_team" value="yes" checked' in no_baseline.text
    listed = expect(console.api.get("/api/v1/assessments"), 200)
    assert [a["title"] for a in listed["items"]] == ["Round one"]
