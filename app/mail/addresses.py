"""E-mail addresses as people type them: checked offline (no DNS lookups) with
email-validator, and refused with a sentence a person can act on."""

from __future__ import annotations

from email.utils import parseaddr

from email_validator import EmailNotValidError, validate_email

from app.text_rules import text_problem

__all__ = ["address_problem", "normalised_address", "sender_problem"]


def normalised_address(value: str) -> str:
    """The address as mail is sent to it (the domain lower-cased and in ASCII); ValueError
    with the reason when it is not an address mail can go to."""
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    try:
        checked = validate_email(
            value.strip(),
            check_deliverability=False,  # no DNS: the address is checked as written
            # .test addresses (the demo's, a staging installation's) are taken like any other:
            # the mail folder keeps them and a relay answers for them. Other special-use
            # names (.localhost, .invalid, .onion) are refused.
            test_environment=True,
            allow_smtputf8=False,  # relays that lack SMTPUTF8 would refuse it later
        )
    except EmailNotValidError as error:
        raise ValueError(f"is not an e-mail address mail can go to: {error}") from None
    return checked.ascii_email or checked.normalized


def address_problem(value: str) -> str | None:
    try:
        normalised_address(value)
    except ValueError as error:
        return str(error)
    return None


def sender_problem(value: str) -> str | None:
    """Why a From setting such as `Firm <no-reply@example.com>` will not do, or None."""
    if text_problem(value) is not None:
        return "the sender may not contain line breaks or control characters"
    _, address = parseaddr(value)
    if not address:
        return f"{value!r} names no address; write e.g. 'OpsMaturity <no-reply@example.com>'"
    if address.rpartition("@")[2] == "localhost":
        return None  # the development default: written to the mail folder, never relayed
    problem = address_problem(address)
    return None if problem is None else f"the sender {address!r} {problem}"
