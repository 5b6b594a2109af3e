"""HTTP routes: parse → one service call → serialise. No boto3 here."""

from __future__ import annotations

import re
from datetime import timedelta

from chalice import Chalice, CORSConfig, Response

from chalicelib import auth, deps, openapi
from chalicelib.config import get_settings
from chalicelib.errors import BookingNotFound, ExpertNotFound, ValidationFailed
from chalicelib.http import handle_errors, ok, parse_json, parse_query, with_etag
from chalicelib.models import (
    BookingCreatedOut,
    BookingOut,
    BookingRequest,
    CategoriesOut,
    CategoryOut,
    ExpertOut,
    ExpertPageOut,
    ExpertsQuery,
    HealthOut,
    SlotsOut,
    SlotsQuery,
    StatusChange,
)
from chalicelib.services import access, bookings, slots

app = Chalice(app_name="expert-booking")
settings = get_settings()
cors = CORSConfig(
    allow_origin=settings.cors_origin,
    allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-None-Match"],
    expose_headers=["ETag", "Retry-After", "Idempotent-Replayed"],
    max_age=600,
)
ANY_BODY = ["*/*"]  # content type is checked by parse_json so the error uses our envelope
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def _expert_id(raw: str) -> str:
    if not _ID.match(raw):
        raise ExpertNotFound("No expert with this id.")
    return raw


@app.route("/health", methods=["GET"], cors=cors)
@handle_errors
def health() -> Response:
    return ok(HealthOut(status="ok"))


@app.route("/openapi.json", methods=["GET"], cors=cors)
@handle_errors
def openapi_document() -> Response:
    return Response(body=openapi.document_json(), headers={"Content-Type": "application/json"})


@app.route("/experts", methods=["GET"], cors=cors)
@handle_errors
def list_experts() -> Response:
    query = parse_query(app.current_request.query_params, ExpertsQuery)
    page = deps.catalog().search(query.q, query.category, query.page, query.limit)
    return ok(ExpertPageOut.of(page))


@app.route("/categories", methods=["GET"], cors=cors)
@handle_errors
def list_categories() -> Response:
    items = [CategoryOut(name=name, count=count) for name, count in deps.catalog().categories()]
    return ok(CategoriesOut(items=items))


@app.route("/experts/{expert_id}", methods=["GET"], cors=cors)
@handle_errors
def get_expert(expert_id: str) -> Response:
    return ok(ExpertOut.of(deps.catalog().get(_expert_id(expert_id))))


@app.route("/experts/{expert_id}/slots", methods=["GET"], cors=cors)
@handle_errors
def get_slots(expert_id: str) -> Response:
    request = app.current_request
    query = parse_query(request.query_params, SlotsQuery)
    view = slots.expert_slots(
        deps.repository(),
        deps.catalog(),
        _expert_id(expert_id),
        first_day=query.from_,
        days=query.days,
        tz_name=query.tz,
        now=deps.now(),
        min_notice=timedelta(minutes=settings.min_notice_minutes),
    )
    return with_etag(SlotsOut.of(view), request.headers.get("if-none-match"))


@app.route("/bookings", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def create_booking() -> Response:
    request = app.current_request
    body = parse_json(request, BookingRequest)
    key = request.headers.get("idempotency-key")
    if key is not None and not _IDEMPOTENCY_KEY.match(key):
        raise ValidationFailed.field("Idempotency-Key", "Use 1 to 255 visible ASCII characters.")
    now = deps.now()
    booking, replayed = bookings.book_slot(
        deps.repository(),
        deps.catalog(),
        bookings.NewBooking(body.expert_id, body.slot_start, body.name, body.email, body.phone, body.notes),
        idempotency_key=key,
        now=now,
        min_notice=timedelta(minutes=settings.min_notice_minutes),
    )
    token = access.issue(settings.client_token_secret, booking.email, now, access.BOOKING_TOKEN_TTL)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return ok(BookingCreatedOut(booking=BookingOut.of(booking), access_token=token), 201, headers)


@app.route("/bookings/{booking_id}/status", methods=["PATCH"], cors=cors, content_types=ANY_BODY)
@handle_errors
def change_booking_status(booking_id: str) -> Response:
    request = app.current_request
    auth.require_admin(request.headers, settings.admin_api_secret)
    body = parse_json(request, StatusChange)
    if not _ID.match(booking_id):
        raise BookingNotFound("No booking with this id.")
    booking = bookings.change_status(deps.repository(), booking_id, body.status, now=deps.now())
    return ok(BookingOut.of(booking))
