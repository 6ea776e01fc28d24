"""A real uvicorn server on a loopback port, in a thread, for tests through HTTP, configured
like `opsmaturity serve`: uvicorn rewrites no client address from proxy headers (the app's
OPSMATURITY_TRUSTED_PROXIES alone decides) and logs no access lines of its own."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import uvicorn
from fastapi import FastAPI

from app.main import create_app
from app.models import utc_now
from app.settings import Settings

__all__ = ["LiveServer", "running_server"]


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: FastAPI
    settings: Settings


@contextmanager
def running_server(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now
) -> Iterator[LiveServer]:
    """`clock`: the app's time for scheduled work (mail reminders), which a test moves."""
    app = create_app(settings, clock=clock)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on", proxy_headers=False, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
