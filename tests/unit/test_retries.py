"""Exponential backoff with jitter for failed hand-overs (webhook deliveries, mail), and
the status each attempt leaves behind."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.retries import RetryPolicy, retry_delay, settle


class FixedDraw(random.Random):
    def __init__(self, draw: float) -> None:
        super().__init__(0)
        self.draw = draw

    def random(self) -> float:
        return self.draw


def test_the_delay_doubles_up_to_the_cap() -> None:
    highest = [
        retry_delay(n, base_seconds=30, max_seconds=3600, rng=FixedDraw(1.0)) for n in range(1, 10)
    ]
    assert highest == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_jitter_takes_off_at_most_half() -> None:
    assert retry_delay(3, base_seconds=10, max_seconds=1000, rng=FixedDraw(0.0)) == 20
    assert retry_delay(3, base_seconds=10, max_seconds=1000, rng=FixedDraw(0.5)) == 30


@given(
    attempt=st.integers(min_value=1, max_value=10_000),
    base=st.floats(min_value=0.001, max_value=600),
    cap=st.floats(min_value=0.001, max_value=86_400),
    seed=st.integers(),
)
def test_every_delay_lies_between_half_the_ceiling_and_the_ceiling(
    attempt: int, base: float, cap: float, seed: int
) -> None:
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, 62))
    delay = retry_delay(attempt, base_seconds=base, max_seconds=cap, rng=random.Random(seed))
    assert ceiling / 2 <= delay <= ceiling


def test_attempts_are_numbered_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        retry_delay(0, base_seconds=1, max_seconds=1)


POLICY = RetryPolicy(max_attempts=3, base_seconds=60, max_seconds=600)
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_an_attempt_that_succeeds_finishes_the_hand_over() -> None:
    done = settle(attempt=1, succeeded=True, final=False, policy=POLICY, now=NOW)
    assert (done.status, done.next_attempt_at, done.finished_at) == ("succeeded", None, NOW)


def test_a_failure_waits_the_backoff_until_the_last_attempt() -> None:
    second = settle(
        attempt=2, succeeded=False, final=False, policy=POLICY, now=NOW, rng=FixedDraw(0.5)
    )
    # Attempt 2 failed: 60 * 2 = 120 s, of which 90 s with this draw.
    assert (second.status, second.next_attempt_at) == ("pending", NOW + timedelta(seconds=90))
    assert second.finished_at is None
    last = settle(attempt=3, succeeded=False, final=False, policy=POLICY, now=NOW)
    assert (last.status, last.next_attempt_at, last.finished_at) == ("failed", None, NOW)


def test_a_final_failure_is_not_retried() -> None:
    refused = settle(attempt=1, succeeded=False, final=True, policy=POLICY, now=NOW)
    assert (refused.status, refused.next_attempt_at) == ("failed", None)
