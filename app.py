"""HTTP routes: parse → one service call → serialise. No boto3 here."""

from __future__ import annotations

import functools
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote

from chalice.app import Chalice, CORSConfig, Rate, Response

from chalicelib import auth, clientip, deps, identity, mail, openapi, telemetry, waitlist_mail
from chalicelib.config import get_settings
from chalicelib.db import changes
from chalicelib.domain import Email
from chalicelib.errors import BookingNotFound, ExpertNotFound, ValidationFailed
from chalicelib.health import check_ready
from chalicelib.http import CATALOG_CACHE_CONTROL, SLOTS_CACHE_CONTROL, ok, with_etag
from chalicelib.models import (
    AdminBookingsQuery,
    AdminChallengeOut,
    AdminSessionOut,
    AdminSessionRequest,
    BookingCreatedOut,
    BookingOut,
    BookingRequest,
    BookingsOut,
    BookingsPageOut,
    CategoriesOut,
    CategoriesQuery,
    CategoryOut,
    EmailAccessOut,
    EmailOnly,
    ExpertCreate,
    ExpertOut,
    ExpertPageOut,
    ExpertsQuery,
    ExpertUpdate,
    FailedEmailOut,
    FailedEmailsOut,
    HealthOut,
    LinkToken,
    RescheduleRequest,
    ResendOut,
    SlotsCreate,
    SlotsCreatedOut,
    SlotsOut,
    SlotsQuery,
    StatusChange,
    VerifiedOut,
)
from chalicelib.models.availability import (
    AvailabilityAppliedOut,
    AvailabilityOut,
    AvailabilityPreviewOut,
    AvailabilityRule,
    KeptSlotOut,
    PreviewDayOut,
)
from chalicelib.models.waitlist import WaitlistJoin, WaitlistVerifiedOut
from chalicelib.routing import ADMIN, CLIENT, CLIENT_OR_ADMIN, Routes
from chalicelib.services import (
    access,
    admin,
    availability,
    bookings,
    catalog_snapshot,
    clients,
    holds,
    notifications,
    reminders,
    reschedule,
    slots,
    waitlist,
)

app = Chalice(app_name="expert-booking")
log = logging.getLogger(__name__)
if telemetry.json_logs_wanted():
    telemetry.use_json_logs()


@app.middleware("all")
def observe(event: Any, get_response: Any) -> Any:
    """Every log line of an invocation carries its request id; its metrics are flushed at the end."""
    telemetry.bind_request(_request_id(event))
    try:
        return get_response(event)
    finally:
        telemetry.flush()


def _request_id(event: Any) -> str | None:
    context = getattr(event, "lambda_context", None) or getattr(event, "context", None)
    found = getattr(context, "aws_request_id", None)
    if found is None and isinstance(context, dict):  # an HTTP request's API Gateway context
        found = context.get("requestId")
    return str(found) if found else None


# Read at import only for what Chalice needs when building routes; handlers use deps.settings().
_startup = get_settings()
cors = CORSConfig(
    allow_origin=_startup.cors_origin,
    allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-None-Match"],
    expose_headers=["ETag", "Retry-After", "Idempotent-Replayed"],
    max_age=600,
)
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def _expert_id(raw: str) -> str:
    if not _ID.fullmatch(raw):
        raise ExpertNotFound("No expert with this id.")
    return raw


def _booking_id(raw: str) -> str:
    if not _ID.fullmatch(raw):
        raise BookingNotFound("No booking with this id.")
    return raw


def _request() -> Any:
    """The request being served (set by Chalice before a route runs)."""
    return app.current_request


def _source_ip(request: Any) -> str | None:
    """API Gateway's sourceIp, or the visitor's address when the request provably came through our
    CloudFront (chalicelib/clientip.py). chalice local reports 127.0.0.1 for everyone."""
    return clientip.client_ip(request.headers, request.context, deps.settings().origin_verify_secret)


def _instant(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(unquote(raw))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ValidationFailed.field("start", "Give the slot start as a UTC instant, e.g. 2026-01-01T09:00:00Z.")
    return value.astimezone(timezone.utc)


def _check_admin(headers: Any) -> None:
    auth.admin_claims(headers, deps.settings())


def _client_grant(headers: Any) -> access.Grant:
    return access.client_grant(deps.client_token_secret(), auth.bearer(headers), deps.now())


routes = Routes(app, cors, check_admin=_check_admin, client_grant=_client_grant)


@functools.cache
def _document() -> str:
    return openapi.document_json(routes.operations)


# -- public ----------------------------------------------------------------------------------------


@routes.get("/health", "Liveness check (no I/O)", {200: HealthOut})
def health() -> Response:
    return ok(HealthOut(status="ok"))


@routes.get("/health/ready", "Readiness: the table answers one read", {200: HealthOut}, errors=(503,))
def health_ready() -> Response:
    check_ready(deps.probe())
    return ok(HealthOut(status="ok"))


@routes.get("/openapi.json", "This document", {200: None})
def openapi_document() -> Response:
    return Response(body=_document(), headers={"Content-Type": "application/json"})


@routes.get("/experts", "List and search experts", {200: ExpertPageOut}, query=ExpertsQuery)
def list_experts(query: ExpertsQuery) -> Response:
    page = deps.catalog().search(query.q, query.category, query.page, query.limit)
    return ok(ExpertPageOut.of(page), headers={"Cache-Control": CATALOG_CACHE_CONTROL})


@routes.get(
    "/categories",
    "Expert categories with counts (of the experts matching q, when given)",
    {200: CategoriesOut},
    query=CategoriesQuery,
)
def list_categories(query: CategoriesQuery) -> Response:
    items = [CategoryOut(name=name, count=count) for name, count in deps.catalog().categories(query.q)]
    return ok(CategoriesOut(items=items), headers={"Cache-Control": CATALOG_CACHE_CONTROL})


@routes.get("/experts/{expert_id}", "One expert", {200: ExpertOut}, errors=(404,))
def get_expert(expert_id: str) -> Response:
    return ok(ExpertOut.of(deps.catalog().get(_expert_id(expert_id))), headers={"Cache-Control": CATALOG_CACHE_CONTROL})


@routes.get(
    "/experts/{expert_id}/slots",
    "An expert's slots grouped by date (ETag; 304 on If-None-Match)",
    {200: SlotsOut, 304: None},
    errors=(404,),
    query=SlotsQuery,
    headers=("If-None-Match",),
)
def get_slots(expert_id: str, query: SlotsQuery) -> Response:
    cfg, expert = deps.settings(), _expert_id(expert_id)

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
    return with_etag(cached.body, cached.etag, _request().headers.get("if-none-match"), SLOTS_CACHE_CONTROL)


# -- clients ---------------------------------------------------------------------------------------


@routes.post(
    "/bookings",
    "Book a slot (unverified holds expire; the token opens this booking only)",
    {201: BookingCreatedOut},
    errors=(404, 409, 429),
    body=BookingRequest,
    headers=("Idempotency-Key",),
)
def create_booking(body: BookingRequest) -> Response:
    request = _request()
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
        policy=bookings.HoldPolicy.of(cfg.unverified_hold_minutes, cfg.max_unverified_holds, _source_ip(request)),
    )
    token = access.booking_token(deps.client_token_secret(), booking, now)
    if not replayed:
        telemetry.count(telemetry.BOOKING_CREATED)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return ok(BookingCreatedOut(booking=BookingOut.of(booking), access_token=token), 201, headers)


@routes.get(
    "/bookings",
    "My bookings (an email token, from an emailed link, for that email)",
    {200: BookingsOut},
    query=EmailOnly,
    auth=CLIENT,
)
def my_bookings(query: EmailOnly, grant: access.Grant) -> Response:
    found = clients.my_bookings(deps.repository(), grant, query.email, deps.now())
    return ok(BookingsOut(items=[BookingOut.of(b) for b in found]))


@routes.get(
    "/bookings/{booking_id}",
    "One booking (its booking token, or an email token for its email)",
    {200: BookingOut},
    errors=(404,),
    auth=CLIENT,
)
def get_booking(booking_id: str, grant: access.Grant) -> Response:
    return ok(BookingOut.of(clients.get_booking(deps.repository(), grant, _booking_id(booking_id), deps.now())))


@routes.post(
    "/bookings/{booking_id}/verify",
    "Confirm the booking's email with the emailed link's token: the hold becomes firm",
    {200: VerifiedOut},
    errors=(401, 403, 404, 409),
    body=LinkToken,
)
def verify_booking_email(booking_id: str, body: LinkToken) -> Response:
    now, secret = deps.now(), deps.client_token_secret()
    grant = access.verify(secret, body.token, now, scopes=frozenset({access.VERIFY}))
    booking = clients.verify_email(deps.repository(), grant, _booking_id(booking_id), now)
    token, expires = access.email_token(secret, booking.email, now)
    return ok(VerifiedOut(booking=BookingOut.of(booking), access_token=token, expires_at=expires))


@routes.post("/bookings/access-link", "Email a magic link to My bookings (always 202)", {202: None}, body=EmailOnly)
def request_access_link(body: EmailOnly) -> Response:
    clients.request_access_link(deps.repository(), body.email, deps.now())
    return Response(body="", status_code=202)


@routes.post(
    "/bookings/access-token",
    "Exchange an emailed access link's token for an email token (My bookings, 24 h)",
    {200: EmailAccessOut},
    errors=(401,),
    body=LinkToken,
)
def exchange_access_link(body: LinkToken) -> Response:
    now, secret = deps.now(), deps.client_token_secret()
    grant = access.verify(secret, body.token, now, scopes=frozenset({access.LINK}))
    token, expires = access.email_token(secret, grant.subject, now)
    return ok(EmailAccessOut(email=grant.subject, access_token=token, expires_at=expires))


@routes.post(
    "/bookings/{booking_id}/cancel",
    "Cancel a booking (its booking token, or an email token for its email)",
    {200: BookingOut},
    errors=(404, 409),
    auth=CLIENT,
)
def cancel_own_booking(booking_id: str, grant: access.Grant) -> Response:
    now, cutoff = deps.now(), timedelta(minutes=deps.settings().cancellation_cutoff_minutes)
    booking = clients.cancel_booking(deps.repository(), grant, _booking_id(booking_id), now=now, cutoff=cutoff)
    return ok(BookingOut.of(booking))


@routes.post(
    "/bookings/{booking_id}/reschedule",
    "Move a booking to another slot of its expert (its booking token or its email's, until the cancellation "
    "cutoff; or an admin's token)",
    {200: BookingOut},
    errors=(404, 409),
    body=RescheduleRequest,
    auth=CLIENT_OR_ADMIN,
)
def reschedule_booking(booking_id: str, grant: access.Grant | None, body: RescheduleRequest) -> Response:
    cfg = deps.settings()
    moved = reschedule.reschedule(
        deps.repository(),
        deps.catalog(),
        grant,
        _booking_id(booking_id),
        body.slot_start,
        now=deps.now(),
        cutoff=timedelta(minutes=cfg.cancellation_cutoff_minutes),
        min_notice=timedelta(minutes=cfg.min_notice_minutes),
    )
    return ok(BookingOut.of(moved))


@routes.post(
    "/experts/{expert_id}/waitlist",
    "Join the expert's waitlist for a full date (always 202 once valid; verified by an emailed link)",
    {202: None},
    errors=(404, 409, 429),
    body=WaitlistJoin,
)
def join_waitlist(expert_id: str, body: WaitlistJoin) -> Response:
    cfg = deps.settings()
    policy = waitlist.JoinPolicy(
        verify=cfg.unverified_hold_minutes > 0,
        min_notice=timedelta(minutes=cfg.min_notice_minutes),
        source_ip=_source_ip(_request()),
    )
    waitlist.join(
        deps.repository(), deps.catalog(), _expert_id(expert_id), body.email, body.date, now=deps.now(), policy=policy
    )
    return Response(body="", status_code=202)


@routes.post(
    "/experts/{expert_id}/waitlist/verify",
    "Confirm a waitlist request's email with the emailed link's token",
    {200: WaitlistVerifiedOut},
    errors=(401, 403, 404),
    body=LinkToken,
)
def verify_waitlist(expert_id: str, body: LinkToken) -> Response:
    now = deps.now()
    grant = access.verify(deps.client_token_secret(), body.token, now, scopes=frozenset({access.WAITLIST}))
    entry = waitlist.verify(deps.repository(), deps.catalog(), grant, _expert_id(expert_id), now)
    return ok(WaitlistVerifiedOut.of(entry))


# -- admins ----------------------------------------------------------------------------------------


@routes.post(
    "/admin/session",
    "Admin sign-in: username + password, then (MFA) session + code, for an ID token",
    {200: (AdminSessionOut, AdminChallengeOut)},
    errors=(401,),
    body=AdminSessionRequest,
)
def admin_session(body: AdminSessionRequest) -> Response:
    cfg, now = deps.settings(), deps.now()
    if body.password is not None:
        step = identity.sign_in(cfg, body.username, body.password, now)
    else:
        step = identity.answer_mfa(cfg, body.username, body.session or "", body.code or "", now)
    if isinstance(step, identity.MfaChallenge):
        return ok(AdminChallengeOut(mfa_required=True, session=step.session))
    return ok(AdminSessionOut(token=step.token, expires_at=step.expires_at))


@routes.patch(
    "/bookings/{booking_id}/status",
    "Change a booking's status (admin)",
    {200: BookingOut},
    errors=(404, 409),
    body=StatusChange,
    auth=ADMIN,
)
def change_booking_status(booking_id: str, body: StatusChange) -> Response:
    booking = bookings.change_status(deps.repository(), _booking_id(booking_id), body.status, now=deps.now())
    return ok(BookingOut.of(booking))


@routes.get(
    "/admin/bookings",
    "Bookings with filters and a cursor (admin)",
    {200: BookingsPageOut},
    query=AdminBookingsQuery,
    auth=ADMIN,
)
def admin_bookings(query: AdminBookingsQuery) -> Response:
    found, cursor = admin.list_bookings(deps.repository(), admin.booking_query(query), deps.now())
    return ok(BookingsPageOut(items=[BookingOut.of(b) for b in found], next_cursor=cursor))


@routes.post(
    "/admin/bookings/search",
    "A client's bookings, found by their email (admin; in the body, so the address stays out of URLs and logs)",
    {200: BookingsOut},
    body=EmailOnly,
    auth=ADMIN,
)
def admin_search_bookings(body: EmailOnly) -> Response:
    found = admin.bookings_for_client(deps.repository(), body.email, deps.now())
    return ok(BookingsOut(items=[BookingOut.of(b) for b in found]))


@routes.post("/admin/experts", "Create an expert (admin)", {201: ExpertOut}, body=ExpertCreate, auth=ADMIN)
def admin_create_expert(body: ExpertCreate) -> Response:
    expert = admin.create_expert(deps.repository(), deps.catalog(), body.model_dump())
    return ok(ExpertOut.of(expert), 201)


@routes.patch(
    "/admin/experts/{expert_id}",
    "Update an expert (admin)",
    {200: ExpertOut},
    errors=(404,),
    body=ExpertUpdate,
    auth=ADMIN,
)
def admin_update_expert(expert_id: str, body: ExpertUpdate) -> Response:
    expert = admin.update_expert(deps.repository(), deps.catalog(), _expert_id(expert_id), body.changes())
    return ok(ExpertOut.of(expert))


@routes.post(
    "/admin/experts/{expert_id}/slots",
    "Create slots of the expert's session length (admin)",
    {201: SlotsCreatedOut},
    errors=(404,),
    body=SlotsCreate,
    auth=ADMIN,
)
def admin_add_slots(expert_id: str, body: SlotsCreate) -> Response:
    starts = [slot.start.astimezone(timezone.utc) for slot in body.slots]
    created, skipped = admin.add_slots(deps.repository(), deps.catalog(), _expert_id(expert_id), starts, deps.now())
    return ok(SlotsCreatedOut(created=created, skipped=skipped), 201)


@routes.delete(
    "/admin/experts/{expert_id}/slots/{start}",
    "Delete a free slot (admin)",
    {204: None},
    errors=(400, 404, 409),
    auth=ADMIN,
)
def admin_delete_slot(expert_id: str, start: str) -> Response:
    admin.delete_slot(deps.repository(), deps.catalog(), _expert_id(expert_id), _instant(start))
    return Response(body="", status_code=204)


@routes.get(
    "/admin/experts/{expert_id}/availability",
    "An expert's weekly availability rule, null until one is set (admin)",
    {200: AvailabilityOut},
    errors=(404,),
    auth=ADMIN,
)
def admin_get_availability(expert_id: str) -> Response:
    expert, rule = availability.get_availability(deps.repository(), deps.catalog(), _expert_id(expert_id))
    found = AvailabilityRule.of_rule(rule) if rule else None
    return ok(AvailabilityOut(availability=found, timezone=expert.timezone, session_minutes=expert.session_minutes))


@routes.put(
    "/admin/experts/{expert_id}/availability",
    "Set an expert's weekly availability: its slots are made for the horizon, free ones it no longer "
    "makes are deleted, held ones kept and listed (admin)",
    {200: AvailabilityAppliedOut},
    errors=(404, 503),
    body=AvailabilityRule,
    auth=ADMIN,
)
def admin_set_availability(expert_id: str, body: AvailabilityRule) -> Response:
    rule = body.rule()
    applied = availability.set_availability(deps.repository(), deps.catalog(), _expert_id(expert_id), rule, deps.now())
    kept = [KeptSlotOut.of(k) for k in applied.kept]
    out = AvailabilityAppliedOut(
        availability=AvailabilityRule.of_rule(rule), created=applied.created, deleted=applied.deleted, kept=kept
    )
    return ok(out)


@routes.post(
    "/admin/experts/{expert_id}/availability/preview",
    "The slots a rule would make over its first 14 days, by local date; nothing is written (admin)",
    {200: AvailabilityPreviewOut},
    errors=(404,),
    body=AvailabilityRule,
    auth=ADMIN,
)
def admin_preview_availability(expert_id: str, body: AvailabilityRule) -> Response:
    expert, by_day = availability.preview(deps.catalog(), _expert_id(expert_id), body.rule(), deps.now())
    days = [
        PreviewDayOut.model_validate({"date": d, "slots": [{"start": s, "end": e} for s, e in found]})
        for d, found in by_day.items()
    ]
    return ok(AvailabilityPreviewOut(timezone=expert.timezone, days=days))


@routes.get(
    "/admin/emails/failed",
    "Emails that could not be sent, kept until a resend succeeds (admin)",
    {200: FailedEmailsOut},
    auth=ADMIN,
)
def admin_failed_emails() -> Response:
    return ok(FailedEmailsOut(items=[FailedEmailOut.of(f) for f in admin.failed_emails(deps.repository())]))


@routes.post(
    "/admin/emails/resend",
    "Ask the email consumer to send every failed email again (admin)",
    {202: ResendOut},
    auth=ADMIN,
)
def admin_resend_emails() -> Response:
    return ok(ResendOut(requested=admin.resend_failed_emails(deps.repository())), 202)


# -- scheduled and stream functions ----------------------------------------------------------------


@app.schedule(Rate(1, unit=Rate.MINUTES))
def expire_unverified_holds(event: Any) -> None:
    """Writes down holds that ran out (booking `expired`, slot freed); correctness never waits for it."""
    count = holds.expire_due_holds(deps.repository(), deps.now())
    if count:
        telemetry.count(telemetry.HOLDS_EXPIRED, count)
        log.info("expired %d unverified holds", count)


@app.schedule(Rate(1, unit=Rate.HOURS))
def roll_availability(event: Any) -> None:
    """Keeps every weekly availability rule's horizon rolling: the days that came into it get their slots."""
    created = availability.roll(deps.repository(), deps.catalog(), deps.now())
    if created:
        log.info("availability roll made %d slots", created)


@app.schedule(Rate(5, unit=Rate.MINUTES))
def send_session_reminders(event: Any) -> None:
    """Reminder emails REMINDER_OFFSETS_MINUTES before confirmed sessions, each once (issue 12)."""
    cfg = deps.settings()
    try:
        outcomes = reminders.send_due_reminders(
            deps.repository(),
            mail,
            lambda email: mail.send(cfg.ses_sender, email),
            offsets=cfg.reminder_offsets_minutes,
            now=deps.now(),
            app_url=cfg.app_base_url,
            secret=deps.client_token_secret(),
        )
    except Exception:  # a transient sending failure: recorded, and the next run tries again
        telemetry.count(telemetry.EMAIL_FAILED)
        raise
    for outcome, metric in ((notifications.SENT, telemetry.EMAIL_SENT), (notifications.FAILED, telemetry.EMAIL_FAILED)):
        if outcomes[outcome]:
            telemetry.count(metric, outcomes[outcome])
    if outcomes[notifications.SENT]:
        log.info("sent %d reminders", outcomes[notifications.SENT])


@app.on_dynamodb_record(stream_arn=_startup.table_stream_arn, batch_size=25, starting_position="LATEST")
def send_booking_emails(event: Any) -> None:
    """Stream consumer: emails for new bookings, status changes, access links and resends (never on the
    request path); new and edited experts go into the catalog snapshot, once per batch."""
    now, cfg, secret, repo = deps.now(), deps.settings(), deps.client_token_secret(), deps.repository()
    decoded = [changes.decode(record.new_image, record.old_image) for record in event]
    experts = [change.expert for change in decoded if isinstance(change, changes.ExpertChanged)]
    snapshots = deps.catalog_snapshots()
    if experts and snapshots is not None:  # first, so a failing email cannot hold the catalog back (issue 14)
        catalog_snapshot.republish(snapshots, repo, experts)
    for change in decoded:
        if isinstance(change, changes.BookingChanged):
            before = change.before.value if change.before else None
            found = notifications.booking_emails(
                repo,
                mail,
                before,
                change.after,
                app_url=cfg.app_base_url,
                secret=secret,
                now=now,
                moved=change.moved,
            )
        elif isinstance(change, changes.LinkRequested):
            found = notifications.link_emails(
                repo, mail, change.email, change.event, app_url=cfg.app_base_url, secret=secret, now=now
            )
        elif isinstance(change, changes.ResendRequested):
            found = notifications.resent_emails(change.failed)
        elif isinstance(change, changes.WaitlistRequested):
            found = waitlist.verification_emails(
                repo, waitlist_mail, change.entry, change.event, app_url=cfg.app_base_url, secret=secret, now=now
            )
        elif isinstance(change, changes.SlotFreed):
            notice = timedelta(minutes=cfg.min_notice_minutes)
            found = waitlist.freed_slot_emails(
                repo,
                waitlist_mail,
                change.slot,
                change.released_by,
                app_url=cfg.app_base_url,
                now=now,
                min_notice=notice,
            )
        else:
            continue
        for key, email in found:
            _deliver(repo, cfg.ses_sender, key, email, now)


def _deliver(repo: Any, sender: str, key: str, email: Email, now: datetime) -> None:
    try:
        outcome = notifications.deliver(repo, lambda e: mail.send(sender, e), key, email, now)
    except Exception:
        telemetry.count(telemetry.EMAIL_FAILED)
        raise
    if outcome != notifications.DUPLICATE:
        telemetry.count(telemetry.EMAIL_SENT if outcome == notifications.SENT else telemetry.EMAIL_FAILED)
