"""`opsmaturity serve`: run the web service, in one process or in N worker processes."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

__all__ = ["register"]

# A worker that does not answer the supervisor's ping for this long is replaced; uvicorn's
# 5 s default would replace busy workers on a loaded machine.
WORKER_HEALTHCHECK_TIMEOUT_S = 30


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="start the web service")
    serve.add_argument(
        "--host", help="address to listen on (default from OPSMATURITY_HOST, 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, help="port (default from OPSMATURITY_PORT, 8000)")
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="worker processes sharing the port (default 1); use PostgreSQL for several hosts",
    )
    serve.set_defaults(handler=run_serve)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run_serve(arguments: argparse.Namespace) -> int:
    import uvicorn
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from app.catalog import CatalogError
    from app.main import app_from_environment, create_app, prepare_database
    from app.observability.server_options import uvicorn_options
    from app.settings import Settings

    overrides = {
        k: v for k, v in (("host", arguments.host), ("port", arguments.port)) if v is not None
    }
    settings = Settings(**overrides)
    database = make_url(settings.database_url).render_as_string(hide_password=True)
    workers = f", {arguments.workers} workers" if arguments.workers > 1 else ""
    print(
        f"OpsMaturity on http://{settings.host}:{settings.port}  (database: {database}{workers})",
        flush=True,
    )
    if arguments.workers == 1:
        uvicorn.run(
            create_app(settings, serves_the_process=True),
            host=settings.host,
            port=settings.port,
            **uvicorn_options(settings),
        )
        return 0
    # Migrate once here, then let each worker build the app from the same environment.
    try:
        prepare_database(settings)
    except CatalogError as error:
        print(f"opsmaturity serve: {error}", file=sys.stderr)
        return 1
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else error
        print(f"opsmaturity serve: database unreachable: {reason}", file=sys.stderr)
        return 1
    os.environ.update({f"OPSMATURITY_{k.upper()}": str(v) for k, v in overrides.items()})
    uvicorn.run(
        f"{app_from_environment.__module__}:{app_from_environment.__name__}",
        factory=True,
        workers=arguments.workers,
        host=settings.host,
        port=settings.port,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_TIMEOUT_S,
        **uvicorn_options(settings),
    )
    return 0
