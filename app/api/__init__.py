"""The JSON API under /api/v1: thin routers that parse, call one service and shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from app.api import assessments, clients, questionnaires, respondents, results, webhooks

__all__ = ["api_router"]

api_router = APIRouter(prefix="/api/v1")
for module in (questionnaires, clients, assessments, respondents, results, webhooks):
    api_router.include_router(module.router)
