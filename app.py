"""The Lambda entry points: the HTTP routes (one blueprint per area, chalicelib/views), and the scheduled
and stream functions. No boto3 here."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from chalice.app import Chalice, Rate

from chalicelib import deps, mail, telemetry, waitlist_mail
from chalicelib.config import get_settings
from chalicelib.db import changes
from chalicelib.domain import Email
from chalicelib.services import availability, catalog_snapshot, holds, notifications, reminders, waitlist
from chalicelib.views import document

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


_startup = get_settings()  # read at import only for what Chalice needs (the stream's ARN)
for area in (*document.AREAS, document):
    app.register_blueprint(area.blueprint)
operations = document.operations()


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
