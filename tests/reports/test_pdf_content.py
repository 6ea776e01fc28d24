"""Reports read back from the PDF: pages, every dimension, the stages, the recommendations, metadata."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.reports.action_view import DETAILED_RECOMMENDATIONS, FURTHER_IN_EXECUTIVE
from tests.reports.conftest import RenderedReport


def test_standard_team_report_has_every_section_in_a_sensible_length(
    standard_team_report: RenderedReport,
) -> None:
    reader = standard_team_report.reader
    # cover, summary, ladder, scores, 8 dimensions, alignment, roadmap, appendix
    assert 16 <= len(reader.pages) <= 26
    text = standard_team_report.text
    for heading in (
        "Executive summary".upper(),
        "The stage ladder",
        "Where the leadership team disagrees",
        "A 30/60/90-day roadmap",
        "Methodology",
    ):
        assert heading in text


def test_every_dimension_title_and_stage_name_is_in_the_pdf(
    standard_team_report: RenderedReport,
) -> None:
    text = standard_team_report.text
    package = standard_team_report.package
    for dimension in package.questionnaire.dimensions:
        assert dimension.title in text
    for stage in package.stage_model.stages:
        assert stage.name in text


def test_every_recommendation_on_the_roadmap_is_in_the_pdf(
    standard_team_report: RenderedReport,
) -> None:
    text = " ".join(standard_team_report.text.split())
    result = standard_team_report.result
    assert result.recommendations
    for ranked in result.recommendations:
        assert ranked.recommendation.title in text
        assert ranked.recommendation.owner_role in text


def test_pdf_metadata_carries_title_and_the_firm_as_author(
    standard_team_report: RenderedReport,
) -> None:
    metadata = standard_team_report.reader.metadata
    assert metadata is not None
    assert metadata.title == standard_team_report.view.document_title
    assert "Contoso Manufacturing" in (metadata.title or "")
    assert metadata.author == "Northwind Advisory"


def test_methodology_prints_version_hash_counts_and_completeness(
    standard_team_report: RenderedReport,
) -> None:
    text = " ".join(standard_team_report.text.split())
    result = standard_team_report.result
    assert result.content_hash in text.replace(" ", "") or result.content_hash[:32] in text.replace(
        " ", ""
    )
    assert "version 1.0.0" in text
    assert "12 respondents took part" in text
    assert "Completeness is the share" in text
    assert "priority = impact × (1 + stage gap)" in text


def test_example_team_report_shows_targets_progress_and_role_breakdown(
    example_team_report: RenderedReport,
) -> None:
    text = " ".join(example_team_report.text.split())
    assert "Previous assessment" in example_team_report.view.radar_chart  # a third series
    assert "since the previous assessment" in text
    assert "Scores by role" in text
    # Five respondents, k = 3: two executives are pooled, never shown on their own, and the
    # three managers are withheld too (the team minus them would be the two executives).
    assert "Executive (n = 2)" not in text and "Manager (n = 3)" not in text
    assert (
        "Not shown: beside the team's figures, any group shown would let a group of fewer" in text
    )
    assert "Fewer status meetings" in text


def test_individual_report_has_no_alignment(
    individual_report: RenderedReport,
) -> None:
    text = " ".join(individual_report.text.split())
    assert "Individual self-assessment".upper() in text or "Individual self-assessment" in text
    # the answers given are item-level detail: the full report's appendix (test_report_lengths.py)
    assert "Where the leadership team disagrees" not in text
    for dimension in individual_report.package.questionnaire.dimensions:
        assert dimension.title in text


def test_pdf_ua_variant_is_tagged_and_declares_its_language(tagged_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(tagged_pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("en")
    assert reader.pdf_header.endswith("1.7")


def test_equal_views_render_equal_html(example_team_report: RenderedReport) -> None:
    from app.reports import render_html

    assert render_html(example_team_report.view) == example_team_report.html


def test_flagship_report_names_every_dimension_stage_and_top_recommendation(
    flagship_team_report: RenderedReport,
) -> None:
    text = " ".join(flagship_team_report.text.split())
    package = flagship_team_report.package
    for dimension in package.questionnaire.dimensions:
        assert dimension.title in text
    for stage in package.stage_model.stages:
        assert stage.name in text
    # the executive report lists the highest-priority actions and says how many more the full
    # report lists
    ranked = flagship_team_report.result.recommendations
    listed = DETAILED_RECOMMENDATIONS + FURTHER_IN_EXECUTIVE
    for action in ranked[:listed]:
        assert action.recommendation.title in text
    for action in ranked[listed:]:
        assert action.recommendation.title not in text
    if len(ranked) > listed:
        assert f"{len(ranked) - listed} more actions apply" in text
    assert 15 <= len(flagship_team_report.reader.pages) <= 30
