"""create_app(settings): the FastAPI application; nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import health
from app.catalog import load_catalog
from app.database import make_engine
from app.settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings) -> FastAPI:
    """Build the app. The lifespan loads the catalog (refusing to start on an invalid
    definition) and creates the database engine; both live on `app.state`."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.catalog = load_catalog(settings.questionnaires_dir)
        app.state.engine = make_engine(settings.database_url)
        try:
            yield
        finally:
            app.state.engine.dispose()

    app = FastAPI(
        title="OpsMaturity",
        version="0.1.0",
        description="Operational-maturity diagnostic: questionnaires, scores, disagreement and reports.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(health.router)
    return app
