"""What every area's routes share: CORS, who the caller is, and path parameters checked before any read."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from chalice.app import Blueprint, CORSConfig

from chalicelib import auth, clientip, deps
from chalicelib.config import get_settings
from chalicelib.errors import BookingNotFound, ExpertNotFound, ValidationFailed
from chalicelib.routing import Routes
from chalicelib.services import access

# Read at import only for what Chalice needs when building routes; handlers use deps.settings().
cors = CORSConfig(
    allow_origin=get_settings().cors_origin,
    allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-None-Match"],
    expose_headers=["ETag", "Retry-After", "Idempotent-Replayed"],
    max_age=600,
)
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def check_admin(headers: Any) -> None:
    auth.admin_claims(headers, deps.settings())


def client_grant(headers: Any) -> access.Grant:
    return access.client_grant(deps.client_token_secret(), auth.bearer(headers), deps.now())


def area(import_name: str) -> tuple[Blueprint, Routes]:
    """A blueprint for one area's routes, and the declarations that register them on it."""
    blueprint = Blueprint(import_name)
    return blueprint, Routes(blueprint, cors, check_admin=check_admin, client_grant=client_grant)


def expert_id(raw: str) -> str:
    if not _ID.fullmatch(raw):
        raise ExpertNotFound("No expert with this id.")
    return raw


def booking_id(raw: str) -> str:
    if not _ID.fullmatch(raw):
        raise BookingNotFound("No booking with this id.")
    return raw


def source_ip(request: Any) -> str | None:
    """API Gateway's sourceIp, or the visitor's address when the request provably came through our
    CloudFront (chalicelib/clientip.py). chalice local reports 127.0.0.1 for everyone."""
    return clientip.client_ip(request.headers, request.context, deps.settings().origin_verify_secret)


def instant(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(unquote(raw))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ValidationFailed.field("start", "Give the slot start as a UTC instant, e.g. 2026-01-01T09:00:00Z.")
    return value.astimezone(timezone.utc)
