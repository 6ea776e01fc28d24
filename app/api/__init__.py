"""The JSON API under /api/v1: thin routers that parse, call one service and shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from app.api import assessments, clients, questionnaires, reports, respondents, results, webhooks

__all__ = ["API_ROUTERS"]

API_ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router
    for module in (questionnaires, clients, assessments, respondents, results, webhooks, reports)
)
