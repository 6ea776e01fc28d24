"""Routers join the app's own route table instead of being included.

`app.include_router` keeps an included router's routes behind a layer that matches each of
them with extra bookkeeping: about 5 microseconds a route, paid twice per request (once to
choose the router, once inside it). An answer save, whose route came twenty-sixth, paid
about 0.18 ms before its endpoint ran, a tenth of its CPU time on SQLite (bench/api_bench.py).
In the app's own table a route is matched by its path pattern alone.

A router's routes are complete when declared: the router's prefix, tags, responses,
dependencies and route class are already in each of them. What only inclusion would carry
over, a router's own lifespan, start-up handlers and dependency overrides, no router here has.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

__all__ = ["add_routes"]


def add_routes(app: FastAPI, *routers: APIRouter) -> None:
    for router in routers:
        app.router.routes.extend(router.routes)
