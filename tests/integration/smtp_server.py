"""A real SMTP server (aiosmtpd) on a loopback port, for tests of outgoing mail: it keeps
every message it accepts, can refuse chosen recipients for good (550), and can be stopped
and started again on the same port, as a relay that goes down for a while."""

from __future__ import annotations

import email
import socket
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

__all__ = ["ReceivedMail", "SmtpServer", "free_port"]


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "no plain-text part"
        return str(part.get_content())

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, "no HTML part"
        return str(part.get_content())


@dataclass
class _Recorder:
    received: list[ReceivedMail] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=default)
        assert isinstance(message, EmailMessage)
        self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self._recorder = _Recorder()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[ReceivedMail]:
        return list(self._recorder.received)

    def refuse(self, address: str) -> None:
        self._recorder.refused.add(address)

    def start(self) -> None:
        self._controller = Controller(self._recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        """The messages received, once there are at least `count`."""
        deadline = time.monotonic() + timeout
        while len(self._recorder.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the SMTP server received {self.received} in time")
            time.sleep(0.02)
        return self.received
