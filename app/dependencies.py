"""Request dependencies as `Annotated` aliases: the unit of work, the caller, the catalog.

A request's database work is one unit of work. The usual form authenticates the caller in
the same transaction: `await work.run(lambda session, caller: service(...))` checks the
bearer credential, runs the service and commits, all in one worker thread (ConsultantWorkDep
for API keys only, CallerWorkDep for API keys or the respondent's own invite token). The
hottest write, a respondent saving answers with their invite token, goes further with
`work.run_as_invitee`: the statement that finds and locks the respondent checks the token
too, and on SQLite the save runs from the event loop itself (app/persistence/sqlite_loop.py). The plain
`UnitOfWorkDep` with `PrincipalDep` does the same in two steps (two threads, two
transactions). No thread ever waits for another while holding a lock; a missing credential
is refused before anything else. Dependencies that do no I/O are `async def`, so they cost
no hop to a worker thread, which is the dearest part of a request; and a read of cached
results skips the hop too, checking the key and the results version in one query from the
event loop (`AuthenticatedWork.loop_reads`, app/persistence/loop_reads.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import BackgroundTasks, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from app.catalog import Catalog
from app.models import utc_now
from app.observability import note_workspace
from app.persistence.loop_reads import LoopReads
from app.persistence.postgres_loop import LoopTransactions
from app.persistence.sqlite_loop import LoopWrites, WriteLockBusyError
from app.persistence.threads import in_database_thread
from app.persistence.unit_of_work import unit_of_work
from app.persistence.write_turns import READ_METHODS, write_turn
from app.services.authentication import Principal, authenticate, key_use_is_stale, record_key_use
from app.services.credentials import INVITE_TOKEN_MARKER, hash_secret
from app.services.errors import AuthenticationError, PermissionDeniedError
from app.services.results_cache import ResultsCache
from app.settings import Settings

__all__ = [
    "AuthenticatedWork",
    "CallerWorkDep",
    "CatalogDep",
    "ConsultantDep",
    "ConsultantWorkDep",
    "PrincipalDep",
    "ResultsCacheDep",
    "SettingsDep",
    "UnitOfWork",
    "UnitOfWorkDep",
    "authenticate_credential",
    "bearer_credential",
]

T = TypeVar("T")

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key (`om_live_…`), or for a respondent's own answers an invite token (`om_inv_…`).",
)


def bearer_credential(request: Request) -> str | None:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    return credential.strip()


def authenticate_credential(engine: Engine, credential: str) -> Principal:
    """Look a credential up in a short read-only transaction of its own."""
    with unit_of_work(engine) as session:
        return authenticate(session=session, credential=credential)


class UnitOfWork:
    """The request's one transaction (see the module docstring). Write requests on SQLite
    first wait for their write turn (app/persistence/write_turns.py)."""

    def __init__(self, state: State, *, writes: bool) -> None:
        self._state = state
        self._writes = writes
        self._used = False

    async def run(self, work: Callable[[Session], T], *, short_write: bool = False) -> T:
        """`short_write`: a write of a few rows, which on SQLite runs from the event loop
        itself when no other connection holds the write lock (app/persistence/sqlite_loop.py)."""
        if self._used:
            raise RuntimeError("a request has one unit of work")
        self._used = True
        async with write_turn(self._state, writes=self._writes):
            loop_writes: LoopWrites | None = getattr(self._state, "loop_writes", None)
            if short_write and self._writes and loop_writes is not None:
                with contextlib.suppress(WriteLockBusyError):
                    return loop_writes.run(work)
            return await in_database_thread(self._state, lambda: self._run_in_thread(work))

    def _run_in_thread(self, work: Callable[[Session], T]) -> T:
        with unit_of_work(self._state.engine, writes=self._writes) as session:
            return work(session)


async def _unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(request.app.state, writes=request.method not in READ_METHODS)


UnitOfWorkDep = Annotated[UnitOfWork, Depends(_unit_of_work)]


class AuthenticatedWork:
    """A unit of work that first authenticates its caller in its own transaction: an unknown
    or revoked credential raises AuthenticationError, an invite token where only API keys
    may act PermissionDeniedError. The work gets the session and the caller."""

    def __init__(
        self,
        state: State,
        *,
        writes: bool,
        credential: str,
        consultants_only: bool,
        background: BackgroundTasks,
    ) -> None:
        self._unit = UnitOfWork(state, writes=writes)
        self._state = state
        self._credential = credential
        self._consultants_only = consultants_only
        self._background = background

    @property
    def credential(self) -> str:
        return self._credential

    @property
    def holds_invite_token(self) -> bool:
        """The credential is an invite token where one may act: see `run_as_invitee`."""
        return not self._consultants_only and self._credential.startswith(INVITE_TOKEN_MARKER)

    @property
    def loop_reads(self) -> LoopReads:
        """For reads served from the event loop, which authenticate in their own query."""
        reads: LoopReads = self._state.loop_reads
        return reads

    def note_caller(self, caller: Principal) -> None:
        """After a read outside `run`: record the key's use as `run` does."""
        note_workspace(caller.workspace_id)
        if caller.is_api_key and key_use_is_stale(caller, now=utc_now()):
            self._background.add_task(_record_key_use, self._state, caller)

    async def run_as_invitee(
        self,
        work: Callable[[Session, str], T],
        *,
        workspace_of: Callable[[T], str],
        on_loop: Callable[[LoopTransactions, str], Awaitable[T | None]] | None = None,
    ) -> T:
        """Run work that authenticates the invite token itself, given the token's hash, in
        the statement that finds what the token reaches (raising AuthenticationError when it
        finds nothing for an unknown token): one query fewer than `run`. `workspace_of` names
        the caller's workspace in the result, for the request's log lines.

        `on_loop` is tried first where the app has transactions on the event loop
        (PostgreSQL, app/persistence/postgres_loop.py); `work` runs only when it gives None."""
        if not self.holds_invite_token:
            raise RuntimeError("run_as_invitee needs an invite token where one may act")
        token_hash = hash_secret(self._credential)
        transactions: LoopTransactions | None = self._state.loop_transactions
        result = None
        if on_loop is not None and transactions is not None:
            result = await on_loop(transactions, token_hash)
        if result is None:
            result = await self._unit.run(
                lambda session: work(session, token_hash), short_write=True
            )
        note_workspace(workspace_of(result))
        return result

    async def run(self, work: Callable[[Session, Principal], T]) -> T:
        callers: list[Principal] = []

        def as_caller(session: Session) -> T:
            caller = authenticate(session=session, credential=self._credential)
            if self._consultants_only and not caller.is_api_key:
                raise PermissionDeniedError(
                    "an invite token may only read and save its own answers"
                )
            callers.append(caller)
            return work(session, caller)

        try:
            return await self._unit.run(as_caller)
        finally:
            if callers:
                # After the response, in a transaction of its own: reads stay reads.
                self.note_caller(callers[0])


def _required_credential(request: Request) -> str:
    credential = bearer_credential(request)
    if credential is None:
        raise AuthenticationError("send the header Authorization: Bearer <API key>")
    return credential


async def _consultant_work(
    request: Request,
    background: BackgroundTasks,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AuthenticatedWork:
    return AuthenticatedWork(
        request.app.state,
        writes=request.method not in READ_METHODS,
        credential=_required_credential(request),
        consultants_only=True,
        background=background,
    )


async def _caller_work(
    request: Request,
    background: BackgroundTasks,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AuthenticatedWork:
    return AuthenticatedWork(
        request.app.state,
        writes=request.method not in READ_METHODS,
        credential=_required_credential(request),
        consultants_only=False,
        background=background,
    )


ConsultantWorkDep = Annotated[AuthenticatedWork, Depends(_consultant_work)]
CallerWorkDep = Annotated[AuthenticatedWork, Depends(_caller_work)]


async def _record_key_use(state: State, principal: Principal) -> None:
    def record() -> None:
        with unit_of_work(state.engine, writes=True) as session:
            record_key_use(session=session, principal=principal, now=utc_now())

    async with write_turn(state, writes=True):
        await run_in_threadpool(record)


async def _principal(
    request: Request,
    background: BackgroundTasks,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    credential = _required_credential(request)
    principal = await run_in_threadpool(
        authenticate_credential, request.app.state.engine, credential
    )
    note_workspace(principal.workspace_id)
    if key_use_is_stale(principal, now=utc_now()):
        # After the response, in a transaction of its own: reads stay reads.
        background.add_task(_record_key_use, request.app.state, principal)
    return principal


PrincipalDep = Annotated[Principal, Depends(_principal)]


async def _consultant(principal: PrincipalDep) -> Principal:
    if not principal.is_api_key:
        raise PermissionDeniedError("an invite token may only read and save its own answers")
    return principal


ConsultantDep = Annotated[Principal, Depends(_consultant)]


async def _catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


CatalogDep = Annotated[Catalog, Depends(_catalog)]


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(_settings)]


async def _results_cache(request: Request) -> ResultsCache:
    cache: ResultsCache = request.app.state.results_cache
    return cache


ResultsCacheDep = Annotated[ResultsCache, Depends(_results_cache)]
