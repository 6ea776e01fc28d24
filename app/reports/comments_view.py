"""Free-text answers, in a section of their own: per question, unattributed, each distinct text
once with how many people wrote it.

Shown only in a team report with at least k respondents, so that no comment can be traced to
its author; the template escapes them like every other text.
"""

from __future__ import annotations

from app.reports.view_model import CommentGroupView, CommentView
from scoring import AssessmentResult, ItemKind, Package, iter_dimensions

__all__ = ["comment_groups"]

_SHOWN = (
    "Written answers, unattributed. Each distinct answer is shown once, with the number of "
    "people who wrote it when more than one did; most frequent first, then alphabetical."
)
_WITHHELD = (
    "Written answers are shown only when at least {k} people took part, so that none can be "
    "traced to its author."
)


def _same_text(text: str) -> str:
    """Two answers are the same when they differ only in spacing and letter case."""
    return " ".join(text.split()).casefold()


def _distinct(texts: list[str]) -> tuple[CommentView, ...]:
    first: dict[str, str] = {}
    counts: dict[str, int] = {}
    for text in sorted(texts, key=str.casefold):  # the first spelling alphabetically is shown
        key = _same_text(text)
        first.setdefault(key, " ".join(text.split()))
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(first, key=lambda key: (-counts[key], key))
    return tuple(CommentView(first[key], counts[key]) for key in ordered)


def comment_groups(
    package: Package, result: AssessmentResult
) -> tuple[tuple[CommentGroupView, ...], str]:
    """Groups of comments in questionnaire order, and the note above them; or no group and why
    none is shown; or nothing at all when the questionnaire asks for no written answer."""
    groups: list[CommentGroupView] = []
    any_text_item = False
    for top in package.questionnaire.dimensions:
        for dimension in iter_dimensions((top,)):
            for item in dimension.items:
                if item.kind is not ItemKind.TEXT:
                    continue
                any_text_item = True
                texts = [
                    str(answer.raw)
                    for respondent in result.respondents
                    if (answer := respondent.answers[item.id]).status == "answered"
                    and str(answer.raw).strip()
                ]
                if texts:
                    groups.append(CommentGroupView(item.prompt, top.title, _distinct(texts)))
    if not any_text_item or len(result.respondents) < 2:
        return (), ""
    if len(result.respondents) < result.anonymity_k:
        return (), _WITHHELD.format(k=result.anonymity_k)
    return tuple(groups), _SHOWN if groups else ""
