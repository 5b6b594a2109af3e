"""Admin routes for an expert's weekly availability rule (issue 12)."""

from __future__ import annotations

from chalice.app import Response

from chalicelib import deps
from chalicelib.http import ok
from chalicelib.models.availability import (
    AvailabilityAppliedOut,
    AvailabilityOut,
    AvailabilityPreviewOut,
    AvailabilityRule,
    KeptSlotOut,
    PreviewDayOut,
)
from chalicelib.routing import ADMIN
from chalicelib.services import availability
from chalicelib.views import common

blueprint, routes = common.area(__name__)


@routes.get("/admin/experts/{expert_id}/availability", {200: AvailabilityOut}, errors=(404,), auth=ADMIN)
def admin_get_availability(expert_id: str) -> Response:
    """An expert's weekly availability rule, null until one is set (admin)"""
    expert, rule = availability.get_availability(deps.repository(), deps.catalog(), common.expert_id(expert_id))
    found = AvailabilityRule.of_rule(rule) if rule else None
    return ok(AvailabilityOut(availability=found, timezone=expert.timezone, session_minutes=expert.session_minutes))


@routes.put("/admin/experts/{expert_id}/availability", {200: AvailabilityAppliedOut}, errors=(404, 503), auth=ADMIN)
def admin_set_availability(expert_id: str, body: AvailabilityRule) -> Response:
    """Set an expert's weekly availability: its slots are made for the horizon, free ones it no longer makes are
    deleted, held ones kept and listed (admin)"""
    rule = body.rule()
    applied = availability.set_availability(
        deps.repository(), deps.catalog(), common.expert_id(expert_id), rule, deps.now()
    )
    kept = [KeptSlotOut.of(k) for k in applied.kept]
    out = AvailabilityAppliedOut(
        availability=AvailabilityRule.of_rule(rule), created=applied.created, deleted=applied.deleted, kept=kept
    )
    return ok(out)


@routes.post(
    "/admin/experts/{expert_id}/availability/preview", {200: AvailabilityPreviewOut}, errors=(404,), auth=ADMIN
)
def admin_preview_availability(expert_id: str, body: AvailabilityRule) -> Response:
    """The slots a rule would make over its first 14 days, by local date; nothing is written (admin)"""
    expert, by_day = availability.preview(deps.catalog(), common.expert_id(expert_id), body.rule(), deps.now())
    days = [
        PreviewDayOut.model_validate({"date": d, "slots": [{"start": s, "end": e} for s, e in found]})
        for d, found in by_day.items()
    ]
    return ok(AvailabilityPreviewOut(timezone=expert.timezone, days=days))
