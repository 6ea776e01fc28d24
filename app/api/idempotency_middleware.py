"""The Idempotency-Key header on any POST of the API: a retry gets the first response back.

ASGI middleware, so that it sees a response only after the request's transaction has
committed, and so every POST gets it without code in the endpoints. Keys are scoped by the
caller's workspace; claims and stored responses live in the database, so all workers share
them (see app/services/idempotency.py). Only successful (2xx) responses are stored: a
request that failed may be retried with the same key.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.dependencies import authenticate_credential, bearer_credential
from app.models import utc_now
from app.persistence.database import Database
from app.problems import problem_for_error
from app.runtime import runtime_of
from app.services.errors import (
    AuthenticationError,
    DomainError,
    FieldProblem,
    IdempotencyInProgressError,
    InvalidInputError,
)
from app.services.idempotency import (
    IdempotentRequest,
    StoredResponse,
    claim_idempotency_key,
    release_idempotency_key,
    store_idempotent_response,
)

__all__ = ["IDEMPOTENCY_HEADER", "IdempotencyMiddleware"]

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, path_prefix: str = "/api/") -> None:
        self.app = app
        self.path_prefix = path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith(self.path_prefix)
        ):
            await self.app(scope, receive, send)
            return
        key = Headers(scope=scope).get(IDEMPOTENCY_HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()
        replay_receive = _replaying(body, receive)
        try:
            fingerprint = await _fingerprint(request, key, body)
            if fingerprint is None:  # no valid credential: the endpoint refuses the request
                await self.app(scope, replay_receive, send)
                return
            database = runtime_of(request).database
            stored = await _claim(database, fingerprint)
        except DomainError as error:
            await problem_for_error(request, error)(scope, receive, send)
            return
        if stored is not None:
            await _replay(stored)(scope, receive, send)
            return
        await self._run_and_remember(scope, replay_receive, send, database, fingerprint)

    async def _run_and_remember(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        database: Database,
        fingerprint: IdempotentRequest,
    ) -> None:
        # The response is held back until it is stored, so that a retry sent the moment the
        # first response arrives finds it rather than a claim still in progress.
        messages: list[Message] = []

        async def holding_send(message: Message) -> None:
            messages.append(message)

        try:
            await self.app(scope, receive, holding_send)
        except BaseException:
            await _release(database, fingerprint)
            raise
        start = next(m for m in messages if m["type"] == "http.response.start")
        status = int(start["status"])
        if 200 <= status < 300:
            headers = MutableHeaders(raw=list(start.get("headers", [])))
            body = b"".join(
                m.get("body", b"") for m in messages if m["type"] == "http.response.body"
            )
            first = StoredResponse(
                status, body.decode(), headers.get("content-type"), headers.get("location")
            )
            await database.run(
                lambda session: store_idempotent_response(
                    session=session, request=fingerprint, response=first
                ),
                writes=True,
            )
        else:
            await _release(database, fingerprint)
        for message in messages:
            await send(message)


def _replaying(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay_receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay_receive


async def _fingerprint(request: Request, key: str, body: bytes) -> IdempotentRequest | None:
    if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        message = f"must be 1 to {MAX_KEY_LENGTH} printable characters"
        raise InvalidInputError([FieldProblem("header.idempotency-key", message)])
    credential = bearer_credential(request)
    if credential is None:
        return None
    try:
        principal = await authenticate_credential(runtime_of(request).database, credential)
    except AuthenticationError:
        return None
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return IdempotentRequest.of(
        workspace_id=principal.workspace_id, key=key, method=request.method, path=path, body=body
    )


def _replay(stored: StoredResponse) -> Response:
    headers = {REPLAYED_HEADER: "true"}
    if stored.location:
        headers["Location"] = stored.location
    response = Response(stored.body, stored.status, headers)
    if stored.media_type:
        response.headers["content-type"] = stored.media_type
    return response


async def _claim(database: Database, request: IdempotentRequest) -> StoredResponse | None:
    try:
        return await database.run(
            lambda session: claim_idempotency_key(session=session, request=request, now=utc_now()),
            writes=True,
        )
    except IntegrityError as error:  # a concurrent request claimed the same key first
        raise IdempotencyInProgressError(
            "another request with this Idempotency-Key is running; retry shortly"
        ) from error


async def _release(database: Database, request: IdempotentRequest) -> None:
    await database.run(
        lambda session: release_idempotency_key(session=session, request=request), writes=True
    )
