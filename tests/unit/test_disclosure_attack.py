"""An attacker reads every figure a team assessment publishes (the API view, results.csv, the
report's view model, the findings and the flat CRM fields), writes each as an equation
n × mean = sum of its members' values, and tries to solve for fewer than k people.

Teams are generated with 3 to 40 respondents, 1 to 4 attributes of 2 to 5 values each (some
respondents leave some blank) and k from 3 to 5. Every respondent answers every item, so every
column (dimension or overall) averages over the whole team. The solving is done by
tests/unit/linear_disclosure.py, apart from scoring/disclosure.py.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from app.reports.alignment_view import breakdown_views
from app.reports.heatmap_view import HeatmapColumn, HeatmapRow, heatmap_view
from app.result_view import assessment_json
from app.services.flat_fields import FIELD_PREFIX, flat_fields
from app.services.results_csv import render_results_csv
from scoring import AssessmentResult, Package, RespondentAnswers, score_assessment
from scoring.rollup import to_display
from tests.unit.example_package import BEST_ANSWERS, EXAMPLE, FULL_ANSWERS, WORST_ANSWERS
from tests.unit.linear_disclosure import RowSpace, small_set_given_away
from tests.unit.team_builders import AttributeSpec, option_answers, scale_package

OTHER_LABEL = "Other (pooled)"
MAX_ATTRIBUTES, MAX_VALUES = 4, 5


def attribute_spec(index: int, values: int) -> AttributeSpec:
    # labels an attacker can find in any text: "Attr 2" and its values "G20".."G24"
    return AttributeSpec(
        f"a{index}",
        f"Attr {index}",
        tuple((f"v{j}", f"G{index}{j}") for j in range(values)),
    )


_PACKAGES: dict[tuple[int, ...], Package] = {}


def package_for(value_counts: tuple[int, ...]) -> Package:
    """Two dimensions (two items and one item) and the attributes asked for; built once."""
    if value_counts not in _PACKAGES:
        _PACKAGES[value_counts] = scale_package(
            {"alpha": 2, "beta": 1},
            [attribute_spec(i, count) for i, count in enumerate(value_counts)],
        )
    return _PACKAGES[value_counts]


@dataclass(frozen=True, slots=True)
class Team:
    value_counts: tuple[int, ...]
    answers: tuple[tuple[int, ...], ...]  # option positions per respondent
    attributes: tuple[tuple[int | None, ...], ...]  # value index per attribute, None: blank
    k: int

    @property
    def size(self) -> int:
        return len(self.answers)

    def attribute_mappings(self) -> list[dict[str, str]]:
        return [
            {f"a{i}": f"v{v}" for i, v in enumerate(values) if v is not None}
            for values in self.attributes
        ]


@st.composite
def teams(draw: st.DrawFn) -> Team:
    size = draw(st.integers(3, 40))
    k = draw(st.integers(3, min(5, size)))
    counts = tuple(draw(st.lists(st.integers(2, MAX_VALUES), min_size=1, max_size=MAX_ATTRIBUTES)))
    # a blank is one choice among the values, so it is common where values are few
    one_person = st.tuples(*(st.sampled_from([None, *range(count)]) for count in counts))
    attributes = draw(st.lists(one_person, min_size=size, max_size=size))
    answers = draw(st.lists(st.tuples(*[st.integers(0, 4)] * 3), min_size=size, max_size=size))
    return Team(counts, tuple(answers), tuple(attributes), k)


def score(team: Team) -> tuple[Package, AssessmentResult]:
    package = package_for(team.value_counts)
    respondents = [
        RespondentAnswers(f"r{i}", option_answers(package, positions), attrs)
        for i, (positions, attrs) in enumerate(
            zip(team.answers, team.attribute_mappings(), strict=True)
        )
    ]
    return package, score_assessment(package, respondents, anonymity_k=team.k)


# -- what is published, as equations -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One published figure: the mean of `column` over `members`, as `n` and `figure`."""

    source: str
    column: str  # "overall" or a dimension id
    members: frozenset[int]
    n: int
    figure: Decimal


class Attacker:
    """Maps what is published back to the people behind it, from the attributes generated."""

    def __init__(self, team: Team, package: Package) -> None:
        self.team = team
        self.package = package
        self.everyone = frozenset(range(team.size))
        self.titles = {d.title: d.id for d in package.questionnaire.dimensions}
        self.columns = ("overall", *(d.id for d in package.questionnaire.dimensions))

    def members(self, attribute_label: str, group_label: str) -> frozenset[int]:
        match = re.fullmatch(r"Attr (\d)", attribute_label)
        assert match, f"a group under an unknown attribute: {attribute_label!r}"
        index = int(match.group(1))
        held: dict[int, set[int]] = {}
        for person, values in enumerate(self.team.attributes):
            if (value_index := values[index]) is not None:
                held.setdefault(value_index, set()).add(person)
        if group_label == OTHER_LABEL:
            # the pool: every value held by fewer than k people
            small = [v for v, who in held.items() if len(who) < self.team.k]
            return frozenset(p for v in small for p in held[v])
        value = re.fullmatch(rf"G{index}(\d)", group_label)
        assert value, f"an unknown group {group_label!r} under {attribute_label!r}"
        return frozenset(held.get(int(value.group(1)), set()))

    def column(self, subject: str) -> str:
        if subject in self.columns:
            return subject
        assert subject in self.titles, f"a figure of an unknown subject: {subject!r}"
        return self.titles[subject]


def figure(value: object) -> Decimal | None:
    if value is None or value in ("", "–", "—"):
        return None
    return Decimal(str(value))


def team_figure(value: object) -> Decimal:
    shown = figure(value)
    assert shown is not None, "every team figure is published (everyone answered everything)"
    return shown


def api_cells(attacker: Attacker, view: Mapping[str, Any]) -> list[Cell]:
    everyone, size = attacker.everyone, attacker.team.size
    overall = team_figure(view["overall"]["score"])
    cells = [Cell("api", "overall", everyone, view["respondent_count"], overall)]
    for dimension in view["dimensions"]:
        n = dimension["spread"]["n"]
        assert n == size
        cells.append(Cell("api", dimension["id"], everyone, n, team_figure(dimension["score"])))
    for breakdown in view["breakdowns"]:
        for group in breakdown["groups"]:
            members = attacker.members(breakdown["label"], group["label"])
            for column, value in [("overall", group["overall"]), *group["dimensions"].items()]:
                if (shown := figure(value)) is not None:
                    cells.append(Cell("api", column, members, group["n"], shown))
    return cells


_GROUP_TOKEN = re.compile(r"\bG(\d)\d\b|\ba(\d)=|\bAttr (\d)\b")


def referenced_attributes(text: str) -> set[int]:
    return {int(next(g for g in m.groups() if g)) for m in _GROUP_TOKEN.finditer(text)}


def csv_cells(attacker: Attacker, text: str) -> list[Cell]:
    """Every row with a score and an n; written to read rows it has not seen before too."""
    cells = []
    for row in csv.DictReader(io.StringIO(text)):
        section = row.get("section", "")
        assert section != "respondent", "a team CSV has no per-respondent rows"
        label = " ".join(
            row.get(c) or "" for c in ("respondent", "attributes", "subject", "title", "note")
        )
        referenced = referenced_attributes(label)
        assert len(referenced) <= 1, f"a row labelled by a combination of attributes: {row}"
        shown, n = figure(row.get("score")), row.get("n")
        if shown is None or not n:
            continue
        if section == "team":
            members = attacker.everyone
        else:
            # a group row: "Other (pooled)" or a value label, under one attribute's label
            assert referenced, f"a published row the attacker cannot place: {row}"
            (index,) = referenced
            group = OTHER_LABEL if OTHER_LABEL in label else _value_label(label, index)
            members = attacker.members(f"Attr {index}", group)
        cells.append(Cell("csv", attacker.column(row["subject"]), members, int(n), shown))
    return cells


def _value_label(text: str, index: int) -> str:
    match = re.search(rf"\bG{index}\d\b", text)
    assert match, f"no group of attribute {index} in {text!r}"
    return match.group(0)


def report_cells(attacker: Attacker, result: AssessmentResult) -> list[Cell]:
    """The report's group figures: its view-model builder for breakdowns (the rest of the
    report shows team figures, and the findings are read below)."""
    cells = []
    for breakdown in breakdown_views(result):
        groups = []
        for heading in breakdown.group_headings:
            match = re.fullmatch(r"(.*) \(n = (\d+)\)", heading)
            assert match, heading
            groups.append((attacker.members(breakdown.label, match.group(1)), int(match.group(2))))
        rows = [*breakdown.rows, ("overall", breakdown.overall)]
        for subject, scores in rows:
            for (members, n), text in zip(groups, scores, strict=True):
                if (shown := figure(text)) is not None:
                    cells.append(Cell("report", attacker.column(subject), members, n, shown))
    return cells


def _heatmap_figures(
    attacker: Attacker,
    columns: tuple[HeatmapColumn, ...],
    rows: tuple[HeatmapRow, ...],
    members: list[frozenset[int] | None],
) -> list[Cell]:
    """A cell is published when its column has a count; suppressed columns have none and
    print no figure."""
    cells = []
    for row in rows:
        column = "overall" if row.total else attacker.column(row.title)
        # the leaders' rows end with the difference, which has no column of its own
        for heading, who, shown in zip(columns, members, row.cells, strict=False):
            if heading.n is None:
                assert shown.suppressed and figure(shown.text) is None, (heading, shown)
                continue
            assert who is not None and not shown.suppressed
            if (value := figure(shown.text)) is not None:
                cells.append(Cell("heatmap", column, who, heading.n, value))
    return cells


def heatmap_cells(attacker: Attacker, package: Package, result: AssessmentResult) -> list[Cell]:
    """The heatmap's figures: every table (the whole team, then each group) and the leaders
    (the first value of the first attribute) beside the rest of the team. The difference
    column is the one minus the other, so it adds no equation."""
    view = heatmap_view(package, result)
    assert view is not None
    cells = []
    for table in view.tables:
        members: list[frozenset[int] | None] = [
            None
            if column.n is None
            else attacker.everyone
            if column.label == "Whole team"
            else attacker.members(table.label, column.label)
            for column in table.columns
        ]
        cells += _heatmap_figures(attacker, table.columns, table.rows, members)
    leaders = view.leaders
    if leaders is not None and leaders.columns:
        group = attacker.members("Attr 0", leaders.columns[0].label)
        cells += _heatmap_figures(
            attacker, leaders.columns, leaders.rows, [group, attacker.everyone - group]
        )
    return cells


def finding_cells(attacker: Attacker, result: AssessmentResult) -> list[Cell]:
    """A group gap names a group and the rest of the team, with both their scores."""
    cells = []
    for finding in result.team.findings:
        if finding.code != "group_gap":
            continue
        figures = finding.figures
        label = f"Attr {str(figures['attribute_id']).removeprefix('a')}"
        group = attacker.members(label, str(figures["group"]))
        rest = attacker.everyone - group
        assert figures["group_n"] == len(group) and figures["rest_n"] == len(rest), figures
        scores = figures["scores"]
        assert isinstance(scores, tuple)
        for column, mine, theirs in scores:
            assert isinstance(mine, Decimal) and isinstance(theirs, Decimal)
            cells.append(Cell("finding", str(column), group, len(group), mine))
            cells.append(Cell("finding", str(column), rest, len(rest), theirs))
    return cells


def flat_cells(attacker: Attacker, view: Mapping[str, Any]) -> list[Cell]:
    wrapper = {
        "assessment": {
            "id": "a1",
            "client_external_ref": None,
            "status": "closed",
            "updated_at": "2025-11-21T00:00:00Z",
        },
        "results": view,
        "participation": {"submitted": attacker.team.size, "total": attacker.team.size},
    }
    fields = flat_fields(wrapper)
    cells = []
    for name, value in fields.items():
        assert not referenced_attributes(name), f"a flat field names a group: {name}"
        if not name.endswith("_score") or value is None:
            continue
        subject = name.removeprefix(FIELD_PREFIX).removesuffix("_score")
        column = attacker.column(subject)
        cells.append(Cell("flat", column, attacker.everyone, attacker.team.size, figure(value)))  # type: ignore[arg-type]
    return cells


def published_cells(team: Team, package: Package, result: AssessmentResult) -> list[Cell]:
    attacker = Attacker(team, package)
    view = assessment_json(package, result)
    return [
        *api_cells(attacker, view),
        *csv_cells(attacker, render_results_csv(package, result)),
        *report_cells(attacker, result),
        *heatmap_cells(attacker, package, result),
        *finding_cells(attacker, result),
        *flat_cells(attacker, view),
    ]


def true_mean(
    package: Package, result: AssessmentResult, column: str, members: frozenset[int]
) -> Decimal:
    by_id = {r.respondent_id: r for r in result.respondents}
    values = [
        by_id[f"r{i}"].overall.raw if column == "overall" else by_id[f"r{i}"].dimension_raws[column]
        for i in sorted(members)
    ]
    assert all(v is not None for v in values)
    return to_display(package, sum(values) / len(values))  # type: ignore[arg-type]


# -- the attack --------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(teams())
def test_no_published_figure_set_gives_fewer_than_k_people_away(team: Team) -> None:
    package, result = score(team)
    cells = published_cells(team, package, result)
    for cell in cells:
        # the mapping is right: each figure is the mean of the people it was mapped to
        assert cell.n == len(cell.members), cell
        assert cell.figure == true_mean(package, result, cell.column, cell.members), cell
        assert cell.n >= team.k or cell.members == frozenset(range(team.size)), cell
    by_column: dict[str, set[frozenset[int]]] = {}
    for cell in cells:
        by_column.setdefault(cell.column, set()).add(cell.members)
    everyone = frozenset(range(team.size))
    every_row = sorted({row for rows in by_column.values() for row in rows}, key=sorted)
    # every column's rows span the same space as all of them together: the overall score is
    # a combination of the dimension scores, so only then is one column at a time the whole
    # attack (a group withheld in one column is withheld in all; the rest of the team beside
    # a group is the team minus the group)
    rank = RowSpace(every_row, team.size).rank
    for rows in {frozenset(rows) for rows in by_column.values()}:
        assert everyone in rows
        assert RowSpace(rows, team.size).rank == rank, sorted(map(sorted, rows))
    event(f"{len(every_row) - 1} distinct groups shown")
    found = small_set_given_away(team.size, every_row, team.k)
    assert found is None, f"respondents {sorted(found)} can be worked out"


# -- the team CSV -------------------------------------------------------------------------------


def test_the_team_csv_has_no_respondent_rows_and_no_attribute_combinations() -> None:
    attributes = [
        {"role": "manager", "site": "north"},
        {"role": "manager", "site": "south"},
        {"role": "manager", "site": "north"},
        {"role": "executive", "site": "south"},
        {"role": "executive", "site": "north"},
        {"role": "executive", "site": "south"},
    ]
    answer_sets = [FULL_ANSWERS, BEST_ANSWERS, WORST_ANSWERS] * 2
    respondents = [
        RespondentAnswers(f"r{i}", a, attrs)
        for i, (a, attrs) in enumerate(zip(answer_sets, attributes, strict=True))
    ]
    result = score_assessment(EXAMPLE, respondents, anonymity_k=3)
    assert {len(b.groups) for b in result.team.breakdowns} == {2}  # both attributes shown
    rows = list(csv.DictReader(io.StringIO(render_results_csv(EXAMPLE, result))))
    assert {r["section"] for r in rows} <= {"team", "group", "note"}
    assert not any(r["respondent"] or r["attributes"] for r in rows)
    attribute_words = re.compile(r"\b(role|site)\b", re.IGNORECASE)
    value_words = re.compile(r"\b(executive|manager|individual contributor|north|south)\b", re.I)
    for row in rows:
        label = " ".join(row[c] for c in ("subject", "title", "attributes", "respondent"))
        named = {m.lower() for m in attribute_words.findall(label)}
        values = {m.lower() for m in value_words.findall(label)}
        assert len(named) <= 1 and len(values) <= 1, row
        assert (row["section"] == "group") == bool(values), row


def test_the_attacker_reads_every_group_of_a_known_team() -> None:
    # attribute 0: values 0 (4 people), 1 (4) and 2 (1); the lone value-2 person and the two
    # who left it blank (7 with a blank attribute 1 too) make the team minus G00 and G01 three
    # people, so both value groups can be shown; attribute 1 is 5 v0, 5 v1 (team of 11)
    attributes = tuple(
        (a, b)
        for a, b in [
            (0, 0),
            (0, 0),
            (0, 1),
            (0, 1),
            (1, 0),
            (1, 0),
            (1, 1),
            (1, 1),
            (2, 0),
            (None, 1),
            (None, 1),
        ]
    )
    answers = tuple((i % 5, (i * 2) % 5, (i * 3) % 5) for i in range(len(attributes)))
    team = Team((3, 2), answers, attributes, 3)
    package, result = score(team)
    cells = published_cells(team, package, result)
    shown = {c.members for c in cells}
    assert frozenset({0, 1, 2, 3}) in shown  # G00
    assert {c.source for c in cells} >= {"api", "csv", "report", "flat"}
    for cell in cells:
        assert cell.figure == true_mean(package, result, cell.column, cell.members)
    assert small_set_given_away(team.size, sorted(shown, key=sorted), 3) is None


def test_no_cell_the_heatmap_suppresses_can_be_worked_out_from_all_that_is_published() -> None:
    # attribute 0: three leaders (G00), three G01, one G02 and one G03 (pooled: two people,
    # never shown) and one blank; attribute 1: G10 four, G11 three, G12 two (the team minus
    # G10 and G11 would be G12, so G11 is withheld)
    attributes = (
        (0, 0),
        (0, 0),
        (0, 1),
        (1, 1),
        (1, 0),
        (1, 1),
        (2, 2),
        (3, 2),
        (None, 0),
    )
    answers = tuple((i % 5, (i * 3) % 5, (i * 2 + 1) % 5) for i in range(len(attributes)))
    team = Team((4, 3), answers, attributes, 3)
    package, result = score(team)
    attacker = Attacker(team, package)
    view = heatmap_view(package, result)
    assert view is not None and view.leaders is not None and view.leaders.columns
    suppressed: list[frozenset[int]] = []
    for table in view.tables:
        for column in table.columns:
            if column.suppression == "withheld":
                suppressed.append(attacker.members(table.label, column.label))
            elif column.suppression == "small":  # the pool of values held by fewer than k
                suppressed.append(attacker.members(table.label, "Other (pooled)"))
    assert {len(s) for s in suppressed} == {2, 3}  # G02 and G03 pooled; G11 withheld
    cells = published_cells(team, package, result)
    assert {c.source for c in cells} >= {"heatmap", "report", "api", "csv"}
    heatmap_rows = {c.members for c in cells if c.source == "heatmap"}
    assert attacker.everyone - attacker.members("Attr 0", "G00") in heatmap_rows  # the rest
    for cell in cells:
        assert cell.figure == true_mean(package, result, cell.column, cell.members), cell
    rows = sorted({c.members for c in cells}, key=sorted)
    space = RowSpace(rows, team.size)
    for members in suppressed:
        assert not space.contains(members), sorted(members)
        for person in members:
            assert not space.contains({person})
    assert small_set_given_away(team.size, rows, team.k) is None
