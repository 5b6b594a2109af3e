"""/openapi.json, built from every area's route declarations (its own included)."""

from __future__ import annotations

import functools

from chalice.app import Response

from chalicelib import openapi
from chalicelib.routing import Operation
from chalicelib.views import access, admin, availability, clients, common, public, waitlist

blueprint, routes = common.area(__name__)
AREAS = (public, clients, access, waitlist, admin, availability)


def operations() -> list[Operation]:
    """Every declared route: the areas' in their order, then this one."""
    return [*(op for area in AREAS for op in area.routes.operations), *routes.operations]


@functools.cache
def _document() -> str:
    return openapi.document_json(operations())


@routes.get("/openapi.json", {200: None})
def openapi_document() -> Response:
    """This document"""
    return Response(body=_document(), headers={"Content-Type": "application/json"})
