"""The runtime: everything the app's lifespan builds, typed, in one object on app.state.runtime."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from starlette.requests import HTTPConnection

from app.catalog import Catalog
from app.models import utc_now
from app.observability.metrics import Metrics
from app.persistence.database import Database
from app.services.results_cache import ResultsCache
from app.settings import Settings

__all__ = ["Runtime", "runtime_of"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Runtime:
    settings: Settings
    catalog: Catalog
    database: Database  # how units of work run (app/persistence/database.py)
    results_cache: ResultsCache
    report_pool: ProcessPoolExecutor  # reports render in worker processes, never in the loop
    metrics: Metrics
    clock: Callable[[], datetime] = field(default=utc_now)
    # Reports this process renders in the background, by cache key (report_preparation.py).
    report_renders: dict[str, asyncio.Task[object]] = field(default_factory=dict)


def runtime_of(connection: HTTPConnection) -> Runtime:
    """The runtime of the app serving `connection` (a request), once its lifespan started."""
    runtime: Runtime = connection.app.state.runtime
    return runtime
