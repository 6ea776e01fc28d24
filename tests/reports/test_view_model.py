"""The flat view model: hashable content, the ladder's geometry, strengths and risks, charts' escaping."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from app.reports import Branding, ReportVariant, ReportView, build_report_view, view_fingerprint
from app.reports.dimension_view import ladder_position
from app.reports.stage_ladder_chart import LadderRow, stage_ladder
from scoring import StagePlacement
from tests.reports.example_answers import example_assessment, individual_assessment
from tests.reports.specimen import specimen_assessment


def _view(**overrides: object):  # type: ignore[no-untyped-def]
    package, result = example_assessment()
    arguments: dict[str, object] = {
        "branding": Branding(),
        "client_name": "Fabrikam",
        "report_date": dt.date(2025, 1, 2),
        "variant": "team",
    }
    arguments.update(overrides)
    return build_report_view(package, result, **arguments)  # type: ignore[arg-type]


def test_the_view_holds_only_plain_values() -> None:
    def plain(value: object) -> bool:
        if isinstance(value, str | int | float | bool) or value is None:
            return True
        if isinstance(value, tuple):
            return all(plain(v) for v in value)
        if dataclasses.is_dataclass(value):
            return all(plain(getattr(value, f.name)) for f in dataclasses.fields(value))
        return False

    assert plain(_view())


def test_fingerprint_is_stable_and_follows_content() -> None:
    assert view_fingerprint(_view()) == view_fingerprint(_view())
    assert view_fingerprint(_view()) != view_fingerprint(_view(client_name="Contoso"))
    assert view_fingerprint(_view()) != view_fingerprint(
        _view(branding=Branding.checked(primary_colour="#7a1f3d"))
    )


def test_ladder_position_is_the_stage_plus_the_share_of_its_band() -> None:
    package, _ = example_assessment()
    thresholds = package.overall_thresholds  # steady 40, strong 75

    def placed(stage_id: str, index: int, rule: str) -> StagePlacement:
        names = tuple(s.name for s in package.stage_model.stages)
        return StagePlacement(stage_id, index, rule, "Overall", Decimal(0), thresholds, names)  # type: ignore[arg-type]

    steady = placed("steady", 1, "threshold")
    assert ladder_position(package, thresholds, Decimal("57.5"), 57.5, steady) == 1.5
    strong = placed("strong", 2, "threshold")
    assert ladder_position(package, thresholds, Decimal("100"), 100.0, strong) == 2.999
    # A gate held the stage back: the marker stays inside the stage that was given.
    capped = placed("steady", 1, "requires_items")
    assert ladder_position(package, thresholds, Decimal("90"), 90.0, capped) == 1.92


def test_three_strengths_and_three_risks_from_different_dimensions() -> None:
    package, result = specimen_assessment()
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="",
        report_date=dt.date(2025, 1, 2),
        variant="team",
    )
    assert len(view.strengths) == 3 and len(view.risks) == 3
    assert len({h.dimension_title for h in view.strengths}) == 3
    assert not {h.dimension_title for h in view.strengths} & {h.dimension_title for h in view.risks}


def test_an_individual_report_names_its_respondent_by_the_name_handed_in() -> None:
    package, result = individual_assessment(respondent="rsp_7")

    def view(variant: ReportVariant, respondent_name: str | None) -> ReportView:
        return build_report_view(
            package,
            result,
            branding=Branding(),
            client_name="",
            report_date=dt.date(2025, 1, 2),
            variant=variant,
            respondent_name=respondent_name,
        )

    named = view("individual", "Jane Doe")
    assert named.respondent_name == "Jane Doe"
    assert "rsp_7" not in named.document_title
    assert view("individual", None).respondent_name == ""  # an answers file: ids only, never shown
    assert view("team", "Jane Doe").respondent_name == ""


def test_chart_text_is_escaped() -> None:
    svg = stage_ladder(
        ["<b>One</b>", "Two"],
        ["#eeeeee", "#1f4e79"],
        [LadderRow("<script>alert(1)</script>", "1 & 2", 0.5)],
        marker_colour="#1f4e79",
        title='"quoted" <title>',
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg and "1 &amp; 2" in svg
    assert 'aria-label="&#34;quoted&#34; &lt;title&gt;"' in svg
