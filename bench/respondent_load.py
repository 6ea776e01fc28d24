"""Simulated respondents: each saves answers one after another with its own invite token,
pausing between saves as a person would, and keeps every acknowledged value.

A save that fails (a connection error, a timeout or any non-2xx answer) is sent again with
the same values until it is acknowledged, as the questionnaire page does, so a respondent
never moves on past an unsaved answer. Every value is unique to its save, so what the
database holds at the end can be checked against what was acknowledged. Plain keep-alive
sockets (as bench/http_load.py) keep the driver's own cost low; loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Attempt", "RespondentLog", "SaveLoad", "drive_respondents"]

REQUEST_TIMEOUT_S = 30.0
RETRY_FIRST_S = 0.1
RETRY_MAX_S = 1.0
# After the stop signal, how long a respondent keeps retrying its last unacknowledged save.
SETTLE_GRACE_S = 30.0


@dataclass(frozen=True, slots=True)
class Attempt:
    started: float  # seconds since the load began
    latency_s: float
    outcome: str  # the HTTP status as text ("200", "503"), or "connection"


@dataclass
class RespondentLog:
    respondent_id: str
    acknowledged: dict[str, Any] = field(default_factory=dict)  # item -> last acknowledged value
    saves_acknowledged: int = 0
    unsettled: dict[str, Any] | None = None  # a save still unacknowledged when time ran out


@dataclass
class SaveLoad:
    port: int
    assessment_id: str
    respondents: list[tuple[str, str]]  # (respondent id, invite token)
    think_s: float = 1.0  # mean pause between saves; each pause is drawn from 0.5x..1.5x
    seed: int = 20261123
    attempts: list[Attempt] = field(default_factory=list)
    logs: list[RespondentLog] = field(default_factory=list)
    began: float = 0.0
    stop_requested: bool = False
    error_media_types: Counter[str] = field(default_factory=Counter)  # "503 application/…"

    def clock(self) -> float:
        return time.monotonic() - self.began

    def outcome_counts(self) -> Counter[str]:
        return Counter(a.outcome for a in self.attempts)


# Scored items a respondent goes through in turn, as a person moving down the page; the
# latest value of each then comes from a different save, so a lost save of any age shows.
SCORED_ITEMS: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("late_share", tuple(range(0, 101, 5))),
    ("plan_horizon", ("none", "week", "month", "quarter")),
    ("manual_hours", tuple(range(0, 41))),
    ("weekly_review", ("rarely", "monthly", "weekly")),
    ("meeting_load", ("few", "some", "many")),
)


def _changes(number: int, save: int) -> dict[str, Any]:
    """Save `save` of respondent `number`: a free-text value unique to the save and the next
    scored item in turn."""
    item, values = SCORED_ITEMS[save % len(SCORED_ITEMS)]
    return {
        "improvement_idea": f"respondent {number} save {save}",
        item: values[(number + save) % len(values)],
    }


class _Connection:
    """One keep-alive connection, opened again after any failure."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def send(self, request: bytes) -> tuple[int, str]:
        """The status and the media type of the answer."""
        if self._streams is None:
            self._streams = await asyncio.open_connection("127.0.0.1", self._port)
        reader, writer = self._streams
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, closing, media_type = 0, False, ""
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"content-type":
                media_type = value.strip().decode().partition(";")[0]
            elif name == b"connection" and value.strip().lower() == b"close":
                closing = True
        await reader.readexactly(length)
        if closing:
            self.close()
        return status, media_type

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


def _save_request(load: SaveLoad, respondent: str, token: str, changes: dict[str, Any]) -> bytes:
    body = json.dumps({"answers": changes}).encode()
    head = (
        f"POST /api/v1/assessments/{load.assessment_id}/respondents/{respondent}/answers HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{load.port}\r\n"
        f"Authorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _respondent(load: SaveLoad, number: int, stopping: asyncio.Event) -> None:
    respondent, token = load.respondents[number]
    log = RespondentLog(respondent)
    load.logs.append(log)
    pauses = random.Random(load.seed * 1000 + number)
    connection = _Connection(load.port)
    save = 0
    try:
        # Respondents start spread over the first pause, not all in the same millisecond.
        await _pause(stopping, pauses.uniform(0, load.think_s))
        while not stopping.is_set():
            changes = _changes(number, save)
            if not await _save_until_acknowledged(load, connection, respondent, token, changes):
                log.unsettled = changes
                return
            log.acknowledged.update(changes)
            log.saves_acknowledged += 1
            save += 1
            await _pause(stopping, load.think_s * pauses.uniform(0.5, 1.5))
    finally:
        connection.close()


async def _save_until_acknowledged(
    load: SaveLoad,
    connection: _Connection,
    respondent: str,
    token: str,
    changes: dict[str, Any],
) -> bool:
    request = _save_request(load, respondent, token, changes)
    retry_wait = RETRY_FIRST_S
    give_up_at: float | None = None
    while True:
        started = load.clock()
        try:
            status, media_type = await asyncio.wait_for(connection.send(request), REQUEST_TIMEOUT_S)
            outcome = str(status)
            if status >= 300:
                load.error_media_types[f"{status} {media_type}"] += 1
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            connection.close()
            status, outcome = 0, "connection"
        load.attempts.append(Attempt(started, load.clock() - started, outcome))
        if 200 <= status < 300:
            return True
        if 400 <= status < 500 and status not in (408, 429):
            raise RuntimeError(f"save refused with {status}: the bench's request is wrong")
        if give_up_at is None and load.stop_requested:
            give_up_at = load.clock() + SETTLE_GRACE_S
        if give_up_at is not None and load.clock() > give_up_at:
            return False
        await asyncio.sleep(retry_wait * random.uniform(0.5, 1.0))
        retry_wait = min(retry_wait * 2, RETRY_MAX_S)


async def _pause(stopping: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)


async def drive_respondents(load: SaveLoad, stopping: asyncio.Event) -> None:
    """Run every respondent until `stopping` is set and each has settled its last save."""
    load.began = time.monotonic()

    async def watch() -> None:
        await stopping.wait()
        load.stop_requested = True

    watcher = asyncio.create_task(watch())
    try:
        await asyncio.gather(
            *(_respondent(load, n, stopping) for n in range(len(load.respondents)))
        )
    finally:
        watcher.cancel()
