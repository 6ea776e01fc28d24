"""The methodology appendix's account of the team reading: agreement, spread caps, contested
dimensions, intervals, borderline stages, disclosure control and the summary's findings.

Every number is rendered from the constants of scoring/ (bands, caps, t quantiles, the
group-gap share), so the appendix states the rules that are applied. The same paragraphs stand
in docs/methodology.md; a test keeps the two equal.
"""

from __future__ import annotations

from app.reports.view_model import ReadingMethodView
from app.wording import agreement_label
from scoring import (
    AGREEMENT_BANDS,
    CONTESTED_LEVELS,
    GROUP_GAP_SHARE,
    SPREAD_CAPS,
    SpreadCap,
    t_quantile_975,
)
from scoring.agreement import AGREEMENT_LEVELS

__all__ = ["team_reading_method"]

_ITEM_AGREEMENT = (
    "Agreement on one question is rwg (James, Demaree and Wolf, 1984): one minus the variance "
    "of the team's answers over the variance expected if everyone had answered at random, "
    "evenly over the question's options. A negative value is taken as 0."
)
_DIMENSION_AGREEMENT = (
    "Agreement on a dimension is r*wg(J) (Lindell, Brandt and Whitney, 1999, Applied "
    "Psychological Measurement 23(2)): one minus the mean variance of the answers to its J "
    "questions over the mean variance expected at random, taken as 0 when negative. Unlike "
    "rwg(J) (James, Demaree and Wolf, 1984), it does not rise merely because a dimension has "
    "more questions."
)
_BANDS = "Both indices are read by the bands of LeBreton and Senter (2008): {bands}; below that, {lowest}."
_BAND = "from {floor:.2f} {label}"
_CAPS = (
    "A reading never claims more agreement than the spread of the scores beside it allows: the "
    "index compares the answers with random ones, while a reader judges their spread on the "
    "scale itself. Shares are of the scale's width:"
)
_CAP_MEASURES = {
    "sd": "standard deviation of the scores above {share}",
    "range": "range of the respondents' dimension scores above {share} (dimensions only)",
}
_CAP_AT_MOST = "at most {label}"
_CAP = "{measure}: {reading}."
_CONTESTED = (
    "A dimension is contested when its reading is {levels} (after these caps) and its "
    "respondents' own dimension scores fall in at least two different stages. Its stage is then "
    "given with the lowest and highest stage those scores reach, because an average of camps "
    "describes neither camp. While any dimension is contested, the summary names the split "
    "first, the overall stage says that it rests on contested dimensions, and the quadrant's "
    "description is not given."
)
_DISPUTED = (
    "The most disputed questions are those with the lowest rwg, then the largest standard "
    "deviation."
)
_INTERVAL = (
    "A team score is the mean of its respondents' scores, so its 95 % interval is Student's "
    "t-interval: mean ± t(0.975, n − 1) · s / √n, with s the standard deviation of the "
    "respondents' scores and n their number. The quantiles of t are tabulated; between "
    "tabulated degrees of freedom the lower one is used, which errs towards a wider interval. "
    "The interval is cut to the ends of the scale."
)
_FEW_RESPONDENTS = (
    "One respondent gives no interval: one answer has no spread to measure. Two respondents "
    "give one degree of freedom, t = {t_one:.2f}, so their interval is wide and usually spans "
    "several stages: two people cannot pin a team's stage down."
)
_BORDERLINE = (
    "A score is borderline when the two ends of its 95 % interval fall in different stages by "
    "the thresholds: the stage shown is the one the score reaches, but the answers cannot rule "
    "out the neighbouring one."
)
_DISCLOSURE = (
    "Scores by group (by role, function and so on) are shown only for groups of at least k "
    "respondents, k being the smallest group the assessment allows. Values held by fewer than "
    "k respondents are pooled into “Other (pooled)” when the pool reaches k, and are not shown "
    "otherwise."
)
_SUPPRESSION = (
    "A group's mean and count can be added to and subtracted from the team's figures and other "
    "groups', so further groups are withheld by complementary suppression (Hundepool et al., "
    "Statistical Disclosure Control, Wiley, 2012): while the figures shown would let some set "
    "of fewer than k respondents be worked out, a greedy heuristic withholds the smallest group "
    "whose removal prevents it (or, failing that, the smallest group). Each step is checked exactly, in rational arithmetic, so "
    "whatever the heuristic chooses no figure shown reveals fewer than k people; only how much "
    "is withheld depends on it. Where a breakdown shows no group, the report says why."
)
_GROUP_GAP = (
    "The summary names the group whose view differs most from the rest of the team, on each "
    "dimension where the two differ by at least {share} of the scale's width. The rest of the "
    "team is the team minus that group, so its figure can already be worked out from the "
    "team's and the group's: naming it discloses nothing new."
)
_FINDINGS_ORDER = (
    "The summary's findings come in a fixed order: a split (contested dimensions); the group "
    "whose view differs most from the rest of the team; an incomplete reading; the weakest and "
    "the strongest dimension; how precise the overall score is; and, only when no dimension is "
    "contested, how far the team agrees."
)


def _share(value: float) -> str:
    return f"{value * 100:g} %"


def _cap_text(cap: SpreadCap) -> str:
    label = agreement_label(cap.at_most)
    reading = label if cap.at_most == "none" else _CAP_AT_MOST.format(label=label)
    measure = _CAP_MEASURES[cap.measure].format(share=_share(cap.above))
    return _CAP.format(measure=measure[0].upper() + measure[1:], reading=reading)


def team_reading_method() -> ReadingMethodView:
    """The paragraphs, with the numbers taken from scoring/'s constants."""
    bands = [
        _BAND.format(floor=floor, label=agreement_label(level)) for floor, level in AGREEMENT_BANDS
    ]
    contested = [
        agreement_label(level) for level in reversed(AGREEMENT_LEVELS) if level in CONTESTED_LEVELS
    ]
    return ReadingMethodView(
        item_agreement=_ITEM_AGREEMENT,
        dimension_agreement=_DIMENSION_AGREEMENT,
        bands=_BANDS.format(
            bands=", ".join(bands[:-1]) + " and " + bands[-1], lowest=agreement_label("none")
        ),
        caps_intro=_CAPS,
        caps=tuple(_cap_text(cap) for cap in SPREAD_CAPS),
        contested=_CONTESTED.format(levels=" or ".join(contested)),
        disputed=_DISPUTED,
        interval=_INTERVAL,
        few_respondents=_FEW_RESPONDENTS.format(t_one=t_quantile_975(1)),
        borderline=_BORDERLINE,
        disclosure=_DISCLOSURE,
        suppression=_SUPPRESSION,
        group_gap=_GROUP_GAP.format(share=_share(GROUP_GAP_SHARE)),
        findings_order=_FINDINGS_ORDER,
    )
