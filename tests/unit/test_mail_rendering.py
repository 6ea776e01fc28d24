"""Mail templates and addresses: HTML escaped and plain text not, undefined variables
refused, addresses checked offline and normalised, a sender setting checked at start-up."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError
from pydantic import ValidationError

from app.mail.addresses import address_problem, normalised_address, sender_problem
from app.mail.rendering import render_mail, template_names
from app.settings import Settings

CONTEXT = {
    "workspace_name": "Smith & <Jones>",
    "brand_colour": "#1f4e79",
    "base_url": "https://opsmaturity.example",
    "user_name": "<b>Robin</b>",
    "email": "robin@example.org",
    "token": "abc",
    "valid_minutes": 60,
}


def test_the_html_part_is_escaped_and_the_plain_text_part_is_not() -> None:
    mail = render_mail("password_reset", CONTEXT)
    assert mail.subject == "Reset your OpsMaturity password"
    assert "Hello <b>Robin</b>," in mail.text
    assert "&lt;b&gt;Robin&lt;/b&gt;" in mail.html and "<b>Robin</b>" not in mail.html
    assert "Smith &amp; &lt;Jones&gt;" in mail.html
    link = "https://opsmaturity.example/console/password-reset/abc"
    assert link in mail.text and f'href="{link}"' in mail.html
    assert 'style="height:6px;background:#1f4e79;' in mail.html


def test_a_missing_variable_is_an_error_not_a_gap() -> None:
    with pytest.raises(UndefinedError):
        render_mail("password_reset", {key: v for key, v in CONTEXT.items() if key != "token"})


def test_an_unknown_template_is_refused() -> None:
    assert "password_reset" in template_names()
    assert "_layout" not in template_names()
    with pytest.raises(LookupError):
        render_mail("../settings", CONTEXT)


@pytest.mark.parametrize(
    ("typed", "sent_to"),
    [
        ("Robin@Example.ORG", "Robin@example.org"),
        ("  robin@example.org ", "robin@example.org"),
        ("robin@bücher.example", "robin@xn--bcher-kva.example"),
        ("demo@opsmaturity.test", "demo@opsmaturity.test"),  # the relay answers for it
    ],
)
def test_addresses_are_normalised_as_mail_is_sent_to_them(typed: str, sent_to: str) -> None:
    assert normalised_address(typed) == sent_to


@pytest.mark.parametrize(
    "typed",
    [
        "robin",
        "robin@",
        "@example.org",
        "robin@example.org\r\nBcc: spy@example.org",
        "robin@@example.org",
        "röbin@example.org",  # a non-ASCII mailbox needs SMTPUTF8, which many relays lack
        "robin@exa mple.org",
        "robin@localhost",
        "robin@host.invalid",
    ],
)
def test_addresses_mail_cannot_go_to_are_refused_with_a_reason(typed: str) -> None:
    problem = address_problem(typed)
    assert problem is not None and len(problem) > 20


def test_the_sender_setting_is_checked() -> None:
    assert sender_problem("Acme Advisory <advice@acme.example>") is None
    assert sender_problem("OpsMaturity <no-reply@localhost>") is None  # the default
    assert sender_problem("Acme\r\nBcc: spy@example.org <a@acme.example>") is not None
    assert sender_problem("Acme Advisory") is not None
    with pytest.raises(ValidationError, match="is not an e-mail address"):
        Settings(mail_from="Acme Advisory")


def test_a_relay_needs_a_sender_of_its_own() -> None:
    with pytest.raises(ValidationError, match="OPSMATURITY_MAIL_FROM"):
        Settings(smtp_host="smtp.example.org")
    assert Settings(smtp_host="smtp.example.org", mail_from="a@example.org").smtp_port == 587
