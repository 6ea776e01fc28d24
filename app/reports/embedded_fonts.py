"""The report's Inter faces as @font-face rules with data: URIs, for the standalone HTML report.

The HTML report fetches nothing (its content security policy allows data: fonts only), so the
fonts travel inside it. Each face is cut down to the Latin scripts and the punctuation, arrows
and mathematical signs a report prints, and compressed as WOFF2: about a tenth of the bundled
files. A `unicode-range` tells the browser to take any other character from the reader's own
fonts. The PDF renderer keeps loading the full files through fonts.css.
"""

from __future__ import annotations

import base64
import functools
import io
from pathlib import Path

__all__ = ["FONT_FACES", "UNICODE_RANGES", "embedded_font_css"]

FONT_FACES = (
    ("Inter-Regular.otf", 400, "normal"),
    ("Inter-Italic.otf", 400, "italic"),
    ("Inter-Medium.otf", 500, "normal"),
    ("Inter-SemiBold.otf", 600, "normal"),
    ("Inter-Bold.otf", 700, "normal"),
)
UNICODE_RANGES = (
    (0x0000, 0x017F),  # Basic Latin, Latin-1 and Latin Extended-A
    (0x2000, 0x206F),  # general punctuation: – — ‘ ’ “ ” • … ‰
    (0x20A0, 0x20CF),  # currency signs
    (0x2100, 0x214F),  # letterlike symbols: №, ™
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators: − × ≥ ≤ ≈
    (0x25A0, 0x25FF),  # geometric shapes
)
# Beside the default OpenType features: tabular figures, for the columns of scores.
_FEATURES = ("tnum",)


def _subset_woff2(font_file: Path) -> bytes:
    # fontTools comes with WeasyPrint, which uses it to subset the PDF's fonts.
    from fontTools import subset  # type: ignore[import-untyped]

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = [*options.layout_features, *_FEATURES]
    options.name_IDs = ["*"]  # keep the family name and the licence notice
    options.name_languages = ["*"]
    # from bytes: fontTools would otherwise keep the file open for as long as the font lives
    font = subset.load_font(io.BytesIO(font_file.read_bytes()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in UNICODE_RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


@functools.cache
def embedded_font_css(fonts_dir: Path) -> str:
    """@font-face rules for every face of the report, each a data: URI. Built once per
    process: cutting the fonts down takes a moment, and they never change while it runs."""
    unicode_range = ", ".join(f"U+{low:04X}-{high:04X}" for low, high in UNICODE_RANGES)
    rules = []
    for file_name, weight, style in FONT_FACES:
        encoded = base64.b64encode(_subset_woff2(fonts_dir / file_name)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "Inter"; font-weight: {weight}; font-style: {style}; '
            f"font-display: swap; unicode-range: {unicode_range}; "
            f'src: url("data:font/woff2;base64,{encoded}") format("woff2"); }}'
        )
    return "\n".join(rules) + "\n"
