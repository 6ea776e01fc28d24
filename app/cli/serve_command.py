"""`opsmaturity serve`: run the web service."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="start the web service")
    serve.add_argument(
        "--host", help="address to listen on (default from OPSMATURITY_HOST, 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, help="port (default from OPSMATURITY_PORT, 8000)")
    serve.set_defaults(handler=run_serve)


def run_serve(arguments: argparse.Namespace) -> int:
    import uvicorn

    from app.main import create_app
    from app.settings import Settings

    overrides = {
        k: v for k, v in (("host", arguments.host), ("port", arguments.port)) if v is not None
    }
    settings = Settings(**overrides)
    print(
        f"OpsMaturity on http://{settings.host}:{settings.port}  (database: {settings.database_url})",
        flush=True,
    )
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return 0
