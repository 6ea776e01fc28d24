"""A real HTTP receiver for webhook tests on 127.0.0.1, and settings for servers that deliver
to it quickly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import httpx

from app.settings import Settings
from tests.integration.flow import FULL_ANSWERS, expect, save_answers

__all__ = [
    "Received",
    "WebhookReceiver",
    "create_endpoint",
    "delivery_log",
    "fast_webhook_settings",
    "receiving",
    "submit_everyone",
    "wait_until",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


class WebhookReceiver:
    """Records every POST; answers with the scripted statuses first, then `default_status`."""

    def __init__(self, server: ThreadingHTTPServer, default_status: int) -> None:
        self._server = server
        self._condition = threading.Condition()
        self._received: list[Received] = []
        self._script: list[int] = []
        self.default_status = default_status

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def answer_next(self, *statuses: int) -> None:
        with self._condition:
            self._script.extend(statuses)

    def record(self, received: Received) -> int:
        with self._condition:
            self._received.append(received)
            self._condition.notify_all()
            return self._script.pop(0) if self._script else self.default_status

    @property
    def received(self) -> list[Received]:
        with self._condition:
            return list(self._received)

    def wait_for(
        self, count: int, *, path: str | None = None, timeout: float = 30
    ) -> list[Received]:
        """The requests (to `path`, if given) once there are at least `count` of them."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                matching = [r for r in self._received if path is None or r.path == path]
                if len(matching) >= count:
                    return matching
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(matching)} of {count} webhook(s) arrived")
                self._condition.wait(left)


@contextmanager
def receiving(default_status: int = 200) -> Iterator[WebhookReceiver]:
    holder: list[WebhookReceiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = holder[0].record(Received(self.path, headers, body))
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder.append(WebhookReceiver(server, default_status))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield holder[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def fast_webhook_settings(
    database_url: str, questionnaires_dir: Path, **overrides: Any
) -> Settings:
    """Receivers on 127.0.0.1 allowed, retries after milliseconds, a few attempts."""
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "questionnaires_dir": questionnaires_dir,
        "base_url": "https://opsmaturity.test",
        "webhooks_allow_private_addresses": True,
        "webhooks_timeout_seconds": 5.0,
        "webhooks_max_attempts": 4,
        "webhooks_retry_base_seconds": 0.05,
        "webhooks_retry_max_seconds": 0.2,
        "webhooks_poll_interval_seconds": 0.05,
        **overrides,
    }
    return Settings(**values)


def wait_until(check: Callable[[], T | None], *, timeout: float = 30, every: float = 0.05) -> T:
    """The first truthy result of `check`, polled until the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {check}")
        time.sleep(every)


def create_endpoint(
    api: httpx.Client, url: str, *event_types: str, **fields: Any
) -> dict[str, Any]:
    body = {"url": url, "event_types": list(event_types), **fields}
    created: dict[str, Any] = expect(api.post("/api/v1/webhook-endpoints", json=body), 201)
    return created


def delivery_log(api: httpx.Client, endpoint_id: str) -> list[dict[str, Any]]:
    """The endpoint's deliveries, oldest first, each with its attempts."""
    page = expect(api.get(f"/api/v1/webhook-endpoints/{endpoint_id}/deliveries"), 200)
    return [
        expect(api.get(f"/api/v1/webhook-deliveries/{item['id']}"), 200)
        for item in reversed(page["items"])
    ]


def submit_everyone(api: httpx.Client, assessment_id: str, people: list[dict[str, Any]]) -> None:
    """Each respondent submits complete answers with their own invite token."""
    for person in people:
        saved = save_answers(
            api,
            assessment_id,
            person["id"],
            FULL_ANSWERS,
            submit=True,
            token=person["invite_token"],
        )
        expect(saved, 200)
