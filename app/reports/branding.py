"""A workspace's branding on its reports: firm name, primary colour and logo.

An uploaded logo is checked by its bytes (PNG, JPEG or SVG, at most `MAX_LOGO_BYTES`), an SVG
logo is refused when it could run script or reach anything outside itself, and the logo is
embedded in the report as a data: URI, so rendering never fetches it from anywhere.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Literal
from xml.etree import ElementTree

__all__ = [
    "DEFAULT_FIRM_NAME",
    "DEFAULT_PRIMARY_COLOUR",
    "MAX_LOGO_BYTES",
    "Branding",
    "BrandingError",
    "Logo",
    "check_colour",
    "check_firm_name",
    "check_logo",
]

MAX_LOGO_BYTES = 512 * 1024
MAX_FIRM_NAME_LENGTH = 120
DEFAULT_FIRM_NAME = "OpsMaturity"
DEFAULT_PRIMARY_COLOUR = "#1f4e79"

LogoMediaType = Literal["image/png", "image/jpeg", "image/svg+xml"]

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
# Elements that run script, embed other documents or pull in other resources.
_FORBIDDEN_SVG_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "image", "audio", "video", "a"}
)
_HREF_ATTRIBUTES = frozenset({"href", "{http://www.w3.org/1999/xlink}href", "src"})
_CSS_EXTERNAL = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|expression\(", re.IGNORECASE)


class BrandingError(ValueError):
    """A firm name, colour or logo that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Logo:
    media_type: LogoMediaType
    content: bytes

    @property
    def data_uri(self) -> str:
        encoded = base64.b64encode(self.content).decode("ascii")
        return f"data:{self.media_type};base64,{encoded}"


@dataclass(frozen=True, slots=True)
class Branding:
    """What a report shows of the firm that issues it. Build it with `Branding.checked`."""

    firm_name: str = DEFAULT_FIRM_NAME
    primary_colour: str = DEFAULT_PRIMARY_COLOUR
    logo: Logo | None = None

    @classmethod
    def checked(
        cls,
        *,
        firm_name: str | None = None,
        primary_colour: str | None = None,
        logo_bytes: bytes | None = None,
    ) -> Branding:
        """Validate each part; raises BrandingError naming the first part that is refused."""
        return cls(
            firm_name=check_firm_name(firm_name) if firm_name is not None else DEFAULT_FIRM_NAME,
            primary_colour=(
                check_colour(primary_colour)
                if primary_colour is not None
                else DEFAULT_PRIMARY_COLOUR
            ),
            logo=check_logo(logo_bytes) if logo_bytes is not None else None,
        )


def check_firm_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BrandingError("the firm name is empty")
    if len(cleaned) > MAX_FIRM_NAME_LENGTH:
        raise BrandingError(f"the firm name is longer than {MAX_FIRM_NAME_LENGTH} characters")
    return cleaned


def check_colour(colour: str) -> str:
    """A colour as #rrggbb, lower case; anything else is refused (it is written into CSS)."""
    if not _COLOUR.fullmatch(colour.strip()):
        raise BrandingError(f"the colour must look like #1f4e79, not {colour!r}")
    return colour.strip().lower()


def check_logo(content: bytes) -> Logo:
    """A PNG, JPEG or safe SVG logo, recognised by its bytes rather than its file name."""
    if not content:
        raise BrandingError("the logo file is empty")
    if len(content) > MAX_LOGO_BYTES:
        raise BrandingError(
            f"the logo is {len(content) // 1024} KB; the limit is {MAX_LOGO_BYTES // 1024} KB"
        )
    if content.startswith(_PNG_SIGNATURE):
        return Logo("image/png", content)
    if content.startswith(_JPEG_SIGNATURE):
        return Logo("image/jpeg", content)
    if _looks_like_svg(content):
        _check_svg(content)
        return Logo("image/svg+xml", content)
    raise BrandingError("the logo must be a PNG, JPEG or SVG image")


def _looks_like_svg(content: bytes) -> bool:
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in (
        content[:4096].lower()
    )


def _check_svg(content: bytes) -> None:
    lowered = content.lower()
    # Entity declarations can expand without bound or read local files: refuse them outright.
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise BrandingError("the SVG logo may not contain a DOCTYPE or entity declarations")
    try:
        root = ElementTree.fromstring(content)  # noqa: S314 - no DOCTYPE or entities reach here
    except ElementTree.ParseError as error:
        raise BrandingError(f"the SVG logo is not well-formed XML: {error}") from error
    if root.tag not in (f"{_SVG_NAMESPACE}svg", "svg"):
        raise BrandingError("the logo's root element is not <svg>")
    for element in root.iter():
        name = str(element.tag).rsplit("}", 1)[-1].lower()
        if name in _FORBIDDEN_SVG_ELEMENTS:
            raise BrandingError(f"the SVG logo may not contain <{name}> elements")
        if name == "style" and _CSS_EXTERNAL.search(element.text or ""):
            raise BrandingError("the SVG logo's styles may not refer to other resources")
        for attribute, value in element.attrib.items():
            _check_svg_attribute(attribute, value)


def _check_svg_attribute(attribute: str, value: str) -> None:
    local = attribute.rsplit("}", 1)[-1].lower()
    if local.startswith("on"):
        raise BrandingError(f"the SVG logo may not contain event handlers ({local})")
    if attribute in _HREF_ATTRIBUTES and not value.strip().startswith("#"):
        raise BrandingError("the SVG logo may not refer to other files or addresses")
    if _CSS_EXTERNAL.search(value):
        raise BrandingError("the SVG logo may not refer to other resources in its styles")
