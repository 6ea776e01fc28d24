"""The plain-text view of `opsmaturity score`, for a terminal in a workshop."""

from __future__ import annotations

from scoring import AssessmentResult, Package, StagePlacement

__all__ = ["render_table"]

BAR_WIDTH = 20


def _stage_name(package: Package, placement: StagePlacement | None) -> str:
    if placement is None or placement.stage_index is None:
        return "-"
    return package.stage_model.stages[placement.stage_index].name


def _bar(percent: float | None) -> str:
    if percent is None:
        return " " * BAR_WIDTH
    filled = round(max(0.0, min(100.0, percent)) / 100 * BAR_WIDTH)
    return "█" * filled + "·" * (BAR_WIDTH - filled)


def _fmt(value: float | None, pattern: str = "{:.2f}") -> str:
    return "-" if value is None else pattern.format(value)


def render_table(package: Package, result: AssessmentResult) -> str:
    team = result.team
    lines = [
        f"{package.questionnaire.title} {package.version}: {len(result.respondents)} respondent(s), "
        f"completeness {team.completeness:.0%}{' (provisional)' if team.provisional else ''}",
        "",
        f"Overall  {team.overall.score if team.overall.score is not None else '-'}  "
        f"{_stage_name(package, team.overall.stage)}",
    ]
    lines += [f"  {step}" for step in team.overall.stage.explanation]
    if team.quadrant is not None:
        lines += ["", f"Quadrant  {team.quadrant.name}: {team.quadrant.explanation}"]
    lines += [
        "",
        f"{'Dimension':<28} {'Score':>6}  {'':<{BAR_WIDTH}}  {'Stage':<16} {'n':>3} {'sd':>6} {'rwg':>5}",
    ]
    for dimension in team.dimensions:
        stats = team.dimension_stats[dimension.dimension_id]
        lines.append(
            f"{dimension.title[:28]:<28} {dimension.score or '-'!s:>6}  {_bar(dimension.percent)}  "
            f"{_stage_name(package, dimension.stage)[:16]:<16} {stats.n:>3} {_fmt(stats.sd, '{:.1f}'):>6} {_fmt(stats.rwg):>5}"
        )
    if team.disputed_items:
        lines += [
            "",
            "Most disputed items (0..1 scale)",
            f"  {'item':<28} {'mean':>5} {'sd':>5} {'rwg':>5}",
        ]
        for item in team.disputed_items:
            lines.append(
                f"  {item.item_id[:28]:<28} {_fmt(item.mean):>5} {_fmt(item.sd):>5} {_fmt(item.rwg):>5}"
            )
    for gap in result.targets:
        lines.append(
            f"Target {gap.subject}: {gap.target_stage}, {gap.stage_gap} stage(s) to go, {gap.percent_to_target:.0f}% of the way"
        )
    for change in result.progress:
        lines.append(
            f"Since baseline {change.subject}: {'-' if change.score_change is None else format(change.score_change, '+')} ({change.baseline_stage} → {change.current_stage})"
        )
    if result.recommendations:
        lines += ["", "Recommendations (highest priority first)"]
        for rank, ranked in enumerate(result.recommendations[:10], start=1):
            r = ranked.recommendation
            lines.append(
                f"  {rank:>2}. [{r.horizon}d] {r.title}  ({r.owner_role}; priority {ranked.priority:.2f})"
            )
    return "\n".join(lines)
