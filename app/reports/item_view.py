"""Item-level rows of a report: the team's answer distribution, or one person's answer."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from app.reports.distribution_charts import DistributionSegment, distribution_bar
from app.reports.formatting import DASH, unit_text
from app.reports.palette import MISSING_GREY, WHITE, mix
from app.reports.view_model import ItemView
from app.wording import agreement_label
from scoring import Item, ItemAnswer, ItemKind, ItemStats, Package

__all__ = [
    "answer_text",
    "distribution_segments",
    "individual_item_view",
    "legend_text",
    "team_item_view",
]

NA_GREY = MISSING_GREY
DONT_KNOW_GREY = "#e3e6eb"
_STATUS_TEXT = {
    "na": "Not applicable",
    "dont_know": "Don't know",
    "missing": "Not answered",
    "hidden": "Not asked",
}


def _value_colour(primary: str, value: float) -> str:
    """Darker means better, whatever the option's position: reverse keying is applied first."""
    return mix(primary, WHITE, 0.8 * (1 - max(0.0, min(1.0, value))))


def _scored(item: Item, value: float) -> float:
    return 1 - value if item.reverse else value


def _band_label(item: Item, index: int) -> str:
    band = item.bands[index]
    if band.label:
        return band.label
    return f"up to {band.max:g}" if band.max is not None else "above"


def distribution_segments(
    package: Package, item: Item, distribution: Mapping[str, int], primary: str
) -> tuple[DistributionSegment, ...]:
    """Answer counts in the order of the item's options, "not applicable" and "don't know" last."""
    values = package.option_values[item.id]
    segments: list[DistributionSegment] = []
    if item.kind is ItemKind.YES_NO:
        for key, label in (("no", "No"), ("yes", "Yes")):
            colour = _value_colour(primary, _scored(item, values[key]))
            segments.append(DistributionSegment(label, distribution.get(key, 0), colour))
    elif item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE):
        for index, band in enumerate(item.bands):
            label = _band_label(item, index)
            colour = _value_colour(primary, _scored(item, band.value))
            segments.append(DistributionSegment(label, distribution.get(label, 0), colour))
    elif item.kind is ItemKind.MULTI_CHOICE:
        count = len(item.options)
        for index, option in enumerate(item.options):
            colour = _value_colour(primary, 0.35 + 0.65 * index / max(1, count - 1))
            label = option.short_label or option.label
            segments.append(DistributionSegment(label, distribution.get(option.id, 0), colour))
    else:
        for option in item.options:
            colour = _value_colour(primary, _scored(item, values[option.id]))
            label = option.short_label or option.label
            segments.append(DistributionSegment(label, distribution.get(option.id, 0), colour))
    if item.allow_na or distribution.get("na"):
        segments.append(DistributionSegment("Not applicable", distribution.get("na", 0), NA_GREY))
    if item.allow_dont_know or distribution.get("dont_know"):
        segments.append(
            DistributionSegment("Don't know", distribution.get("dont_know", 0), DONT_KNOW_GREY)
        )
    return tuple(segments)


def legend_text(segments: tuple[DistributionSegment, ...]) -> str:
    """The counts in bar order as one line of text (one text run is far cheaper to lay out
    than a legend of coloured boxes)."""
    return " · ".join(f"{segment.count} {segment.label}" for segment in segments)


def _item_note(package: Package, item: Item) -> str:
    notes = []
    if item.show_if is not None:
        notes.append(f"asked only after “{package.items[item.show_if.item].prompt}”")
    if item.reverse:
        notes.append("a higher answer scores lower")
    return "; ".join(notes)


def team_item_view(
    package: Package, item: Item, stats: ItemStats, respondent_count: int, primary: str
) -> ItemView:
    segments = distribution_segments(package, item, stats.distribution, primary)
    answered = sum(segment.count for segment in segments)
    if item.kind is ItemKind.MULTI_CHOICE:  # counts choices, not people
        answered = (
            stats.n + stats.distribution.get("na", 0) + stats.distribution.get("dont_know", 0)
        )
    facts = []
    if answered < respondent_count:
        facts.append(f"{answered} of {respondent_count} answered")
    if stats.rwg is not None:
        facts.append(
            f"{agreement_label(stats.agreement_level).capitalize()} (r wg {stats.rwg:.2f})"
        )
    return ItemView(
        prompt=item.prompt,
        note=_item_note(package, item),
        score_text=unit_text(package, stats.mean),
        score_percent=0.0 if stats.mean is None else round(stats.mean * 100, 1),
        answer_text="",
        agreement_text=" · ".join(facts),
        spread_text=(
            ""
            if stats.sd is None or stats.n < 2
            else f"SD {stats.sd * 100:.0f} · range {unit_text(package, stats.minimum)}–{unit_text(package, stats.maximum)}"
        ),
        answered_text=f"{answered} of {respondent_count} answered",
        legend_text=legend_text(segments),
        distribution_chart=distribution_bar(
            segments, title=f"Distribution of answers: {item.prompt}"
        ),
    )


def answer_text(item: Item, answer: ItemAnswer, *, short: bool = False) -> str:
    """What one person answered, in the questionnaire's words (`short`: options' short labels
    where they have one)."""
    if answer.status != "answered":
        return _STATUS_TEXT[answer.status]
    raw = answer.raw
    if item.kind is ItemKind.YES_NO:
        return "Yes" if raw in (True, "yes") else "No"
    if item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE) and isinstance(raw, int | float):
        unit = "%" if item.kind is ItemKind.PERCENTAGE else f" {item.unit or ''}".rstrip()
        for index, band in enumerate(item.bands):
            if band.max is None or raw <= band.max:
                return f"{raw:g}{unit} ({_band_label(item, index)})"
        return f"{raw:g}{unit}"
    labels = {
        option.id: (option.short_label or option.label) if short else option.label
        for option in item.options
    }
    if isinstance(raw, list | tuple):
        chosen = [labels.get(str(choice), str(choice)) for choice in raw]
        return "; ".join(chosen) if chosen else "None of these"
    return labels.get(str(raw), str(raw))


def individual_item_view(package: Package, item: Item, answer: ItemAnswer) -> ItemView:
    return ItemView(
        prompt=item.prompt,
        note=_item_note(package, item),
        score_text=DASH
        if answer.value is None or not item.scored
        else unit_text(package, answer.value),
        score_percent=0.0 if answer.value is None else round(answer.value * 100, 1),
        answer_text=answer_text(item, answer),
        agreement_text="",
        spread_text="",
        answered_text="",
        legend_text="",
        distribution_chart=Markup(""),
    )
