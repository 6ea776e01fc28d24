"""When reminders fall due: pure functions of an invitation's time, the close date, the
assessment's reminder plan and the workspace's time zone. No clock, no I/O.

A reminder "N days after the invitation" is due at 09:00 on the Nth calendar day after the
day of the invitation, both counted in the workspace's time zone (an invitation sent late on
Monday in New York is reminded on Thursday morning there, not on a UTC day). The reminder
"before the close date" is due at 09:00 local on the day before the assessment closes.
Steps that would fall after the close date, or before the invitation, are left out.

Only the latest step that has come due is sent: a worker that was stopped for a week sends
one reminder when it starts again, not three."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "MAX_REMINDER_DAYS",
    "REMIND_AT",
    "ReminderStep",
    "due_step",
    "last_open_day",
    "reminder_steps",
    "time_zone_problem",
    "zone_of",
]

REMIND_AT = time(9, 0)
MAX_REMINDER_DAYS = 90
BEFORE_CLOSE = "before-close"


@dataclass(frozen=True, slots=True)
class ReminderStep:
    name: str  # "after-3d", "before-close": part of the reminder's dedupe key
    due_at: datetime


def time_zone_problem(name: str) -> str | None:
    """Why `name` is not an IANA time zone name (e.g. Europe/Berlin), or None."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return f"“{name}” is not a time zone name like Europe/Berlin or America/New_York"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"“{name}” is not a time zone name like Europe/Berlin or America/New_York"
    return None


def zone_of(name: str) -> ZoneInfo:
    """The zone named `name`; UTC for a name that is not one (it was checked when saved)."""
    return ZoneInfo("UTC") if time_zone_problem(name) else ZoneInfo(name)


def last_open_day(closes_at: datetime, zone: ZoneInfo) -> date:
    """The last day answers are taken, in `zone`: an assessment closing at local midnight is
    open until the end of the day before."""
    return (closes_at - timedelta(microseconds=1)).astimezone(zone).date()


def _at_nine(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, REMIND_AT, tzinfo=zone)


def reminder_steps(
    *,
    invited_at: datetime,
    closes_at: datetime | None,
    days: Sequence[int],
    before_close: bool,
    zone: ZoneInfo,
) -> list[ReminderStep]:
    """The reminder steps of one invitation, soonest first."""
    invited_day = invited_at.astimezone(zone).date()
    steps = [
        ReminderStep(f"after-{n}d", _at_nine(invited_day + timedelta(days=n), zone))
        for n in sorted(set(days))
        if 0 < n <= MAX_REMINDER_DAYS
    ]
    if before_close and closes_at is not None:
        day_before = (closes_at.astimezone(zone) - timedelta(days=1)).date()
        steps.append(ReminderStep(BEFORE_CLOSE, _at_nine(day_before, zone)))
    return sorted(
        (
            step
            for step in steps
            if step.due_at > invited_at and (closes_at is None or step.due_at < closes_at)
        ),
        key=lambda step: step.due_at,
    )


def due_step(steps: Sequence[ReminderStep], now: datetime) -> ReminderStep | None:
    """The latest step that has come due at `now`, or None."""
    due = [step for step in steps if step.due_at <= now]
    return due[-1] if due else None
