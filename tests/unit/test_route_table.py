"""Every route sits in the app's own route table (app/routing.py), where matching a request
costs a path pattern a route, not the bookkeeping of an included router."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount, Route

from app.main import create_app
from app.settings import Settings


def test_no_route_is_behind_an_included_router(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}"))
    hidden = [route for route in app.router.routes if not isinstance(route, Route | Mount)]
    assert hidden == [], "add routers with app.routing.add_routes, not app.include_router"
    paths = {route.path for route in app.router.routes if isinstance(route, Route)}
    assert "/api/v1/assessments/{assessment_id}/respondents/{respondent_id}/answers" in paths
    assert "/api/v1/assessments/{assessment_id}/report.pdf" in paths
    assert "/console/assessments/{assessment_id}" in paths
