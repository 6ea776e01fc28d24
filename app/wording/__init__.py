"""The words a reader sees for what the scoring engine returns as facts.

Each sentence is one whole template with named placeholders, so that it can be translated as a
sentence. Client-facing text names items by their prompt and gives numbers on the display scale
or the 0–100 item scale, never an item id or a 0–1 value.
"""

from app.wording.agreement import (
    AGREEMENT_LABELS,
    agreement_label,
    breakdown_note,
    interval_text,
    stage_reading,
)
from app.wording.findings import finding_sentence, summary_sentences
from app.wording.placements import placement_steps, quadrant_explanation, recommendation_reason

__all__ = [
    "AGREEMENT_LABELS",
    "agreement_label",
    "breakdown_note",
    "finding_sentence",
    "interval_text",
    "placement_steps",
    "quadrant_explanation",
    "recommendation_reason",
    "stage_reading",
    "summary_sentences",
]
