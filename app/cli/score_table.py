"""The plain-text view of `opsmaturity score`, for a terminal in a workshop."""

from __future__ import annotations

from app.team_reading import team_reading
from app.wording import agreement_label, placement_steps, quadrant_explanation
from scoring import AgreementLevel, AssessmentResult, Package, StagePlacement

__all__ = ["render_table"]

BAR_WIDTH = 20
PROMPT_WIDTH = 60


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


def _level(level: AgreementLevel | None) -> str:
    return "-" if level is None else level.replace("_", " ")


def _item_scale(value: float | None) -> str:
    """A 0..1 item value on the 0–100 item scale that the reports use."""
    return "-" if value is None else f"{value * 100:.0f}"


def _prompt(text: str) -> str:
    return text if len(text) <= PROMPT_WIDTH else text[: PROMPT_WIDTH - 1].rstrip() + "…"


def render_table(package: Package, result: AssessmentResult) -> str:
    team = result.team
    reading = team_reading(package, result)
    overall = team.overall_stats
    lines = [
        f"{package.questionnaire.title} {package.version}: {len(result.respondents)} respondent(s), "
        f"completeness {team.completeness:.0%}{' (provisional)' if team.provisional else ''}",
        "",
        f"Overall  {team.overall.score if team.overall.score is not None else '-'}  "
        f"{_stage_name(package, team.overall.stage)}",
    ]
    lines += [f"  {step}" for step in placement_steps(package, team.overall.stage)]
    lines.append(
        f"  {reading.overall_interval_text[:1].upper()}{reading.overall_interval_text[1:]}"
        + ("; borderline: it crosses a stage boundary" if overall.borderline else "")
    )
    if reading.contested_titles:
        lines.append(f"  Contested dimensions: {', '.join(reading.contested_titles)}")
    if reading.findings:
        lines += ["", "Findings"]
        lines += [f"  - {sentence}" for sentence in reading.findings]
    if team.quadrant is not None:
        lines += ["", f"Quadrant  {team.quadrant.name}: {quadrant_explanation(team.quadrant)}"]
    lines += [
        "",
        f"{'Dimension':<28} {'Score':>6}  {'':<{BAR_WIDTH}}  {'Stage':<16} {'n':>3} {'sd':>6} "
        f"{'r*wg':>5} {'agreement':<11} {'95 % interval':<13}",
    ]
    for dimension, shown in zip(team.dimensions, reading.dimensions, strict=True):
        stats = team.dimension_stats[dimension.dimension_id]
        interval = "-" if stats.interval is None else f"{stats.interval.low}–{stats.interval.high}"
        row = (
            f"{dimension.title[:28]:<28} {'-' if dimension.score is None else dimension.score!s:>6}  {_bar(dimension.percent)}  "
            f"{_stage_name(package, dimension.stage)[:16]:<16} {stats.n:>3} {_fmt(stats.sd, '{:.1f}'):>6} "
            f"{_fmt(stats.agreement):>5} {_level(stats.agreement_level):<11} {interval:<13}"
            f"{'  borderline' if stats.borderline else ''}"
        )
        lines.append(row.rstrip())
        if shown.contested:
            lines.append(f"    {shown.reading}")
    if team.disputed_items:
        lines += [
            "",
            "Most disputed questions (item scores 0–100)",
            f"  {'question':<{PROMPT_WIDTH}} {'mean':>4} {'sd':>4}  agreement",
        ]
        for item in team.disputed_items:
            lines.append(
                f"  {_prompt(package.items[item.item_id].prompt):<{PROMPT_WIDTH}} "
                f"{_item_scale(item.mean):>4} {_item_scale(item.sd):>4}  "
                f"{agreement_label(item.agreement_level)}"
            )
    for gap in result.targets:
        lines.append(
            f"Target {gap.subject}: {gap.target_stage}, {gap.stage_gap} stage(s) to go, {gap.percent_to_target:.0f}% of the way"
        )
    if result.item_targets is not None:
        figures = result.item_targets
        for part in (*figures.dimensions, figures.overall):
            percent = part.percent_to_target
            lines.append(
                f"Targets by question, {part.subject}: "
                f"{'-' if percent is None else format(percent, '.0f') + '%'} of the way "
                f"(gap {part.gap:.2f} of {part.reference_gap:.2f} over {part.item_count} "
                f"question(s), from {figures.reference})"
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
                f"  {rank:>2}. [{ranked.period}d] {r.title}  "
                f"({r.owner_role or 'owner to be named'}; priority {ranked.priority:.2f})"
            )
    return "\n".join(lines)
