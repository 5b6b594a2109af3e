"""HTTP routes: parse → one service call → serialise. No boto3 here."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote

from chalice import Chalice, CORSConfig, Rate, Response

from chalicelib import auth, deps, identity, mail, openapi, telemetry
from chalicelib.config import get_settings
from chalicelib.errors import BookingNotFound, ExpertNotFound, ValidationFailed
from chalicelib.health import check_ready
from chalicelib.http import handle_errors, ok, parse_json, parse_query, with_etag
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
    ResendOut,
    SlotsCreate,
    SlotsCreatedOut,
    SlotsOut,
    SlotsQuery,
    StatusChange,
    VerifiedOut,
)
from chalicelib.services import access, admin, bookings, clients, holds, notifications, slots

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
ANY_BODY = ["*/*"]  # content type is checked by parse_json so the error uses our envelope
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


def _source_ip(request: Any) -> str | None:
    """The client's address as API Gateway saw it (requestContext.identity.sourceIp), never a header
    the client can set. chalice local reports 127.0.0.1 for everyone."""
    identity_context = (request.context or {}).get("identity") or {}
    ip = identity_context.get("sourceIp")
    return str(ip) if ip else None


def _instant(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(unquote(raw))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ValidationFailed.field("start", "Give the slot start as a UTC instant, e.g. 2026-01-01T09:00:00Z.")
    return value.astimezone(timezone.utc)


@app.route("/health", methods=["GET"], cors=cors)
@handle_errors
def health() -> Response:
    return ok(HealthOut(status="ok"))


@app.route("/health/ready", methods=["GET"], cors=cors)
@handle_errors
def health_ready() -> Response:
    check_ready(deps.probe())
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
        min_notice=timedelta(minutes=deps.settings().min_notice_minutes),
    )
    return with_etag(SlotsOut.of(view), request.headers.get("if-none-match"))


@app.route("/bookings", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def create_booking() -> Response:
    request = app.current_request
    body = parse_json(request, BookingRequest)
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


@app.route("/bookings", methods=["GET"], cors=cors)
@handle_errors
def my_bookings() -> Response:
    request = app.current_request
    now = deps.now()
    grant = access.client_grant(deps.client_token_secret(), auth.bearer(request.headers), now)
    query = parse_query(request.query_params, EmailOnly)
    found = clients.my_bookings(deps.repository(), grant, query.email, now)
    return ok(BookingsOut(items=[BookingOut.of(b) for b in found]))


@app.route("/bookings/{booking_id}", methods=["GET"], cors=cors)
@handle_errors
def get_booking(booking_id: str) -> Response:
    request = app.current_request
    now = deps.now()
    grant = access.client_grant(deps.client_token_secret(), auth.bearer(request.headers), now)
    return ok(BookingOut.of(clients.get_booking(deps.repository(), grant, _booking_id(booking_id), now)))


@app.route("/bookings/{booking_id}/verify", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def verify_booking_email(booking_id: str) -> Response:
    body = parse_json(app.current_request, LinkToken)
    now, secret = deps.now(), deps.client_token_secret()
    grant = access.verify(secret, body.token, now, scopes=frozenset({access.VERIFY}))
    booking = clients.verify_email(deps.repository(), grant, _booking_id(booking_id), now)
    token, expires = access.email_token(secret, booking.email, now)
    return ok(VerifiedOut(booking=BookingOut.of(booking), access_token=token, expires_at=expires))


@app.route("/bookings/access-link", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def request_access_link() -> Response:
    body = parse_json(app.current_request, EmailOnly)
    clients.request_access_link(deps.repository(), body.email, deps.now())
    return Response(body="", status_code=202)


@app.route("/bookings/access-token", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def exchange_access_link() -> Response:
    body = parse_json(app.current_request, LinkToken)
    now, secret = deps.now(), deps.client_token_secret()
    grant = access.verify(secret, body.token, now, scopes=frozenset({access.LINK}))
    token, expires = access.email_token(secret, grant.subject, now)
    return ok(EmailAccessOut(email=grant.subject, access_token=token, expires_at=expires))


@app.route("/bookings/{booking_id}/cancel", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def cancel_own_booking(booking_id: str) -> Response:
    request = app.current_request
    now = deps.now()
    grant = access.client_grant(deps.client_token_secret(), auth.bearer(request.headers), now)
    cutoff = timedelta(minutes=deps.settings().cancellation_cutoff_minutes)
    booking = clients.cancel_booking(deps.repository(), grant, _booking_id(booking_id), now=now, cutoff=cutoff)
    return ok(BookingOut.of(booking))


@app.route("/bookings/{booking_id}/status", methods=["PATCH"], cors=cors, content_types=ANY_BODY)
@handle_errors
def change_booking_status(booking_id: str) -> Response:
    request = app.current_request
    auth.admin_claims(request.headers, deps.settings())
    body = parse_json(request, StatusChange)
    booking = bookings.change_status(deps.repository(), _booking_id(booking_id), body.status, now=deps.now())
    return ok(BookingOut.of(booking))


@app.route("/admin/session", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def admin_session() -> Response:
    body = parse_json(app.current_request, AdminSessionRequest)
    cfg, now = deps.settings(), deps.now()
    if body.password is not None:
        step = identity.sign_in(cfg, body.username, body.password, now)
    else:
        step = identity.answer_mfa(cfg, body.username, body.session or "", body.code or "", now)
    if isinstance(step, identity.MfaChallenge):
        return ok(AdminChallengeOut(mfa_required=True, session=step.session))
    return ok(AdminSessionOut(token=step.token, expires_at=step.expires_at))


@app.route("/admin/bookings", methods=["GET"], cors=cors)
@handle_errors
def admin_bookings() -> Response:
    request = app.current_request
    auth.admin_claims(request.headers, deps.settings())
    query = parse_query(request.query_params, AdminBookingsQuery)
    found, cursor = admin.list_bookings(deps.repository(), admin.booking_query(query), deps.now())
    return ok(BookingsPageOut(items=[BookingOut.of(b) for b in found], next_cursor=cursor))


@app.route("/admin/experts", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def admin_create_expert() -> Response:
    request = app.current_request
    auth.admin_claims(request.headers, deps.settings())
    body = parse_json(request, ExpertCreate)
    expert = admin.create_expert(deps.repository(), deps.catalog(), body.model_dump())
    return ok(ExpertOut.of(expert), 201)


@app.route("/admin/experts/{expert_id}", methods=["PATCH"], cors=cors, content_types=ANY_BODY)
@handle_errors
def admin_update_expert(expert_id: str) -> Response:
    request = app.current_request
    auth.admin_claims(request.headers, deps.settings())
    body = parse_json(request, ExpertUpdate)
    expert = admin.update_expert(deps.repository(), deps.catalog(), _expert_id(expert_id), body.changes())
    return ok(ExpertOut.of(expert))


@app.route("/admin/experts/{expert_id}/slots", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def admin_add_slots(expert_id: str) -> Response:
    request = app.current_request
    auth.admin_claims(request.headers, deps.settings())
    body = parse_json(request, SlotsCreate)
    starts = [slot.start.astimezone(timezone.utc) for slot in body.slots]
    created, skipped = admin.add_slots(deps.repository(), deps.catalog(), _expert_id(expert_id), starts, deps.now())
    return ok(SlotsCreatedOut(created=created, skipped=skipped), 201)


@app.route("/admin/experts/{expert_id}/slots/{start}", methods=["DELETE"], cors=cors)
@handle_errors
def admin_delete_slot(expert_id: str, start: str) -> Response:
    auth.admin_claims(app.current_request.headers, deps.settings())
    admin.delete_slot(deps.repository(), deps.catalog(), _expert_id(expert_id), _instant(start))
    return Response(body="", status_code=204)


@app.route("/admin/emails/failed", methods=["GET"], cors=cors)
@handle_errors
def admin_failed_emails() -> Response:
    auth.admin_claims(app.current_request.headers, deps.settings())
    found = admin.failed_emails(deps.repository())
    items = [
        FailedEmailOut(event_key=f.event_key, to=f.to, subject=f.subject, reason=f.reason, failed_at=f.failed_at)
        for f in found
    ]
    return ok(FailedEmailsOut(items=items))


@app.route("/admin/emails/resend", methods=["POST"], cors=cors, content_types=ANY_BODY)
@handle_errors
def admin_resend_emails() -> Response:
    auth.admin_claims(app.current_request.headers, deps.settings())
    return ok(ResendOut(requested=admin.resend_failed_emails(deps.repository())), 202)


@app.schedule(Rate(1, unit=Rate.MINUTES))
def expire_unverified_holds(event: Any) -> None:
    """Writes down holds that ran out (booking `expired`, slot freed); correctness never waits for it."""
    count = holds.expire_due_holds(deps.repository(), deps.now())
    if count:
        telemetry.count(telemetry.HOLDS_EXPIRED, count)
        log.info("expired %d unverified holds", count)


@app.on_dynamodb_record(stream_arn=_startup.table_stream_arn, batch_size=25, starting_position="LATEST")
def send_booking_emails(event: Any) -> None:
    """Stream consumer: emails for new bookings, status changes and magic links (never on the request path)."""
    now = deps.now()
    cfg = deps.settings()
    secret = deps.client_token_secret()
    repo = deps.repository()
    for record in event:
        changes = notifications.emails_for_change(
            repo, record.new_image, record.old_image, app_url=cfg.app_base_url, secret=secret, now=now
        )
        for key, email in changes:
            try:
                outcome = notifications.deliver(repo, lambda e: mail.send(cfg.ses_sender, e), key, email, now)
            except Exception:
                telemetry.count(telemetry.EMAIL_FAILED)
                raise
            if outcome != notifications.DUPLICATE:
                telemetry.count(telemetry.EMAIL_SENT if outcome == notifications.SENT else telemetry.EMAIL_FAILED)
