"""Colours derived from the brand's primary colour, so every chart and heading agrees with it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Palette", "contrast_ratio", "mix", "palette_for", "stage_colours"]

WHITE = "#ffffff"
INK = "#1b2430"
TARGET_ACCENT = "#c46a1b"  # an amber that reads as "goal" beside any primary colour
MISSING_GREY = "#c9ced6"


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def mix(colour: str, other: str, share_of_other: float) -> str:
    """`colour` blended with `other`; 0 keeps `colour`, 1 gives `other`."""
    share = min(1.0, max(0.0, share_of_other))
    blended = (
        round(a + (b - a) * share) for a, b in zip(_channels(colour), _channels(other), strict=True)
    )
    return "#" + "".join(f"{channel:02x}" for channel in blended)


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 to 21 (AA body text needs 4.5)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True, slots=True)
class Palette:
    primary: str
    deep: str  # headings and strong text: the primary, darkened when it is too light to read
    soft: str
    faint: str
    on_primary: str  # text on a primary-coloured background
    target: str = TARGET_ACCENT
    ink: str = INK


def palette_for(primary: str) -> Palette:
    # Light brand colours (yellow, sky blue) are darkened for text so headings stay legible.
    deep = primary
    while _luminance(deep) > 0.18:
        deep = mix(deep, INK, 0.2)
    on_primary = INK if _luminance(primary) > 0.45 else WHITE
    return Palette(
        primary=primary,
        deep=deep,
        soft=mix(primary, WHITE, 0.78),
        faint=mix(primary, WHITE, 0.93),
        on_primary=on_primary,
    )


def stage_colours(primary: str, count: int) -> tuple[str, ...]:
    """An ordered ramp from a pale tint (first stage) to the full primary (last stage)."""
    if count <= 1:
        return (primary,) * count
    return tuple(mix(primary, WHITE, 0.82 * (1 - i / (count - 1))) for i in range(count))
