"""Handing a message over: to an SMTP relay (smtplib, in a worker thread), or, with no relay
configured, to the mail folder as an .eml file that any mail program opens.

A hand-over either succeeds, or fails for now (the relay is down, busy or refused us for a
reason that may pass: retried with backoff), or fails for good (the relay refused the
recipient or the message with a 5xx answer: retrying cannot help)."""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import anyio

from app.mail.messages import OutgoingMail, mime_message
from app.models import utc_now
from app.settings import Settings

__all__ = [
    "HandOver",
    "MailFolder",
    "MailTransport",
    "SmtpRelay",
    "eml_name",
    "hand_over",
    "transport_for",
]

_ERROR_LENGTH = 500


@dataclass(frozen=True, slots=True)
class HandOver:
    started_at: datetime
    duration_ms: int
    error: str | None = None
    final: bool = False  # a failure that retrying cannot mend

    @property
    def succeeded(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class _Failure:
    reason: str
    final: bool


class MailTransport(Protocol):
    def deliver(self, message: EmailMessage, *, recipient: str, mail_id: str) -> None:
        """Hand the message over, blocking; raises on failure."""


def eml_name(mail_id: str) -> str:
    return f"{mail_id}.eml"


class MailFolder:
    """Each message as `<mail id>.eml` in `folder`, written whole or not at all (a temporary
    file renamed into place), so a retry after a crash rewrites the same file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def deliver(self, message: EmailMessage, *, recipient: str, mail_id: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / eml_name(mail_id)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(message.as_bytes())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def remove(self, mail_ids: Iterable[str]) -> None:
        """Delete the copies of these messages (an erasure); a missing one is no error."""
        for mail_id in mail_ids:
            (self.folder / eml_name(mail_id)).unlink(missing_ok=True)


class SmtpRelay:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        security: str,
        username: str | None,
        password: str | None,
        timeout: float,
    ) -> None:
        self._host, self._port, self._security = host, port, security
        self._username, self._password, self._timeout = username, password, timeout

    def deliver(self, message: EmailMessage, *, recipient: str, mail_id: str) -> None:
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if self._security == "tls":
            connection = smtplib.SMTP_SSL(
                self._host, self._port, timeout=self._timeout, context=context
            )
        else:
            connection = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        with connection:
            if self._security == "starttls":
                connection.starttls(context=context)
            if self._username:
                connection.login(self._username, self._password or "")
            connection.send_message(message, to_addrs=[recipient])


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer


def _reason(error: Exception) -> _Failure:
    """Final only when the relay refused this recipient or this message with a 5xx answer;
    a refused login or sender is the relay's settings, which an operator can mend."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return _Failure(f"recipient refused: {error.recipients}", final=min(codes) >= 500)
    if isinstance(error, smtplib.SMTPDataError):
        text = _text(error.smtp_error)
        return _Failure(f"message refused: {error.smtp_code} {text}", final=error.smtp_code >= 500)
    if isinstance(error, smtplib.SMTPResponseException):
        text = _text(error.smtp_error)
        return _Failure(f"relay answered {error.smtp_code} {text}", final=False)
    return _Failure(f"{type(error).__name__}: {error}", final=False)


async def hand_over(transport: MailTransport, mail: OutgoingMail) -> HandOver:
    """Send one claimed message through `transport` in a worker thread, never raising."""
    started_at, clock = utc_now(), time.monotonic()
    message = mime_message(mail)
    try:
        await anyio.to_thread.run_sync(
            lambda: transport.deliver(message, recipient=mail.to_address, mail_id=mail.id)
        )
    except Exception as error:  # every failure is logged on the attempt
        failure = _reason(error)
        duration_ms = round((time.monotonic() - clock) * 1000)
        return HandOver(started_at, duration_ms, failure.reason[:_ERROR_LENGTH], failure.final)
    return HandOver(started_at, round((time.monotonic() - clock) * 1000))


def transport_for(settings: Settings) -> MailTransport:
    if not settings.smtp_host:
        return MailFolder(settings.mail_folder)
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpRelay(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        username=settings.smtp_username,
        password=password,
        timeout=settings.mail_timeout_seconds,
    )
