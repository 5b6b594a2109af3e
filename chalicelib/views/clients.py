"""A client's bookings: book, verify the email, read, cancel and reschedule (booking or email tokens)."""

from __future__ import annotations

import re
from datetime import timedelta

from chalice.app import Response

from chalicelib import deps, telemetry
from chalicelib.errors import ValidationFailed
from chalicelib.http import ok
from chalicelib.models import (
    BookingCreatedOut,
    BookingOut,
    BookingRequest,
    BookingsOut,
    EmailOnly,
    LinkToken,
    RescheduledOut,
    RescheduleRequest,
    VerifiedOut,
)
from chalicelib.routing import CLIENT, CLIENT_OR_ADMIN
from chalicelib.services import access, bookings, clients, reschedule
from chalicelib.views import common

_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")

blueprint, routes = common.area(__name__)


@routes.post("/bookings", {201: BookingCreatedOut}, errors=(404, 409, 429), headers=("Idempotency-Key",))
def create_booking(body: BookingRequest) -> Response:
    """Book a slot (unverified holds expire; the token opens this booking only)"""
    request = blueprint.current_request
    key = request.headers.get("idempotency-key")
    if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationFailed.field("Idempotency-Key", "Use 1 to 255 visible ASCII characters.")
    now, cfg = deps.now(), deps.settings()
    booking, replayed = bookings.book_slot(
        deps.repository(),
        deps.catalog(),
        bookings.NewBooking(body.expert_id, body.slot_start, body.name, body.email, body.phone, body.notes),
        idempotency_key=key,
        now=now,
        min_notice=timedelta(minutes=cfg.min_notice_minutes),
        policy=bookings.HoldPolicy.of(cfg.unverified_hold_minutes, cfg.max_unverified_holds, common.source_ip(request)),
    )
    token = access.booking_token(deps.client_token_secret(), booking, now)
    if not replayed:
        telemetry.count(telemetry.BOOKING_CREATED)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return ok(BookingCreatedOut(booking=BookingOut.of(booking), access_token=token), 201, headers)


@routes.get("/bookings", {200: BookingsOut}, auth=CLIENT)
def my_bookings(query: EmailOnly, grant: access.Grant) -> Response:
    """My bookings (an email token, from an emailed link, for that email)"""
    found = clients.my_bookings(deps.repository(), grant, query.email, deps.now())
    return ok(BookingsOut(items=[BookingOut.of(b) for b in found]))


@routes.get("/bookings/{booking_id}", {200: BookingOut}, errors=(404,), auth=CLIENT)
def get_booking(booking_id: str, grant: access.Grant) -> Response:
    """One booking (its booking token, or an email token for its email)"""
    return ok(BookingOut.of(clients.get_booking(deps.repository(), grant, common.booking_id(booking_id), deps.now())))


@routes.post("/bookings/{booking_id}/verify", {200: VerifiedOut}, errors=(401, 403, 404, 409))
def verify_booking_email(booking_id: str, body: LinkToken) -> Response:
    """Confirm the booking's email with the emailed link's token: the hold becomes firm"""
    now, secret = deps.now(), deps.client_token_secret()
    grant = access.verify(secret, body.token, now, scopes=frozenset({access.VERIFY}))
    booking = clients.verify_email(deps.repository(), grant, common.booking_id(booking_id), now)
    token, expires = access.email_token(secret, booking.email, now)
    return ok(VerifiedOut(booking=BookingOut.of(booking), access_token=token, expires_at=expires))


@routes.post("/bookings/{booking_id}/cancel", {200: BookingOut}, errors=(404, 409), auth=CLIENT)
def cancel_own_booking(booking_id: str, grant: access.Grant) -> Response:
    """Cancel a booking (its booking token, or an email token for its email)"""
    now, cutoff = deps.now(), timedelta(minutes=deps.settings().cancellation_cutoff_minutes)
    booking = clients.cancel_booking(deps.repository(), grant, common.booking_id(booking_id), now=now, cutoff=cutoff)
    return ok(BookingOut.of(booking))


@routes.post("/bookings/{booking_id}/reschedule", {200: RescheduledOut}, errors=(404, 409), auth=CLIENT_OR_ADMIN)
def reschedule_booking(booking_id: str, grant: access.Grant | None, body: RescheduleRequest) -> Response:
    """Move a booking to another slot of its expert (its booking token or its email's, until the cancellation cutoff;
    or an admin's token)"""
    cfg, now = deps.settings(), deps.now()
    moved = reschedule.reschedule(
        deps.repository(),
        deps.catalog(),
        grant,
        common.booking_id(booking_id),
        body.slot_start,
        now=now,
        cutoff=timedelta(minutes=cfg.cancellation_cutoff_minutes),
        min_notice=timedelta(minutes=cfg.min_notice_minutes),
    )
    token = reschedule.fresh_token(deps.client_token_secret(), grant, moved, now)
    return ok(RescheduledOut.of(moved).model_copy(update={"access_token": token}))
