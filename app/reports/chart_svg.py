"""What every report chart is drawn with: the SVG frame, escaped text and wrapped labels.

Every piece of text is escaped here, so a chart can be placed in a template as it is. No chart
refers to anything outside itself (no scripts, links, images or fonts by URL).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.reports.palette import INK

__all__ = ["FONT", "GRID", "MUTED", "RULE", "svg_chart", "svg_text", "wrap_label"]

FONT = "Inter, 'DejaVu Sans', sans-serif"
MUTED = "#6b7482"
RULE = "#d5dae1"
GRID = "#e6e9ee"


def svg_chart(
    width: float, height: float, body: str, title: str, *, stretch: bool = False
) -> Markup:
    # role/aria-label describe the chart when it is inlined; as an image its alt text does.
    aspect = ' preserveAspectRatio="none"' if stretch else ""
    return Markup(  # noqa: S704 - every text and attribute value is escaped by its caller
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}"{aspect} role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}"><title>{escape(title)}</title>{body}</svg>'
    )


def svg_text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 10,
    anchor: str = "start",
    fill: str = INK,
    weight: int = 400,
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>'
    )


def wrap_label(label: str, width: int) -> list[str]:
    """Split a label into lines of at most about `width` characters, at spaces."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
