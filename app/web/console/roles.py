"""What each role may do in the console, decided in one place for every console route: the
dependency that requires a signed-in user (`ConsoleUserDep`) asks `refusal_for` before any
route runs.

- viewer: reads every page of the workspace but the owner's areas and the outgoing mail
  (it holds respondents' addresses and their private links); any other request than a read
  (GET) is refused, except signing out and switching workspace;
- consultant: runs assessments, clients, respondents and targets;
- owner: also the owner's areas below (branding and the public link, API keys, webhooks,
  colleagues), which are refused to the others, their pages included.
"""

from __future__ import annotations

__all__ = [
    "ANY_MEMBER_POSTS",
    "CONSULTANT_AREAS",
    "OWNER_AREAS",
    "READ_METHODS",
    "RoleRefusedError",
    "refusal_for",
]

OWNER_AREAS = (
    "/console/settings",
    "/console/api-keys",
    "/console/webhooks",
    "/console/colleagues",
)
# Read by consultants and owners only: invitations and reminders carry respondents' links.
CONSULTANT_AREAS = ("/console/mail",)
# Requests that change nothing of the workspace: any member may send them.
ANY_MEMBER_POSTS = frozenset({"/console/logout", "/console/workspace"})
READ_METHODS = frozenset({"GET", "HEAD"})

_ROLE_NAMES = {"owner": "an owner", "consultant": "a consultant", "viewer": "a viewer"}


class RoleRefusedError(Exception):
    """The signed-in user's role in this workspace does not allow the request."""

    def __init__(self, role: str, reason: str) -> None:
        super().__init__(reason)
        self.role = role
        self.reason = reason


def _in(areas: tuple[str, ...], route_path: str) -> bool:
    return any(route_path == area or route_path.startswith(f"{area}/") for area in areas)


def refusal_for(role: str, method: str, route_path: str) -> RoleRefusedError | None:
    """None when `role` may send `method` to the route `route_path` (its template, e.g.
    /console/assessments/{assessment_id}/close), else why not. Unknown roles may do nothing."""
    if role == "owner":
        return None
    who = _ROLE_NAMES.get(role, "a member without a role")
    if _in(OWNER_AREAS, route_path):
        return RoleRefusedError(
            role,
            f"You are {who} in this workspace: branding, the public link, API keys, webhooks "
            "and colleagues are looked after by its owners.",
        )
    if role == "consultant":
        return None
    if _in(CONSULTANT_AREAS, route_path):
        return RoleRefusedError(
            role,
            f"You are {who} in this workspace: outgoing mail carries respondents' addresses and "
            "private links, so only consultants and owners read it.",
        )
    if method in READ_METHODS or route_path in ANY_MEMBER_POSTS:
        return None
    return RoleRefusedError(
        role,
        f"You are {who} in this workspace: you can read assessments and results, but only "
        "consultants and owners can change them.",
    )
