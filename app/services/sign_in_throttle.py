"""Sign-in throttling: slow password guessing down without shutting a shared office out.

Two rules, counted in the database (table `login_failure`), so that every worker on every
host applies the same pauses (docs/sign_in_throttling.md):

1. Per (account, address) pair, exponential pauses. The first 5 failed sign-ins of one
   account from one client address cost nothing. After the n-th (n >= 5), that pair's next
   attempt waits 2**n seconds from that failure, at most 15 minutes: 32 s, 64 s, 128 s,
   256 s, 512 s, then 15 minutes each. Failures older than 24 hours are forgotten; a
   successful sign-in forgets the pair's failures, a password reset the account's from every
   address. Nobody else is slowed: the same account from another address, and every other
   account from the same address, sign in as usual, so a guesser cannot lock a colleague out.
2. Per address, a ceiling against guesses spread over many accounts (which rule 1 does not
   slow): after 200 failed sign-ins from one address within an hour, over all accounts, the
   address's next attempts wait until enough of them are an hour old. Sized for a shared
   office: if all 30 people of a team used their 5 free failures within the same hour and
   none had signed in yet, that would make 150, and a third as much again is left. In normal
   use (a mistyped password now and then; a success forgets its failures) an office of 30
   makes a handful.

What a guesser gets from one address: on one account 10 guesses in the first 17 minutes
(5 free, then 32+64+128+256+512 s), then 4 an hour, about 100 a day; over many accounts
200 an hour. The entry rate limit (app/observability/rate_limits.py) bounds the burst.

A refused attempt never reaches the password check: it costs no password hash and is not
itself a failure, so waiting always works. Accounts that exist and accounts that do not are
refused alike. Refusals raise SignInThrottledError with the time to wait (`retry_after`).

Use from any sign-in path (console sign-in, password reset, ...): `refuse_if_paused` before
checking the password, then `record_failure` or `record_success`; `forget_account` after a
password reset. `account` names the account on that path, normalised by the caller (console
sign-in: the lower-cased email); a path whose pauses should be its own prefixes it (e.g.
"reset:" + email). Every path shares the address ceiling. The caller passes `now`, so tests
choose the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.repositories import web_sessions as failure_rows
from app.services.credentials import hash_secret
from app.services.errors import DomainError

__all__ = [
    "SIGN_IN_RULES",
    "SignInThrottledError",
    "ThrottleRules",
    "address_wait",
    "forget_account",
    "pair_wait",
    "pause_after",
    "record_failure",
    "record_success",
    "refuse_if_paused",
    "wait_in_words",
]


@dataclass(frozen=True, slots=True)
class ThrottleRules:
    """The numbers of both rules (module docstring). One set serves every path today; a
    path that needs other numbers passes its own."""

    free_failures: int = 5
    max_pause: timedelta = timedelta(minutes=15)
    pair_memory: timedelta = timedelta(hours=24)
    address_ceiling: int = 200
    address_window: timedelta = timedelta(hours=1)


SIGN_IN_RULES = ThrottleRules()
_ADDRESS_MAX_LENGTH = 64  # the column's width; client addresses are far shorter


class SignInThrottledError(DomainError):
    """Too many failed sign-ins for this account from this address (`per_address` False) or
    from this address over all accounts (True); `retry_after` is the time to wait."""

    def __init__(self, retry_after: timedelta, *, per_address: bool) -> None:
        self.retry_after = retry_after
        self.per_address = per_address
        whose = "from this address" if per_address else "for this account from this address"
        super().__init__(
            f"too many failed sign-ins {whose}; try again in {wait_in_words(retry_after)}"
        )

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds, rounded up, at least 1: a Retry-After value."""
        return max(1, math.ceil(self.retry_after.total_seconds()))


def wait_in_words(wait: timedelta) -> str:
    """The wait in words, rounded up so never too early: 1 second, 32 seconds, 3 minutes."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def pause_after(failures: int, rules: ThrottleRules = SIGN_IN_RULES) -> timedelta:
    """How long a pair waits after its `failures`-th failure: none while failures are free,
    then 2**failures seconds, at most `rules.max_pause`."""
    if failures < rules.free_failures:
        return timedelta(0)
    seconds = 2.0 ** min(failures, 40)  # bounded: a timedelta of 2**50 s overflows
    return min(timedelta(seconds=seconds), rules.max_pause)


def pair_wait(
    failures: int, last_failure_at: datetime | None, now: datetime, rules: ThrottleRules
) -> timedelta:
    """Time left before the pair may try again (zero: it may now)."""
    if last_failure_at is None:
        return timedelta(0)
    return max(timedelta(0), last_failure_at + pause_after(failures, rules) - now)


def address_wait(
    failures: int, releasing_failure_at: datetime | None, now: datetime, rules: ThrottleRules
) -> timedelta:
    """Time left before the address may try again, given its failures within the window and
    the time of the one whose ageing out takes the address below the ceiling."""
    if failures < rules.address_ceiling or releasing_failure_at is None:
        return timedelta(0)
    return max(timedelta(0), releasing_failure_at + rules.address_window - now)


def refuse_if_paused(
    *,
    session: Session,
    account: str,
    address: str,
    now: datetime,
    rules: ThrottleRules = SIGN_IN_RULES,
) -> None:
    """Raise SignInThrottledError when `account` may not try to sign in from `address` yet;
    call it before checking the password."""
    address = address[:_ADDRESS_MAX_LENGTH]
    failures, last = failure_rows.pair_failures(
        session, account_key=_account_key(account), address=address, since=now - rules.pair_memory
    )
    per_pair = pair_wait(failures, last, now, rules)
    since = now - rules.address_window
    in_window = failure_rows.address_failures(session, address=address, since=since)
    releasing = None
    if in_window >= rules.address_ceiling:
        # Below the ceiling again once the oldest (in_window - ceiling + 1) have aged out.
        releasing = failure_rows.address_failure_at(
            session, address=address, since=since, position=in_window - rules.address_ceiling
        )
    per_address = address_wait(in_window, releasing, now, rules)
    if per_pair > timedelta(0) or per_address > timedelta(0):
        raise SignInThrottledError(max(per_pair, per_address), per_address=per_address > per_pair)


def record_failure(
    *,
    session: Session,
    account: str,
    address: str,
    now: datetime,
    rules: ThrottleRules = SIGN_IN_RULES,
) -> None:
    """Count a failed sign-in of `account` from `address` (the caller commits). Failures too
    old to count for either rule are purged on the way."""
    failure_rows.purge_login_failures(
        session, before=now - max(rules.pair_memory, rules.address_window)
    )
    failure_rows.add_login_failure(
        session,
        account_key=_account_key(account),
        address=address[:_ADDRESS_MAX_LENGTH],
        now=now,
    )


def record_success(*, session: Session, account: str, address: str) -> None:
    """Forget the failures of `account` from `address`: its owner got in from there."""
    failure_rows.clear_login_failures(
        session, account_key=_account_key(account), address=address[:_ADDRESS_MAX_LENGTH]
    )


def forget_account(*, session: Session, account: str) -> None:
    """Forget the failures of `account` from every address (after a password reset)."""
    failure_rows.clear_login_failures(session, account_key=_account_key(account), address=None)


def _account_key(account: str) -> str:
    return hash_secret(f"account:{account}")
