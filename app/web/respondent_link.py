"""What the pages behind a respondent's link (/r/<token>) share: the token in the path, the
page's base address and the context every one of its templates gets."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from fastapi.responses import RedirectResponse

from app.catalog import Catalog
from app.dependencies import UnitOfWork
from app.services.respondent_access import OpenedInvite, open_invite
from app.settings import Settings
from app.web.page_brand import page_brand
from app.web.page_security import require_csrf

__all__ = ["CsrfDep", "TokenPath", "base_path", "link_context", "open_link", "see_other"]

TokenPath = Annotated[str, Path(max_length=100)]
CsrfDep = Depends(require_csrf)


def base_path(token: str) -> str:
    return f"/r/{token}"


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def open_link(unit: UnitOfWork, catalog: Catalog, token: str) -> OpenedInvite:
    return await unit.run(
        lambda session: open_invite(session=session, catalog=catalog, token=token)
    )


def link_context(
    opened: OpenedInvite, token: str, settings: Settings, **extra: object
) -> dict[str, object]:
    questionnaire = opened.package.questionnaire
    return {
        "brand": page_brand(opened.workspace),
        "base": base_path(token),
        "resume_url": f"{settings.base_url.rstrip('/')}{base_path(token)}",
        "questionnaire_title": questionnaire.title,
        "self_assessment": opened.is_self_assessment,
        "anonymity_k": opened.assessment.anonymity_k,
        "accepts_answers": opened.accepts_answers,
        "submitted": opened.is_submitted,
        **extra,
    }
