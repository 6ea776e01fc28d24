"""First start in development: create the demo workspace and say how to sign in to it."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from app.catalog import Catalog, UnknownQuestionnaireError
from app.models import utc_now
from app.services.demo_workspace import OWNER_EMAIL, ensure_demo_workspace
from app.settings import Settings

__all__ = ["announce_demo_workspace"]

logger = logging.getLogger("opsmaturity")


def announce_demo_workspace(engine: Engine, catalog: Catalog, settings: Settings) -> None:
    """Create the demo when the database has no workspace yet and print its sign-in once:
    the password is generated and stored only as an argon2 hash."""
    try:
        demo = ensure_demo_workspace(
            engine=engine, catalog=catalog, base_url=settings.base_url, now=utc_now()
        )
    except UnknownQuestionnaireError as error:
        logger.warning("no demo workspace: %s", error)
        return
    if demo is None:
        return
    base = settings.base_url.rstrip("/")
    lines = (
        "",
        "  A demo workspace was created with a closed sample assessment (12 respondents).",
        f"  Take the diagnostic:  {base}/",
        f"  Consultant console:   {base}/console",
        f"  Mail it would send:   {base}/console/mail"
        + ("" if settings.smtp_host else f" (and as .eml files in {settings.mail_folder})"),
        f"  Sign in as {OWNER_EMAIL} with the password {demo.owner_password}",
        "  (shown only now; `opsmaturity admin` commands manage workspaces and keys)",
        "",
    )
    print("\n".join(lines), flush=True)
