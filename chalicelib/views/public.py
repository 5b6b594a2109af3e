"""Public reads: health, the catalog and an expert's live slots (cached at the edge, issue 14)."""

from __future__ import annotations

from datetime import timedelta

from chalice.app import Response

from chalicelib import deps
from chalicelib.health import check_ready
from chalicelib.http import CATALOG_CACHE_CONTROL, SLOTS_CACHE_CONTROL, ok, with_etag
from chalicelib.models import (
    CategoriesOut,
    CategoriesQuery,
    CategoryOut,
    ExpertOut,
    ExpertPageOut,
    ExpertsQuery,
    HealthOut,
    SlotsOut,
    SlotsQuery,
)
from chalicelib.services import slots
from chalicelib.views import common

blueprint, routes = common.area(__name__)


@routes.get("/health", {200: HealthOut})
def health() -> Response:
    """Liveness check (no I/O)"""
    return ok(HealthOut(status="ok"))


@routes.get("/health/ready", {200: HealthOut}, errors=(503,))
def health_ready() -> Response:
    """Readiness: the table answers one read"""
    check_ready(deps.probe())
    return ok(HealthOut(status="ok"))


@routes.get("/experts", {200: ExpertPageOut})
def list_experts(query: ExpertsQuery) -> Response:
    """List and search experts"""
    page = deps.catalog().search(query.q, query.category, query.page, query.limit)
    return ok(ExpertPageOut.of(page), headers={"Cache-Control": CATALOG_CACHE_CONTROL})


@routes.get("/categories", {200: CategoriesOut})
def list_categories(query: CategoriesQuery) -> Response:
    """Expert categories with counts (of the experts matching q, when given)"""
    items = [CategoryOut(name=name, count=count) for name, count in deps.catalog().categories(query.q)]
    return ok(CategoriesOut(items=items), headers={"Cache-Control": CATALOG_CACHE_CONTROL})


@routes.get("/experts/{expert_id}", {200: ExpertOut}, errors=(404,))
def get_expert(expert_id: str) -> Response:
    """One expert"""
    return ok(
        ExpertOut.of(deps.catalog().get(common.expert_id(expert_id))), headers={"Cache-Control": CATALOG_CACHE_CONTROL}
    )


@routes.get("/experts/{expert_id}/slots", {200: SlotsOut, 304: None}, errors=(404,), headers=("If-None-Match",))
def get_slots(expert_id: str, query: SlotsQuery) -> Response:
    """An expert's slots grouped by date (ETag; 304 on If-None-Match)"""
    cfg, expert = deps.settings(), common.expert_id(expert_id)

    def build() -> str:
        view = slots.expert_slots(
            deps.repository(),
            deps.catalog(),
            expert,
            first_day=query.from_,
            days=query.days,
            tz_name=query.tz,
            now=deps.now(),
            min_notice=timedelta(minutes=cfg.min_notice_minutes),
        )
        return SlotsOut.of(view).model_dump_json(by_alias=True)

    # Within the micro-cache window an unchanged poll costs no DynamoDB read and no rebuild (issue 14).
    key = (expert, query.from_, query.days, query.tz)
    cached = deps.poll_cache().get_or_build(key, cfg.slots_cache_ms / 1000, build)
    return with_etag(
        cached.body, cached.etag, blueprint.current_request.headers.get("if-none-match"), SLOTS_CACHE_CONTROL
    )
