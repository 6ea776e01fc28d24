"""Routers join the app's own route table instead of being included; a 405 names every method.

`app.include_router` keeps an included router's routes behind a layer that matches each of
them with extra bookkeeping: about 5 microseconds a route, paid twice per request (once to
choose the router, once inside it). An answer save, whose route came twenty-sixth, paid
about 0.18 ms before its endpoint ran, a tenth of its CPU time on SQLite (bench/api_bench.py).
In the app's own table a route is matched by its path pattern alone.

A router's routes are complete when declared: the router's prefix, tags, responses,
dependencies and route class are already in each of them. What only inclusion would carry
over, a router's own lifespan, start-up handlers and dependency overrides, no router here has.

One resource is often several routes (GET and POST of /api/v1/clients are two). Starlette
answers a method that none of them serves with 405 from the first route whose path matched,
and its `Allow` names only that route's methods; `allowed_methods` names them all (RFC 9110
requires every method the resource supports).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.routing import Match, Route

__all__ = ["add_routes", "allowed_methods"]


def add_routes(app: FastAPI, *routers: APIRouter) -> None:
    for router in routers:
        app.router.routes.extend(router.routes)


def allowed_methods(request: Request) -> str:
    """The `Allow` header for a 405: the methods of every route whose path matches."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                methods |= route.methods
    return ", ".join(sorted(methods))
