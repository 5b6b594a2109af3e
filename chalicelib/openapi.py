"""OpenAPI 3.1 document generated from the pydantic models (the one source of shapes)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib import models as m

REF = "#/components/schemas/{model}"
Shape = type[BaseModel] | tuple[type[BaseModel], ...] | None  # a tuple: one of these models


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    responses: dict[int, Shape]
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    secured: bool = False
    headers: list[str] = field(default_factory=list)


OPERATIONS = [
    Operation("get", "/health", "Liveness check", {200: m.HealthOut}),
    Operation("get", "/health/ready", "Readiness: the table answers one read", {200: m.HealthOut, 503: m.ErrorOut}),
    Operation("get", "/openapi.json", "This document", {200: None}),
    Operation(
        "get", "/experts", "List and search experts", {200: m.ExpertPageOut, 400: m.ErrorOut}, query=m.ExpertsQuery
    ),
    Operation("get", "/categories", "Expert categories with counts", {200: m.CategoriesOut}),
    Operation("get", "/experts/{expertId}", "One expert", {200: m.ExpertOut, 404: m.ErrorOut}),
    Operation(
        "get",
        "/experts/{expertId}/slots",
        "An expert's slots grouped by date (ETag; 304 on If-None-Match)",
        {200: m.SlotsOut, 304: None, 400: m.ErrorOut, 404: m.ErrorOut},
        query=m.SlotsQuery,
        headers=["If-None-Match"],
    ),
    Operation(
        "post",
        "/bookings",
        "Book a slot (unverified holds expire; the token opens this booking only)",
        {
            201: m.BookingCreatedOut,
            400: m.ErrorOut,
            404: m.ErrorOut,
            409: m.ErrorOut,
            413: m.ErrorOut,
            415: m.ErrorOut,
            429: m.ErrorOut,
        },
        body=m.BookingRequest,
        headers=["Idempotency-Key"],
    ),
    Operation(
        "get",
        "/bookings",
        "My bookings (an email token, from an emailed link, for that email)",
        {200: m.BookingsOut, 400: m.ErrorOut, 401: m.ErrorOut, 403: m.ErrorOut},
        query=m.EmailOnly,
        secured=True,
    ),
    Operation(
        "post",
        "/bookings/access-link",
        "Email a magic link to My bookings (always 202)",
        {202: None, 400: m.ErrorOut, 413: m.ErrorOut, 415: m.ErrorOut},
        body=m.EmailOnly,
    ),
    Operation(
        "post",
        "/bookings/access-token",
        "Exchange an emailed access link's token for an email token (My bookings, 24 h)",
        {200: m.EmailAccessOut, 400: m.ErrorOut, 401: m.ErrorOut, 413: m.ErrorOut, 415: m.ErrorOut},
        body=m.LinkToken,
    ),
    Operation(
        "get",
        "/bookings/{bookingId}",
        "One booking (its booking token, or an email token for its email)",
        {200: m.BookingOut, 401: m.ErrorOut, 403: m.ErrorOut, 404: m.ErrorOut},
        secured=True,
    ),
    Operation(
        "post",
        "/bookings/{bookingId}/verify",
        "Confirm the booking's email with the emailed link's token: the hold becomes firm",
        {
            200: m.VerifiedOut,
            400: m.ErrorOut,
            401: m.ErrorOut,
            403: m.ErrorOut,
            404: m.ErrorOut,
            409: m.ErrorOut,
            413: m.ErrorOut,
            415: m.ErrorOut,
        },
        body=m.LinkToken,
    ),
    Operation(
        "post",
        "/bookings/{bookingId}/cancel",
        "Cancel a booking (its booking token, or an email token for its email)",
        {200: m.BookingOut, 401: m.ErrorOut, 403: m.ErrorOut, 404: m.ErrorOut, 409: m.ErrorOut},
        secured=True,
    ),
    Operation(
        "patch",
        "/bookings/{bookingId}/status",
        "Change a booking's status (admin)",
        {200: m.BookingOut, 400: m.ErrorOut, 401: m.ErrorOut, 403: m.ErrorOut, 404: m.ErrorOut, 409: m.ErrorOut},
        body=m.StatusChange,
        secured=True,
    ),
    Operation(
        "post",
        "/admin/session",
        "Admin sign-in: username + password, then (MFA) session + code, for an ID token",
        {200: (m.AdminSessionOut, m.AdminChallengeOut), 400: m.ErrorOut, 401: m.ErrorOut},
        body=m.AdminSessionRequest,
    ),
    Operation(
        "get",
        "/admin/bookings",
        "Bookings with filters and a cursor (admin)",
        {200: m.BookingsPageOut, 400: m.ErrorOut, 401: m.ErrorOut, 403: m.ErrorOut},
        query=m.AdminBookingsQuery,
        secured=True,
    ),
    Operation(
        "post",
        "/admin/experts",
        "Create an expert (admin)",
        {201: m.ExpertOut, 400: m.ErrorOut, 401: m.ErrorOut, 403: m.ErrorOut},
        body=m.ExpertCreate,
        secured=True,
    ),
    Operation(
        "patch",
        "/admin/experts/{expertId}",
        "Update an expert (admin)",
        {200: m.ExpertOut, 400: m.ErrorOut, 401: m.ErrorOut, 403: m.ErrorOut, 404: m.ErrorOut},
        body=m.ExpertUpdate,
        secured=True,
    ),
    Operation(
        "post",
        "/admin/experts/{expertId}/slots",
        "Create slots of the expert's session length (admin)",
        {201: m.SlotsCreatedOut, 400: m.ErrorOut, 401: m.ErrorOut, 403: m.ErrorOut, 404: m.ErrorOut},
        body=m.SlotsCreate,
        secured=True,
    ),
    Operation(
        "get",
        "/admin/emails/failed",
        "Emails that could not be sent, kept until a resend succeeds (admin)",
        {200: m.FailedEmailsOut, 401: m.ErrorOut, 403: m.ErrorOut},
        secured=True,
    ),
    Operation(
        "post",
        "/admin/emails/resend",
        "Ask the email consumer to send every failed email again (admin)",
        {202: m.ResendOut, 401: m.ErrorOut, 403: m.ErrorOut},
        secured=True,
    ),
    Operation(
        "delete",
        "/admin/experts/{expertId}/slots/{start}",
        "Delete a free slot (admin)",
        {204: None, 400: m.ErrorOut, 401: m.ErrorOut, 403: m.ErrorOut, 404: m.ErrorOut, 409: m.ErrorOut},
        secured=True,
    ),
]


def _parameters(op: Operation, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    params = [
        {"name": name[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
        for name in op.path.split("/")
        if name.startswith("{")
    ]
    if op.query is not None:
        props = schemas[op.query.__name__]["properties"]
        params += [{"name": name, "in": "query", "required": False, "schema": s} for name, s in props.items()]
    params += [{"name": h, "in": "header", "required": False, "schema": {"type": "string"}} for h in op.headers]
    return params


def _models(shape: Shape) -> tuple[type[BaseModel], ...]:
    return () if shape is None else shape if isinstance(shape, tuple) else (shape,)


def _response(status: int, shape: Shape) -> dict[str, Any]:
    refs = [{"$ref": REF.format(model=model.__name__)} for model in _models(shape)]
    if not refs:
        return {"description": str(status)}
    schema = refs[0] if len(refs) == 1 else {"oneOf": refs}
    return {"description": str(status), "content": {"application/json": {"schema": schema}}}


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    wanted: set[tuple[type[BaseModel], Literal["validation", "serialization"]]] = set()
    for op in OPERATIONS:
        wanted |= {(model, "serialization") for shape in op.responses.values() for model in _models(shape)}
        wanted |= {(model, "validation") for model in (op.query, op.body) if model is not None}
    _, defs = models_json_schema(sorted(wanted, key=lambda pair: pair[0].__name__), by_alias=True, ref_template=REF)
    schemas = defs.get("$defs", {})
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        entry: dict[str, Any] = {
            "summary": op.summary,
            "operationId": f"{op.method}{op.path.replace('/', '_').replace('{', '').replace('}', '')}",
            "parameters": _parameters(op, schemas),
            "responses": {str(code): _response(code, model) for code, model in op.responses.items()},
        }
        if op.body is not None:
            schema_ref = {"$ref": REF.format(model=op.body.__name__)}
            entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema_ref}}}
        if op.secured:
            entry["security"] = [{"bearer": []}]
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Expert Session Booking API", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@lru_cache(maxsize=1)
def document_json() -> str:
    return json.dumps(document())
