"""The heatmap of scores by group: cells worked out by hand from small teams (one dimension of
one scale item, so each answer is 0, 25, 50, 75 or 100 and the overall score equals it), the
suppressed columns and why, the pooled group, the leaders against the rest, and the contrast
of every printed value against its cell."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.reports.heatmap_view import (
    HEATMAP_COLOURS,
    SUPPRESSED_BACKGROUND,
    HeatmapTable,
    HeatmapView,
    cell_colours,
    heatmap_view,
    short_label,
)
from app.reports.palette import INK, WHITE, contrast_ratio
from scoring import RespondentAnswers, score_assessment
from tests.unit.team_builders import AttributeSpec, option_answers, scale_package

ROLE = AttributeSpec(
    "role",
    "Role",
    (
        ("executive", "Executive (leadership team)"),
        ("manager", "Manager"),
        ("specialist", "Specialist"),
        ("founder", "Founder"),
    ),
)
SITE = AttributeSpec("site", "Site", (("north", "North"), ("south", "South"), ("east", "East")))
PACKAGE = scale_package({"alpha": 1}, [ROLE, SITE])


def _heatmap(team: Sequence[tuple[int, dict[str, str]]], k: int = 3) -> HeatmapView:
    respondents = [
        RespondentAnswers(f"r{i}", option_answers(PACKAGE, [option]), attributes)
        for i, (option, attributes) in enumerate(team)
    ]
    result = score_assessment(PACKAGE, respondents, anonymity_k=k)
    view = heatmap_view(PACKAGE, result)
    assert view is not None
    return view


def _table(view: HeatmapView, attribute_id: str) -> HeatmapTable:
    return next(t for t in view.tables if t.attribute_id == attribute_id)


def _texts(table: HeatmapTable) -> dict[str, list[str]]:
    """Column label -> cell texts, top to bottom (alpha, then overall)."""
    return {
        column.label: [row.cells[i].text for row in table.rows]
        for i, column in enumerate(table.columns)
    }


# three executives (100, 100, 75), three managers (50, 50, 25), a specialist (0), a founder (25)
# and one who gave no role (50); sites: north 4, south 3, east 2
ROLES_TEAM = [
    (4, {"role": "executive", "site": "north"}),
    (4, {"role": "executive", "site": "north"}),
    (3, {"role": "executive", "site": "south"}),
    (2, {"role": "manager", "site": "south"}),
    (2, {"role": "manager", "site": "north"}),
    (1, {"role": "manager", "site": "south"}),
    (0, {"role": "specialist", "site": "east"}),
    (1, {"role": "founder", "site": "east"}),
    (2, {"site": "north"}),
]


def test_cells_are_the_group_means_coloured_by_fifth_of_the_scale() -> None:
    role = _table(_heatmap(ROLES_TEAM), "role")
    # team 475 / 9 = 52.8; executives 275 / 3 = 91.7; managers 125 / 3 = 41.7
    assert _texts(role) == {
        "Whole team": ["52.8", "52.8"],
        "Executive": ["91.7", "91.7"],
        "Manager": ["41.7", "41.7"],
        "Other (pooled)": ["–", "–"],
    }
    assert [(c.label, c.note, c.n) for c in role.columns] == [
        ("Whole team", "n = 9", 9),
        ("Executive", "n = 3", 3),
        ("Manager", "n = 3", 3),
        ("Other (pooled)", "n < 3", None),  # specialist and founder: two people, never shown
    ]
    team, executives, managers, pool = role.rows[0].cells
    assert (team.background, team.ink) == (HEATMAP_COLOURS[2], INK)
    assert (executives.background, executives.ink) == (HEATMAP_COLOURS[4], WHITE)
    assert (managers.background, managers.ink) == (HEATMAP_COLOURS[2], INK)
    assert pool.suppressed and pool.background == SUPPRESSED_BACKGROUND
    assert role.columns[1].full_label == "Executive (leadership team)"
    assert role.rows[-1].total and role.rows[-1].title == "Overall"


def test_a_group_that_would_give_a_smaller_one_away_is_withheld() -> None:
    site = _table(_heatmap(ROLES_TEAM), "site")
    # north 4 and south 3 beside the team of 9 would give east (2) away: the smaller of the two,
    # south, is withheld; north is (100 + 100 + 50 + 50) / 4 = 75.0
    assert _texts(site) == {
        "Whole team": ["52.8", "52.8"],
        "North": ["75.0", "75.0"],
        "South": ["–", "–"],
        "Other (pooled)": ["–", "–"],
    }
    south, pool = site.columns[2], site.columns[3]
    assert (south.suppression, south.note, south.n) == ("withheld", "withheld", None)
    assert (pool.suppression, pool.note) == ("small", "n < 3")
    assert all(row.cells[2].suppressed and row.cells[2].text == "–" for row in site.rows)
    assert "withheld" in site.note


def test_small_groups_pooled_to_k_are_shown_together() -> None:
    # north 3 (100, 100, 100); south 2 (0, 50) and east 1 (25) pool to 3: 75 / 3 = 25.0
    team = [
        (4, {"site": "north"}),
        (4, {"site": "north"}),
        (4, {"site": "north"}),
        (0, {"site": "south"}),
        (2, {"site": "south"}),
        (1, {"site": "east"}),
    ]
    site = _table(_heatmap(team), "site")
    assert _texts(site) == {
        "Whole team": ["62.5", "62.5"],
        "North": ["100.0", "100.0"],
        "Other (pooled)": ["25.0", "25.0"],
    }
    pool = site.columns[-1]
    assert (pool.n, pool.note, pool.suppression) == (3, "n = 3", "")
    assert site.rows[0].cells[2].background == HEATMAP_COLOURS[1]  # 25 is in the second fifth


def test_leaders_against_the_rest_of_the_team() -> None:
    leaders = _heatmap(ROLES_TEAM).leaders
    assert leaders is not None
    assert leaders.heading == "Leaders (Executive) against the rest of the team"
    assert [(c.label, c.n) for c in leaders.columns] == [("Executive", 3), ("Rest of the team", 6)]
    # the rest: 50 + 50 + 25 + 0 + 25 + 50 = 200 over 6 = 33.3; the gap (58.4) is a finding
    alpha = leaders.rows[0]
    assert [c.text for c in alpha.cells] == ["91.7", "33.3", "+58.4"]
    assert alpha.cells[2].emphasis
    assert alpha.cells[1].background == HEATMAP_COLOURS[1]


def test_leaders_are_not_shown_when_they_are_fewer_than_k() -> None:
    team = [(4, {"role": "executive"}), (4, {"role": "executive"})] + [(2, {"role": "manager"})] * 4
    leaders = _heatmap(team).leaders
    assert leaders is not None
    assert leaders.columns == () and leaders.rows == ()
    assert leaders.note.startswith("Not shown: fewer than 3 respondents")
    role = _table(_heatmap(team), "role")
    assert "91.7" not in {c.text for row in role.rows for c in row.cells}


def test_no_attributes_no_heatmap() -> None:
    package = scale_package({"alpha": 1})
    respondents = [RespondentAnswers(f"r{i}", option_answers(package, [i])) for i in range(3)]
    assert heatmap_view(package, score_assessment(package, respondents)) is None


@pytest.mark.parametrize("percent", [0, 19.9, 20, 39.9, 40, 59.9, 60, 79.9, 80, 100])
def test_every_printed_value_meets_wcag_aa_against_its_cell(percent: float) -> None:
    background, ink = cell_colours(percent)
    assert background == HEATMAP_COLOURS[min(4, int(percent // 20))]
    assert contrast_ratio(ink, background) >= 4.5


def test_the_palette_and_the_suppressed_cell_contrast() -> None:
    for background in HEATMAP_COLOURS:
        best = max(contrast_ratio(INK, background), contrast_ratio(WHITE, background))
        assert best >= 4.5, background
    assert contrast_ratio(INK, SUPPRESSED_BACKGROUND) >= 4.5
    # a single hue, light to dark: luminance falls class by class
    ratios = [contrast_ratio(WHITE, c) for c in HEATMAP_COLOURS]
    assert ratios == sorted(ratios)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)


def test_short_labels_drop_the_explanation_in_brackets() -> None:
    assert short_label("Executive (CEO, founder or leadership-team member)") == "Executive"
    assert short_label("Other (pooled)") == "Other (pooled)"
    assert short_label("Sales") == "Sales"
