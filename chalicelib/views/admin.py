"""Admin routes: sign-in, bookings, experts, slots and failed emails (admin tokens only, but sign-in)."""

from __future__ import annotations

from datetime import timezone

from chalice.app import Response

from chalicelib import deps, identity
from chalicelib.http import ok
from chalicelib.models import (
    AdminBookingsQuery,
    AdminChallengeOut,
    AdminSessionOut,
    AdminSessionRequest,
    BookingOut,
    BookingsOut,
    BookingsPageOut,
    EmailOnly,
    ExpertCreate,
    ExpertOut,
    ExpertUpdate,
    FailedEmailOut,
    FailedEmailsOut,
    ResendOut,
    SlotsCreate,
    SlotsCreatedOut,
    StatusChange,
)
from chalicelib.routing import ADMIN
from chalicelib.services import admin, bookings
from chalicelib.views import common

blueprint, routes = common.area(__name__)


@routes.post("/admin/session", {200: (AdminSessionOut, AdminChallengeOut)}, errors=(401,))
def admin_session(body: AdminSessionRequest) -> Response:
    """Admin sign-in: username + password, then (MFA) session + code, for an ID token"""
    cfg, now = deps.settings(), deps.now()
    if body.password is not None:
        step = identity.sign_in(cfg, body.username, body.password, now)
    else:
        step = identity.answer_mfa(cfg, body.username, body.session or "", body.code or "", now)
    if isinstance(step, identity.MfaChallenge):
        return ok(AdminChallengeOut(mfa_required=True, session=step.session))
    return ok(AdminSessionOut(token=step.token, expires_at=step.expires_at))


@routes.patch("/bookings/{booking_id}/status", {200: BookingOut}, errors=(404, 409), auth=ADMIN)
def change_booking_status(booking_id: str, body: StatusChange) -> Response:
    """Change a booking's status (admin)"""
    booking = bookings.change_status(deps.repository(), common.booking_id(booking_id), body.status, now=deps.now())
    return ok(BookingOut.of(booking))


@routes.get("/admin/bookings", {200: BookingsPageOut}, auth=ADMIN)
def admin_bookings(query: AdminBookingsQuery) -> Response:
    """Bookings with filters and a cursor (admin)"""
    found, cursor = admin.list_bookings(deps.repository(), admin.booking_query(query), deps.now())
    return ok(BookingsPageOut(items=[BookingOut.of(b) for b in found], next_cursor=cursor))


@routes.post("/admin/bookings/search", {200: BookingsOut}, auth=ADMIN)
def admin_search_bookings(body: EmailOnly) -> Response:
    """A client's bookings, found by their email (admin; in the body, so the address stays out of URLs and logs)"""
    found = admin.bookings_for_client(deps.repository(), body.email, deps.now())
    return ok(BookingsOut(items=[BookingOut.of(b) for b in found]))


@routes.post("/admin/experts", {201: ExpertOut}, auth=ADMIN)
def admin_create_expert(body: ExpertCreate) -> Response:
    """Create an expert (admin)"""
    expert = admin.create_expert(deps.repository(), deps.catalog(), body.model_dump())
    return ok(ExpertOut.of(expert), 201)


@routes.patch("/admin/experts/{expert_id}", {200: ExpertOut}, errors=(404,), auth=ADMIN)
def admin_update_expert(expert_id: str, body: ExpertUpdate) -> Response:
    """Update an expert (admin)"""
    expert = admin.update_expert(deps.repository(), deps.catalog(), common.expert_id(expert_id), body.changes())
    return ok(ExpertOut.of(expert))


@routes.post("/admin/experts/{expert_id}/slots", {201: SlotsCreatedOut}, errors=(404,), auth=ADMIN)
def admin_add_slots(expert_id: str, body: SlotsCreate) -> Response:
    """Create slots of the expert's session length (admin)"""
    starts = [slot.start.astimezone(timezone.utc) for slot in body.slots]
    created, skipped = admin.add_slots(
        deps.repository(), deps.catalog(), common.expert_id(expert_id), starts, deps.now()
    )
    return ok(SlotsCreatedOut(created=created, skipped=skipped), 201)


@routes.delete("/admin/experts/{expert_id}/slots/{start}", {204: None}, errors=(400, 404, 409), auth=ADMIN)
def admin_delete_slot(expert_id: str, start: str) -> Response:
    """Delete a free slot (admin)"""
    admin.delete_slot(deps.repository(), deps.catalog(), common.expert_id(expert_id), common.instant(start))
    return Response(body="", status_code=204)


@routes.get("/admin/emails/failed", {200: FailedEmailsOut}, auth=ADMIN)
def admin_failed_emails() -> Response:
    """Emails that could not be sent, kept until a resend succeeds (admin)"""
    return ok(FailedEmailsOut(items=[FailedEmailOut.of(f) for f in admin.failed_emails(deps.repository())]))


@routes.post("/admin/emails/resend", {202: ResendOut}, auth=ADMIN)
def admin_resend_emails() -> Response:
    """Ask the email consumer to send every failed email again (admin)"""
    return ok(ResendOut(requested=admin.resend_failed_emails(deps.repository())), 202)
