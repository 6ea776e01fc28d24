"""What every short load run must show, whatever the machine's speed (no timings)."""

from __future__ import annotations

from typing import Any

__all__ = ["assert_nothing_lost"]


def assert_nothing_lost(figures: dict[str, Any]) -> None:
    assert figures["saves_acknowledged"] > 0, figures
    assert figures["lost"] == 0, figures["lost_examples"]
    assert figures["answers_stored"] == figures["answers_acknowledged"] > 0, figures
    assert figures["unsettled_saves"] == 0, figures
    assert figures["status_500"] == 0, figures["outcomes"]
    assert figures["five_xx_outside_outages"] == 0, figures["errors_outside_outages"]
    assert figures["errors_outside_outages"] == {}, figures["errors_outside_outages"]
    for outage in figures["outages"]:
        assert outage["saves_acknowledged_after"] > 0, outage
    assert figures["passed"], figures
