"""The request a log line belongs to: set by the request middleware in a context variable, so
every line logged while the request runs (threads included) carries its request id."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from starlette.types import Scope

__all__ = [
    "RequestContext",
    "accepted_request_id",
    "current_request",
    "enter_request",
    "leave_request",
    "note_workspace",
    "route_template",
]

REQUEST_ID_HEADER = b"x-request-id"
# A caller's own id is kept when it is short and plain; anything else gets a fresh one, so a
# log line never carries a caller's arbitrary text.
_SANE_REQUEST_ID = re.compile(rb"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
UNMATCHED_ROUTE = "unmatched"


@dataclass(slots=True)
class RequestContext:
    request_id: str
    method: str
    scope: Scope = field(repr=False)
    workspace_id: str | None = None

    @property
    def route(self) -> str:
        return route_template(self.scope)

    @property
    def known_workspace_id(self) -> str | None:
        if self.workspace_id is not None:
            return self.workspace_id
        # The console's session dependency leaves the signed-in user on request.state.
        user: Any = self.scope.get("state", {}).get("console_user")
        workspace_id = getattr(user, "workspace_id", None)
        return workspace_id if isinstance(workspace_id, str) else None


_current: ContextVar[RequestContext | None] = ContextVar("opsmaturity_request", default=None)


def current_request() -> RequestContext | None:
    return _current.get()


def enter_request(context: RequestContext) -> Token[RequestContext | None]:
    return _current.set(context)


def leave_request(token: Token[RequestContext | None]) -> None:
    _current.reset(token)


def note_workspace(workspace_id: str) -> None:
    """Record the caller's workspace for the request's log lines (once it is known)."""
    context = _current.get()
    if context is not None:
        context.workspace_id = workspace_id


def accepted_request_id(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's X-Request-ID when it is sane, else a new one."""
    for name, value in headers:
        if name == REQUEST_ID_HEADER:
            if _SANE_REQUEST_ID.fullmatch(value):
                return value.decode("ascii")
            break
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/r/{token}`), never the raw path, which may carry
    an invite token; `unmatched` before routing or when nothing matched."""
    # FastAPI keeps an included router's prefix on the effective route, not on the route.
    effective = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(effective, "path_format", None)
    if not isinstance(template, str):
        template = getattr(scope.get("route"), "path_format", None)
    if isinstance(template, str):
        return template
    # A mounted app (the static files) leaves only its prefix, as root_path.
    app_root = scope.get("app_root_path")
    mounted = scope.get("root_path", "")
    if (
        isinstance(app_root, str)
        and isinstance(mounted, str)
        and mounted != app_root
        and mounted.startswith(app_root)
    ):
        return mounted[len(app_root) :] + "/{path}"
    return UNMATCHED_ROUTE
