"""The branding a page shows: the workspace's name, colours and logo, or the product's own."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from app.models import Workspace
from app.reports.branding import DEFAULT_FIRM_NAME, DEFAULT_PRIMARY_COLOUR
from app.reports.palette import palette_for

__all__ = ["PageBrand", "page_brand"]


@dataclass(frozen=True, slots=True)
class PageBrand:
    name: str
    primary: str
    deep: str  # readable on white, for links and headings
    soft: str
    on_primary: str
    logo_uri: str | None

    @property
    def style(self) -> str:
        """CSS custom properties for the page's <body>; colours are checked #rrggbb values."""
        return (
            f"--brand: {self.primary}; --brand-deep: {self.deep}; "
            f"--brand-soft: {self.soft}; --on-brand: {self.on_primary}"
        )


def page_brand(workspace: Workspace | None) -> PageBrand:
    colour = DEFAULT_PRIMARY_COLOUR
    name = DEFAULT_FIRM_NAME
    logo_uri = None
    if workspace is not None:
        name = workspace.name
        colour = workspace.brand_colour or DEFAULT_PRIMARY_COLOUR
        if workspace.logo is not None and workspace.logo_media_type is not None:
            encoded = base64.b64encode(workspace.logo).decode("ascii")
            logo_uri = f"data:{workspace.logo_media_type};base64,{encoded}"
    palette = palette_for(colour)
    return PageBrand(
        name, palette.primary, palette.deep, palette.faint, palette.on_primary, logo_uri
    )
