"""The isolation matrix covers every route of the app: a new endpoint or page fails here
until tests/integration/isolation_matrix.py says who may reach it, and a route that is gone
fails here until it leaves the table."""

from __future__ import annotations

from tests.integration.isolation_matrix import (
    CLASSIFIED,
    Kind,
    kind_of,
    path_parameters,
    route_table,
)


def test_every_route_of_the_app_is_classified() -> None:
    routes = route_table()
    assert len(routes) > 80, routes
    unclassified = [route for route in routes if kind_of(route) is None]
    assert unclassified == [], (
        "classify these routes in tests/integration/isolation_matrix.py: who may reach them?"
    )


def test_the_classification_names_only_routes_that_exist() -> None:
    named = [route for routes in CLASSIFIED.values() for route in routes]
    assert sorted(set(named) - set(route_table())) == []
    twice = sorted({route for route in named if named.count(route) > 1})
    assert twice == [], "a route belongs to one kind"


def test_routes_with_ids_are_in_a_kind_that_checks_ids() -> None:
    """A path parameter is an id, a token or a slug; only the catalog's ids are shared."""
    allowed = {
        "assessment_id",
        "respondent_id",
        "client_id",
        "external_ref",
        "endpoint_id",
        "delivery_id",
        "key_id",
        "user_id",
        "invitation_id",
        "mail_id",
        "token",
        "number",
        "slug",
        "questionnaire_id",
    }
    for route in route_table():
        names = path_parameters(route)
        assert set(names) <= allowed, f"{route}: what does this parameter name?"
        kind = kind_of(route)
        if "token" in names:
            assert kind in (
                Kind.RESPONDENT,
                Kind.INVITATION,
                Kind.MAIL_OPT_OUT,
                Kind.PASSWORD_RESET,
            ), route
        elif "slug" in names:
            assert kind is Kind.PUBLIC_SLUG, route
        elif "questionnaire_id" in names:
            assert kind is Kind.API_SHARED, route
        elif names:
            assert kind in (Kind.API_IDS, Kind.CONSOLE_IDS), route
        else:
            assert kind not in (Kind.API_IDS, Kind.CONSOLE_IDS, Kind.RESPONDENT), route


def test_the_console_and_the_api_are_never_public() -> None:
    for route in CLASSIFIED[Kind.PUBLIC]:
        path = route.split(" ", 1)[1]
        assert not path.startswith("/api/"), route
        assert not path.startswith("/console") or path in {
            "/console/setup",
            "/console/login",
            "/console/logout",
            "/console/password-reset",  # asks for a link by e-mail, the same answer for all
        }, route
