"""Every route of the app, classified by what lets a caller in, for the isolation tests.

The route list is read from the app's real route table (`app.routes`: the API, the console,
the respondent's and the public pages, mounts), not from the OpenAPI document, which leaves
the pages out. A route the table below does not name, or a name that is no longer a route,
fails tests/integration/test_isolation_routes.py: a new endpoint or page cannot be added
without deciding who may reach it.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import cache

from fastapi.routing import iter_route_contexts

from app.main import create_app
from app.settings import Settings

__all__ = [
    "CLASSIFIED",
    "MINIMUM_ROLE",
    "Kind",
    "fill",
    "kind_of",
    "path_parameters",
    "route_table",
    "routes_of",
]


class Kind(Enum):
    API_IDS = "API key; ids of one workspace's data"
    API_LISTS = "API key; the caller's own workspace, no ids"
    API_SHARED = "API key; the questionnaire catalog, shared by every workspace by design"
    CONSOLE_IDS = "console session cookie; ids of one workspace's data"
    CONSOLE_PAGES = "console session cookie; the signed-in workspace, no ids"
    RESPONDENT = "a respondent's private token in the path"
    INVITATION = "a colleague invitation's private token in the path"
    MAIL_OPT_OUT = "a signed opt-out link in the path: stops reminders to one respondent"
    PASSWORD_RESET = "a password reset link's private token in the path: one account's"
    PUBLIC_SLUG = "a workspace's published self-assessment link"
    PUBLIC = "no credentials and no workspace data"
    MONITORING = "the metrics token (or this machine only); counts that name no workspace"


_API = "/api/v1"
_ASSESSMENT = f"{_API}/assessments/{{assessment_id}}"
_RESPONDENT = f"{_ASSESSMENT}/respondents/{{respondent_id}}"
_ENDPOINT = f"{_API}/webhook-endpoints/{{endpoint_id}}"
_CONSOLE_ASSESSMENT = "/console/assessments/{assessment_id}"
_CONSOLE_ENDPOINT = "/console/webhooks/{endpoint_id}"
_CONSOLE_CLIENT = "/console/clients/{client_id}"

CLASSIFIED: dict[Kind, frozenset[str]] = {
    Kind.API_IDS: frozenset(
        {
            f"GET {_API}/clients/by-external-ref/{{external_ref}}",
            f"GET {_API}/clients/{{client_id}}",
            f"PATCH {_API}/clients/{{client_id}}",
            f"DELETE {_API}/clients/{{client_id}}",
            f"GET {_ASSESSMENT}",
            f"PATCH {_ASSESSMENT}",
            f"DELETE {_ASSESSMENT}",
            f"POST {_ASSESSMENT}/open",
            f"POST {_ASSESSMENT}/close",
            f"POST {_ASSESSMENT}/reopen",
            f"POST {_ASSESSMENT}/respondents",
            f"GET {_ASSESSMENT}/respondents",
            f"POST {_ASSESSMENT}/reminders",
            f"POST {_RESPONDENT}/invite-link",
            f"POST {_RESPONDENT}/erase",
            f"DELETE {_RESPONDENT}",
            f"POST {_RESPONDENT}/answers",
            f"GET {_RESPONDENT}/answers",
            f"GET {_ASSESSMENT}/results",
            f"GET {_ASSESSMENT}/results.csv",
            f"GET {_ASSESSMENT}/report.pdf",
            f"GET {_ASSESSMENT}/report.html",
            f"GET {_ENDPOINT}",
            f"PATCH {_ENDPOINT}",
            f"DELETE {_ENDPOINT}",
            f"POST {_ENDPOINT}/rotate-secret",
            f"GET {_ENDPOINT}/deliveries",
            f"GET {_API}/webhook-deliveries/{{delivery_id}}",
            f"POST {_API}/webhook-deliveries/{{delivery_id}}/redeliver",
        }
    ),
    Kind.API_LISTS: frozenset(
        {
            f"POST {_API}/clients",
            f"GET {_API}/clients",
            f"POST {_API}/assessments",
            f"GET {_API}/assessments",
            f"POST {_API}/webhook-endpoints",
            f"GET {_API}/webhook-endpoints",
        }
    ),
    Kind.API_SHARED: frozenset(
        {
            f"GET {_API}/questionnaires",
            f"GET {_API}/questionnaires/{{questionnaire_id}}",
            f"POST {_API}/score",
            f"GET {_API}/webhook-event-types",
        }
    ),
    Kind.CONSOLE_IDS: frozenset(
        {
            f"GET {_CONSOLE_ASSESSMENT}",
            f"GET {_CONSOLE_ASSESSMENT}/targets",
            f"POST {_CONSOLE_ASSESSMENT}/targets",
            f"POST {_CONSOLE_ASSESSMENT}/schedule",
            f"POST {_CONSOLE_ASSESSMENT}/open",
            f"POST {_CONSOLE_ASSESSMENT}/close",
            f"POST {_CONSOLE_ASSESSMENT}/reopen",
            f"POST {_CONSOLE_ASSESSMENT}/respondents",
            f"POST {_CONSOLE_ASSESSMENT}/respondents/csv",
            f"POST {_CONSOLE_ASSESSMENT}/respondents/{{respondent_id}}/remove",
            f"GET {_CONSOLE_ASSESSMENT}/respondents/{{respondent_id}}/erase",
            f"POST {_CONSOLE_ASSESSMENT}/respondents/{{respondent_id}}/erase",
            f"POST {_CONSOLE_ASSESSMENT}/respondents/{{respondent_id}}/new-link",
            f"POST {_CONSOLE_ASSESSMENT}/remind",
            f"GET {_CONSOLE_ASSESSMENT}/results",
            f"GET {_CONSOLE_ASSESSMENT}/report.pdf",
            f"GET {_CONSOLE_ASSESSMENT}/report.html",
            f"GET {_CONSOLE_ASSESSMENT}/report-status",
            f"GET {_CONSOLE_ASSESSMENT}/results.csv",
            f"GET {_CONSOLE_ASSESSMENT}/completion",
            f"GET {_CONSOLE_ASSESSMENT}/delete",
            f"POST {_CONSOLE_ASSESSMENT}/delete",
            f"GET {_CONSOLE_CLIENT}",
            f"POST {_CONSOLE_CLIENT}",
            f"GET {_CONSOLE_CLIENT}/delete",
            f"POST {_CONSOLE_CLIENT}/delete",
            "POST /console/api-keys/{key_id}/revoke",
            "POST /console/colleagues/{user_id}/role",
            "POST /console/colleagues/{user_id}/remove",
            "POST /console/colleagues/invitations/{invitation_id}/cancel",
            f"GET {_CONSOLE_ENDPOINT}",
            f"POST {_CONSOLE_ENDPOINT}/enable",
            f"POST {_CONSOLE_ENDPOINT}/disable",
            f"POST {_CONSOLE_ENDPOINT}/rotate",
            f"POST {_CONSOLE_ENDPOINT}/delete",
            f"POST {_CONSOLE_ENDPOINT}/deliveries/{{delivery_id}}/redeliver",
            "GET /console/mail/{mail_id}",
            "GET /console/mail/{mail_id}/html",
            "GET /console/mail/{mail_id}/message.eml",
            "POST /console/mail/{mail_id}/send-again",
        }
    ),
    Kind.CONSOLE_PAGES: frozenset(
        {
            "GET /console",
            "GET /console/clients",
            "GET /console/self-assessments/archived",
            "POST /console/clients",
            "GET /console/assessments/new",
            "POST /console/assessments/new",
            "GET /console/settings",
            "POST /console/settings/branding",
            "POST /console/settings/logo/remove",
            "POST /console/settings/public-link",
            "POST /console/settings/mail",
            "POST /console/settings/lead-form",
            "POST /console/settings/time-zone",
            "GET /console/api-keys",
            "POST /console/api-keys",
            "GET /console/colleagues",
            "POST /console/colleagues",
            "POST /console/workspace",
            "GET /console/webhooks",
            "POST /console/webhooks",
            "GET /console/mail",
        }
    ),
    Kind.RESPONDENT: frozenset(
        {
            "GET /r/{token}",
            "GET /r/{token}/page/{number}",
            "POST /r/{token}/page/{number}",
            "POST /r/{token}/autosave",
            "GET /r/{token}/review",
            "POST /r/{token}/submit",
            "GET /r/{token}/done",
            "GET /r/{token}/results",
            "GET /r/{token}/report.pdf",
            "GET /r/{token}/report-status",
            "POST /r/{token}/full-diagnostic",
        }
    ),
    Kind.INVITATION: frozenset({"GET /console/join/{token}", "POST /console/join/{token}"}),
    Kind.PUBLIC_SLUG: frozenset({"GET /s/{slug}", "POST /s/{slug}/start"}),
    Kind.PUBLIC: frozenset(
        {
            "GET /openapi.json",
            "GET /docs",
            "MOUNT /docs-assets",
            "GET /redoc",
            "GET /healthz",
            "GET /readyz",
            "MOUNT /static",
            "GET /",
            "POST /start",
            "GET /console/setup",
            "POST /console/setup",
            "GET /console/login",
            "POST /console/login",
            "POST /console/logout",
            "GET /console/password-reset",
            "POST /console/password-reset",
        }
    ),
    Kind.MAIL_OPT_OUT: frozenset({"GET /mail/opt-out/{token}", "POST /mail/opt-out/{token}"}),
    Kind.PASSWORD_RESET: frozenset(
        {"GET /console/password-reset/{token}", "POST /console/password-reset/{token}"}
    ),
    Kind.MONITORING: frozenset({"GET /metrics"}),
}

# The least role in the workspace that may use each console route (app/web/console/roles.py
# enforces them in one place). A console route missing here fails
# tests/integration/test_console_roles.py: every route is tried with the roles below its own.
_CONSOLE_OWNER_AREAS = (
    "GET /console/settings",
    "POST /console/settings/branding",
    "POST /console/settings/logo/remove",
    "POST /console/settings/public-link",
    "POST /console/settings/mail",
    "POST /console/settings/lead-form",
    "POST /console/settings/time-zone",
    "GET /console/api-keys",
    "POST /console/api-keys",
    "POST /console/api-keys/{key_id}/revoke",
    "GET /console/webhooks",
    "POST /console/webhooks",
    f"GET {_CONSOLE_ENDPOINT}",
    f"POST {_CONSOLE_ENDPOINT}/enable",
    f"POST {_CONSOLE_ENDPOINT}/disable",
    f"POST {_CONSOLE_ENDPOINT}/rotate",
    f"POST {_CONSOLE_ENDPOINT}/delete",
    f"POST {_CONSOLE_ENDPOINT}/deliveries/{{delivery_id}}/redeliver",
    "GET /console/colleagues",
    "POST /console/colleagues",
    "POST /console/colleagues/{user_id}/role",
    "POST /console/colleagues/{user_id}/remove",
    "POST /console/colleagues/invitations/{invitation_id}/cancel",
)
_CONSOLE_CHANGES = (
    "POST /console/clients",
    "POST /console/clients/{client_id}",
    "POST /console/clients/{client_id}/delete",
    "POST /console/assessments/new",
    f"POST {_CONSOLE_ASSESSMENT}/targets",
    f"POST {_CONSOLE_ASSESSMENT}/schedule",
    f"POST {_CONSOLE_ASSESSMENT}/open",
    f"POST {_CONSOLE_ASSESSMENT}/close",
    f"POST {_CONSOLE_ASSESSMENT}/reopen",
    f"POST {_CONSOLE_ASSESSMENT}/delete",
    f"POST {_CONSOLE_ASSESSMENT}/respondents",
    f"POST {_CONSOLE_ASSESSMENT}/respondents/csv",
    f"POST {_CONSOLE_ASSESSMENT}/respondents/{{respondent_id}}/remove",
    f"POST {_CONSOLE_ASSESSMENT}/respondents/{{respondent_id}}/erase",
    f"POST {_CONSOLE_ASSESSMENT}/respondents/{{respondent_id}}/new-link",
    f"POST {_CONSOLE_ASSESSMENT}/remind",
    "POST /console/mail/{mail_id}/send-again",
    # Outgoing mail holds respondents' addresses and private links: not for viewers.
    "GET /console/mail",
    "GET /console/mail/{mail_id}",
    "GET /console/mail/{mail_id}/html",
    "GET /console/mail/{mail_id}/message.eml",
)
_CONSOLE_READS = (
    "GET /console",
    "GET /console/clients",
    "GET /console/clients/{client_id}",
    "GET /console/clients/{client_id}/delete",
    "GET /console/assessments/new",
    "GET /console/self-assessments/archived",
    f"GET {_CONSOLE_ASSESSMENT}",
    f"GET {_CONSOLE_ASSESSMENT}/completion",
    f"GET {_CONSOLE_ASSESSMENT}/delete",
    f"GET {_CONSOLE_ASSESSMENT}/targets",
    f"GET {_CONSOLE_ASSESSMENT}/results",
    f"GET {_CONSOLE_ASSESSMENT}/results.csv",
    f"GET {_CONSOLE_ASSESSMENT}/report.pdf",
    f"GET {_CONSOLE_ASSESSMENT}/report.html",
    f"GET {_CONSOLE_ASSESSMENT}/report-status",
    f"GET {_CONSOLE_ASSESSMENT}/respondents/{{respondent_id}}/erase",
    # Changes nothing of the workspace: any member switches.
    "POST /console/workspace",
)
MINIMUM_ROLE: dict[str, str] = {
    **dict.fromkeys(_CONSOLE_READS, "viewer"),
    **dict.fromkeys(_CONSOLE_CHANGES, "consultant"),
    **dict.fromkeys(_CONSOLE_OWNER_AREAS, "owner"),
}

_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


@cache
def route_table() -> tuple[str, ...]:
    """Every route of the app as "METHOD /path" (HEAD left out: it follows GET), and every
    mount as "MOUNT /path". Building the app opens nothing: the lifespan never runs."""
    app = create_app(Settings(environment="test", database_url="sqlite://"))
    found: set[str] = set()
    for route in iter_route_contexts(app.routes):
        methods = route.methods
        if not methods:
            found.add(f"MOUNT {route.path}")
            continue
        found.update(f"{method} {route.path}" for method in methods if method != "HEAD")
    return tuple(sorted(found))


def kind_of(route: str) -> Kind | None:
    kinds = [kind for kind, routes in CLASSIFIED.items() if route in routes]
    return kinds[0] if len(kinds) == 1 else None


def routes_of(*kinds: Kind) -> list[str]:
    """The app's routes of these kinds, for parametrising a test."""
    return [route for route in route_table() if kind_of(route) in kinds]


def path_parameters(route: str) -> list[str]:
    return _PARAMETER.findall(route)


def mixed_ids(outer: dict[str, str], inner: dict[str, str], route: str) -> dict[str, str] | None:
    """The first id of the path from `outer`, the rest from `inner`; None for one id."""
    names = path_parameters(route)
    if len(names) < 2:
        return None
    return {**inner, names[0]: outer[names[0]]}


def fill(route: str, values: dict[str, str]) -> tuple[str, str]:
    """(method, path) with every path parameter replaced by its value."""
    method, template = route.split(" ", 1)
    return method, _PARAMETER.sub(lambda m: values[m.group(1)], template)
