"""Where the leadership team disagrees (or how far it agrees): spread of scores, agreement per
dimension with its interval and contested and borderline marks, disputed items, breakdowns by
group."""

from __future__ import annotations

from markupsafe import Markup

from app.reports.distribution_charts import SpreadRow, distribution_bar, spread_chart
from app.reports.formatting import DASH, score_text, unit_text
from app.reports.item_view import distribution_segments, legend_text
from app.reports.palette import Palette
from app.reports.view_model import AgreementRow, BreakdownView, DisputedItemView
from app.wording import agreement_label, breakdown_note
from app.wording.report_text import breakdown_not_shown
from scoring import AssessmentResult, Package

__all__ = ["agreement_rows", "breakdown_views", "disputed_item_views", "team_spread_chart"]


def team_spread_chart(result: AssessmentResult, palette: Palette) -> Markup:
    """Each respondent's score per dimension as an unlabelled dot: the spread, never who."""
    rows = []
    for index, dimension in enumerate(result.team.dimensions):
        points = tuple(
            sorted(
                percent
                for respondent in result.respondents
                if (percent := respondent.dimensions[index].percent) is not None
            )
        )
        rows.append(SpreadRow(dimension.title, points, dimension.percent))
    return spread_chart(rows, colour=palette.primary, title="Spread of individual dimension scores")


def agreement_rows(result: AssessmentResult) -> tuple[AgreementRow, ...]:
    rows = []
    for dimension in result.team.dimensions:
        stats = result.team.dimension_stats[dimension.dimension_id]
        rows.append(
            AgreementRow(
                dimension_title=dimension.title,
                mean_text=score_text(stats.mean),
                range_text=(DASH if stats.minimum is None else f"{stats.minimum}–{stats.maximum}"),
                sd_text=DASH if stats.sd is None else f"{stats.sd:.1f}",
                rwg_text=DASH if stats.agreement is None else f"{stats.agreement:.2f}",
                label=agreement_label(stats.agreement_level),
                interval_text=(
                    DASH
                    if stats.interval is None
                    else f"{stats.interval.low}–{stats.interval.high}"
                ),
                marks=(("contested",) if stats.contested else ())
                + (("borderline",) if stats.borderline else ()),
            )
        )
    return tuple(rows)


def disputed_item_views(
    package: Package, result: AssessmentResult, palette: Palette
) -> tuple[DisputedItemView, ...]:
    titles = {d.dimension_id: d.title for d in result.team.dimensions}
    views = []
    for stats in result.team.disputed_items:
        item = package.items[stats.item_id]
        segments = distribution_segments(package, item, stats.distribution, palette.primary)
        views.append(
            DisputedItemView(
                prompt=item.prompt,
                dimension_title=titles[stats.dimension_id],
                mean_text=unit_text(package, stats.mean),
                sd_text=DASH if stats.sd is None else f"{stats.sd * 100:.0f}",
                rwg_text=DASH if stats.rwg is None else f"{stats.rwg:.2f}",
                label=agreement_label(stats.agreement_level),
                legend_text=legend_text(segments),
                distribution_chart=distribution_bar(
                    segments, title=f"Distribution of answers: {item.prompt}"
                ),
            )
        )
    return tuple(views)


def breakdown_views(result: AssessmentResult) -> tuple[BreakdownView, ...]:
    """Scores by attribute group, as the scoring engine publishes them (small groups pooled,
    further groups withheld); a breakdown with no group says why."""
    views = []
    for breakdown in result.team.breakdowns:
        rows = tuple(
            (
                dimension.title,
                tuple(
                    score_text(g.dimensions.get(dimension.dimension_id)) for g in breakdown.groups
                ),
            )
            for dimension in result.team.dimensions
        )
        views.append(
            BreakdownView(
                label=breakdown.label,
                note=breakdown_not_shown(breakdown, result.anonymity_k)
                or breakdown_note(breakdown, result.anonymity_k),
                group_headings=tuple(f"{g.label} (n = {g.n})" for g in breakdown.groups),
                rows=rows,
                overall=tuple(score_text(g.overall) for g in breakdown.groups),
            )
        )
    return tuple(views)
