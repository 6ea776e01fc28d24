"""A stored mail message as the MIME message that goes out: plain text and HTML as
alternatives, with the Message-ID and Date it was given when queued, so every attempt (and
the copy in the mail folder) is the same message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from app.models import MailMessage

__all__ = ["OutgoingMail", "mime_message"]


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """What a worker claimed: one message for one attempt."""

    id: str
    claim_token: str
    attempt: int
    message_id: str
    from_address: str
    reply_to: str | None
    to_address: str
    to_name: str
    subject: str
    text_body: str
    html_body: str
    created_at: datetime

    @classmethod
    def of(cls, row: MailMessage, *, claim_token: str = "") -> OutgoingMail:
        return cls(
            id=row.id,
            claim_token=claim_token,
            attempt=row.attempt_count,
            message_id=row.message_id,
            from_address=row.from_address,
            reply_to=row.reply_to,
            to_address=row.to_address,
            to_name=row.to_name,
            subject=row.subject,
            text_body=row.text_body,
            html_body=row.html_body,
            created_at=row.created_at,
        )


def _address(name: str, address: str) -> Address:
    local, _, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def mime_message(mail: OutgoingMail) -> EmailMessage:
    """Header values were checked when the message was queued (no line breaks, addresses
    valid); the email package refuses a line break in a header again, as a last guard."""
    message = EmailMessage(policy=SMTP)
    sender_name, sender_address = parseaddr(mail.from_address)
    message["From"] = _address(sender_name, sender_address)
    message["To"] = _address(mail.to_name, mail.to_address)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message
