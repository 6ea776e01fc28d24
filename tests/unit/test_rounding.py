"""Display scores round exactly as decimals would, whatever the float underneath."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring import build_package
from scoring.rollup import to_display
from tests.unit.example_package import fresh_mappings


def package_rounding(decimals: int, mode: str, scale: tuple[int, int] = (0, 100)) -> object:
    q, s, r = fresh_mappings()
    s["rounding"] = {"decimals": decimals, "mode": mode}
    s["scale"] = {"min": scale[0], "max": scale[1]}
    if scale != (0, 100):
        s["thresholds"] = {
            "overall": {"steady": 2, "strong": 4},
            "dimension_default": {"steady": 2, "strong": 4},
        }
    return build_package(q, s, r)


@pytest.mark.parametrize(
    ("decimals", "mode", "raw", "expected"),
    [
        (2, "half_up", 0.00285, "0.29"),  # 0.285 is 0.28499999... as a float
        (1, "half_up", 0.0245, "2.5"),
        (1, "half_even", 0.0245, "2.4"),
        (1, "half_even", 0.0235, "2.4"),
        (0, "half_up", 0.405, "41"),
        (1, "half_up", 0.4 + 1e-13, "40.0"),
        (1, "half_up", 0.4 - 1e-13, "40.0"),
        (3, "half_up", 1.0, "100.000"),
        (1, "half_up", 0.0, "0.0"),
    ],
)
def test_rounding_matches_decimal_arithmetic(
    decimals: int, mode: str, raw: float, expected: str
) -> None:
    assert to_display(package_rounding(decimals, mode), raw) == Decimal(expected)  # type: ignore[arg-type]


def test_a_scale_that_does_not_start_at_zero() -> None:
    package = package_rounding(2, "half_up", scale=(1, 5))
    assert to_display(package, 0.5) == Decimal("3.00")  # type: ignore[arg-type]
    assert to_display(package, 0.0) == Decimal("1.00")  # type: ignore[arg-type]
