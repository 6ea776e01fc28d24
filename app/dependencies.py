"""Request dependencies that the API and the pages share, as `Annotated` aliases: the
runtime and its parts, the unit of work, the authenticated caller.

A request's database work is one unit of work, run by the runtime's Database
(app/persistence/database.py), which alone decides where. The usual form authenticates the
caller in the same transaction: `await work.run(lambda session, caller: service(...))`
(ConsultantWorkDep for API keys only, CallerWorkDep for API keys or the respondent's own
invite token). A respondent saving answers with their invite token goes further with
`work.run_as_invitee`: the service's steps find and lock the respondent by the token's hash,
which authenticates it too. The plain `UnitOfWorkDep` with `PrincipalDep` does the same in two
steps. A missing credential is refused before anything else. Dependencies that do no I/O are
`async def`, so they cost no hop to a worker thread; and a read of cached results skips the
hop too, checking the key and the results version in one query from the event loop
(`AuthenticatedWork.reads`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import BackgroundTasks, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.catalog import Catalog
from app.models import utc_now
from app.observability import note_workspace
from app.persistence.database import Database
from app.persistence.loop_reads import LoopReads
from app.persistence.steps import StepWork
from app.runtime import runtime_of
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
    "request_writes",
]

T = TypeVar("T")

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key (`om_live_…`), or for a respondent's own answers an invite token (`om_inv_…`).",
)
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def request_writes(request: Request) -> bool:
    """Whether the request's unit of work may write (every method but the reading ones)."""
    return request.method not in _READ_METHODS


def bearer_credential(request: Request) -> str | None:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    return credential.strip()


async def authenticate_credential(database: Database, credential: str) -> Principal:
    """Look a credential up in a short read-only transaction of its own."""
    return await database.run(
        lambda session: authenticate(session=session, credential=credential), writes=False
    )


class UnitOfWork:
    """The request's one transaction (see the module docstring)."""

    def __init__(self, database: Database, *, writes: bool) -> None:
        self._database = database
        self._writes = writes
        self._used = False

    @property
    def database(self) -> Database:
        return self._database

    async def run(self, work: Callable[[Session], T], *, short_write: bool = False) -> T:
        """`short_write`: a write of a few rows (the database may run it from the event loop)."""
        if self._used:
            raise RuntimeError("a request has one unit of work")
        self._used = True
        return await self._database.run(work, writes=self._writes, short=short_write)

    async def run_steps(self, work: StepWork[T]) -> T:
        """A short write written as steps (app/persistence/steps.py)."""
        if self._used:
            raise RuntimeError("a request has one unit of work")
        self._used = True
        return await self._database.run_steps(work)


async def _unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(runtime_of(request).database, writes=request_writes(request))


UnitOfWorkDep = Annotated[UnitOfWork, Depends(_unit_of_work)]


class AuthenticatedWork:
    """A unit of work that first authenticates its caller in its own transaction: an unknown
    or revoked credential raises AuthenticationError, an invite token where only API keys
    may act PermissionDeniedError. The work gets the session and the caller."""

    def __init__(
        self,
        request: Request,
        *,
        consultants_only: bool,
        background: BackgroundTasks,
    ) -> None:
        self._database = runtime_of(request).database
        self._unit = UnitOfWork(self._database, writes=request_writes(request))
        self._credential = _required_credential(request)
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
    def reads(self) -> LoopReads:
        """For reads served from the event loop, which authenticate in their own query."""
        return self._database

    def note_caller(self, caller: Principal) -> None:
        """After a read outside `run`: record the key's use as `run` does."""
        note_workspace(caller.workspace_id)
        if caller.is_api_key and key_use_is_stale(caller, now=utc_now()):
            self._background.add_task(_record_key_use, self._database, caller)

    async def run_as_invitee(
        self, work: Callable[[str], StepWork[T]], *, workspace_of: Callable[[T], str]
    ) -> T:
        """Run steps that authenticate the invite token themselves, given the token's hash,
        in the statement that finds what the token reaches (raising AuthenticationError when
        it finds nothing for an unknown token): one query fewer than `run`. `workspace_of`
        names the caller's workspace in the result, for the request's log lines."""
        if not self.holds_invite_token:
            raise RuntimeError("run_as_invitee needs an invite token where one may act")
        result = await self._unit.run_steps(work(hash_secret(self._credential)))
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
    return AuthenticatedWork(request, consultants_only=True, background=background)


async def _caller_work(
    request: Request,
    background: BackgroundTasks,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AuthenticatedWork:
    return AuthenticatedWork(request, consultants_only=False, background=background)


ConsultantWorkDep = Annotated[AuthenticatedWork, Depends(_consultant_work)]
CallerWorkDep = Annotated[AuthenticatedWork, Depends(_caller_work)]


async def _record_key_use(database: Database, principal: Principal) -> None:
    await database.run(
        lambda session: record_key_use(session=session, principal=principal, now=utc_now()),
        writes=True,
    )


async def _principal(
    request: Request,
    background: BackgroundTasks,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    credential = _required_credential(request)
    database = runtime_of(request).database
    principal = await authenticate_credential(database, credential)
    note_workspace(principal.workspace_id)
    if key_use_is_stale(principal, now=utc_now()):
        # After the response, in a transaction of its own: reads stay reads.
        background.add_task(_record_key_use, database, principal)
    return principal


PrincipalDep = Annotated[Principal, Depends(_principal)]


async def _consultant(principal: PrincipalDep) -> Principal:
    if not principal.is_api_key:
        raise PermissionDeniedError("an invite token may only read and save its own answers")
    return principal


ConsultantDep = Annotated[Principal, Depends(_consultant)]


async def _catalog(request: Request) -> Catalog:
    return runtime_of(request).catalog


CatalogDep = Annotated[Catalog, Depends(_catalog)]


async def _settings(request: Request) -> Settings:
    return runtime_of(request).settings


SettingsDep = Annotated[Settings, Depends(_settings)]


async def _results_cache(request: Request) -> ResultsCache:
    return runtime_of(request).results_cache


ResultsCacheDep = Annotated[ResultsCache, Depends(_results_cache)]
