"""The demo's fictional client team: the people who answer each round of the demo workspace
(app/services/demo_workspace.py), with their role, function and tenure."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from scoring import Package

__all__ = ["PEOPLE", "DemoPerson", "fit_attributes"]


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """One fictional respondent; `in_first_round`: False for someone who joined after it."""

    name: str
    attributes: Mapping[str, str]
    in_first_round: bool = True

    @property
    def email(self) -> str:
        plain = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return f"{plain.lower().replace(' ', '.')}@brightwater-foods.test"


def _person(name: str, role: str, function: str, tenure: str, first: bool = True) -> DemoPerson:
    return DemoPerson(name, {"role": role, "function": function, "tenure": tenure}, first)


# Brightwater Foods' leadership team and the people around it (all fictional). Two joined
# after the first round. Every role has three people in the second round, so with k = 3 each
# role group shows on its own; in the first round the two smaller groups are pooled.
PEOPLE: tuple[DemoPerson, ...] = (
    _person("Helen Marsh", "executive", "other", "over_5_years"),
    _person("Daniel Okafor", "executive", "operations", "over_5_years"),
    _person("Priya Raman", "executive", "finance", "years_3_to_5"),
    _person("Tomás Herrera", "senior_manager", "operations", "years_3_to_5"),
    _person("Grace Whitfield", "senior_manager", "sales", "years_1_to_3"),
    _person("Martin Kowalski", "senior_manager", "product_engineering", "over_5_years"),
    _person("Aisha Bello", "manager", "operations", "years_1_to_3"),
    _person("Liam Fraser", "manager", "sales", "years_3_to_5"),
    _person("Sofia Lindqvist", "manager", "people", "under_1_year", first=False),
    _person("Nikhil Desai", "individual_contributor", "operations", "years_1_to_3"),
    _person("Chloe Brennan", "individual_contributor", "customer_success", "under_1_year", False),
    _person("Owen Pritchard", "individual_contributor", "finance", "years_1_to_3"),
)


def fit_attributes(package: Package, wanted: Mapping[str, str], index: int) -> dict[str, str]:
    """The wanted attributes that the questionnaire declares; a required one whose wanted value
    it no longer offers takes one of its values instead."""
    fitted: dict[str, str] = {}
    for attribute in package.questionnaire.attributes:
        allowed = [value.id for value in attribute.values]
        value = wanted.get(attribute.id)
        if value in allowed:
            fitted[attribute.id] = str(value)
        elif attribute.required:
            fitted[attribute.id] = allowed[index % len(allowed)]
    return fitted
