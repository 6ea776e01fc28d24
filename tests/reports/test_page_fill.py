"""No near-empty pages: every page after the cover of every golden report (team and
self-assessment, flagship 1.0.0 and 1.1.0, and the quick check) has at least a quarter of its
text area covered by text or figures, as read back from the PDF (pdfplumber's boxes of
characters, rectangles, lines, curves and images)."""

from __future__ import annotations

import pytest

from tests.reports.golden_reports import GOLDEN_CASES, PageBoxes, golden_report, page_boxes

LEAST_COVERED = 0.25
_CELL = 6.0  # points, about half a line of body text: text lines and their spacing count as covered


def covered_share(page: PageBoxes) -> float:
    """The share of the text area that some box covers."""
    x0, top, x1, bottom = page.area
    columns, rows = int((x1 - x0) / _CELL), int((bottom - top) / _CELL)
    grid = [bytearray(columns) for _ in range(rows)]
    for bx0, btop, bx1, bbottom in page.boxes:
        first_column = max(0, int((bx0 - x0) / _CELL))
        last_column = min(columns, int((bx1 - x0) / _CELL + 0.999))
        first_row = max(0, int((btop - top) / _CELL))
        last_row = min(rows, int((bbottom - top) / _CELL + 0.999))
        if first_column >= last_column:
            continue
        filled = b"\x01" * (last_column - first_column)
        for row in range(first_row, last_row):
            grid[row][first_column:last_column] = filled
    return sum(row.count(1) for row in grid) / (columns * rows)


def test_a_page_of_one_line_is_near_empty_and_a_full_page_is_not() -> None:
    area = (0.0, 0.0, 400.0, 600.0)
    line = PageBoxes("", area, ((0.0, 0.0, 400.0, 12.0),))
    full = PageBoxes("", area, tuple((0.0, y, 400.0, y + 10.0) for y in range(0, 600, 12)))
    assert covered_share(line) < LEAST_COVERED < covered_share(full)


@pytest.mark.parametrize(("package", "golden", "variant"), GOLDEN_CASES)
def test_no_page_after_the_cover_is_near_empty(package: str, golden: str, variant: str) -> None:
    pages = page_boxes(golden_report(package, golden, variant).pdf)
    near_empty = [
        f"page {number} ({share:.0%}): {' '.join(page.text.split())[:90]}"
        for number, page in enumerate(pages[1:], start=2)
        if (share := covered_share(page)) < LEAST_COVERED
    ]
    assert not near_empty, near_empty
