"""Logos are checked by their bytes; SVG logos that could run script or reach out are refused."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from app.reports.branding import MAX_LOGO_BYTES, Branding, BrandingError, check_colour, check_logo


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1f4e79").save(buffer, kind)
    return buffer.getvalue()


SAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/><use href="#g"/></svg>'


def test_png_jpeg_and_safe_svg_logos_are_accepted_and_embedded_as_data() -> None:
    assert check_logo(_image("PNG")).media_type == "image/png"
    assert check_logo(_image("JPEG")).media_type == "image/jpeg"
    logo = check_logo(b'<?xml version="1.0"?>\n' + SAFE_SVG)
    assert logo.media_type == "image/svg+xml"
    assert logo.data_uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(logo.data_uri.split(",", 1)[1]).endswith(SAFE_SVG)


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://169.254.169.254/x.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><use href="http://example.com/sprite.svg#a"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><use href="file:///etc/passwd#a"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://example.com/x.css);</style></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(http://example.com/x)"/></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
        b"<svg><html xmlns='http://www.w3.org/1999/xhtml'><script>1</script></html></svg>",
    ],
)
def test_svg_logos_with_script_or_external_references_are_refused(svg: bytes) -> None:
    with pytest.raises(BrandingError):
        check_logo(svg)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%...",
        b"GIF89a\x01\x00\x01\x00",
        b"<html><body><script>alert(1)</script></body></html>",
        b"just some text",
        b"",
        b"\x89PNX not quite a png",
    ],
)
def test_files_that_are_not_png_jpeg_or_svg_are_refused(content: bytes) -> None:
    with pytest.raises(BrandingError):
        check_logo(content)


def test_an_oversize_logo_is_refused_even_with_a_valid_signature() -> None:
    with pytest.raises(BrandingError, match="limit"):
        check_logo(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_LOGO_BYTES)


@pytest.mark.parametrize(
    "colour", ["red", "#12345", "#1234567", "1f4e79", "#1f4e7g", "#fff", "#1f4e79;}body{x"]
)
def test_colours_other_than_hex_rrggbb_are_refused(colour: str) -> None:
    with pytest.raises(BrandingError):
        check_colour(colour)


def test_branding_checks_every_part_and_normalises_the_colour() -> None:
    branding = Branding.checked(firm_name="  Northwind   Advisory ", primary_colour="#1F4E79")
    assert branding.firm_name == "Northwind Advisory"
    assert branding.primary_colour == "#1f4e79"
    with pytest.raises(BrandingError):
        Branding.checked(firm_name="   ")
