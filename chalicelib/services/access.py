"""Client access tokens: HMAC-signed, expiring, scoped to one (lower-cased) email.

Format: base64url(payload JSON) "." base64url(HMAC-SHA256(secret, payload)). The payload
carries the email, the expiry (unix seconds) and a random nonce.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta

from chalicelib.errors import Unauthorized

BOOKING_TOKEN_TTL = timedelta(days=30)
MAGIC_LINK_TTL = timedelta(hours=24)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def issue(secret: str, email: str, now: datetime, ttl: timedelta) -> str:
    if not secret:
        raise RuntimeError("CLIENT_TOKEN_SECRET is not configured")
    claims = {"e": email.lower(), "x": int((now + ttl).timestamp()), "n": secrets.token_urlsafe(8)}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{payload}.{_sign(secret, payload)}"


def verify(secret: str, token: str, now: datetime) -> str:
    """The email the token was issued for; Unauthorized when forged, malformed or expired."""
    if not secret:
        raise RuntimeError("CLIENT_TOKEN_SECRET is not configured")
    payload, _, signature = token.partition(".")
    if not payload or not signature or not hmac.compare_digest(_sign(secret, payload), signature):
        raise Unauthorized("The access token is not valid.")
    try:
        claims = json.loads(_unb64(payload))
        email, expires = str(claims["e"]), int(claims["x"])
    except (ValueError, KeyError, TypeError) as exc:
        raise Unauthorized("The access token is not valid.") from exc
    if now.timestamp() >= expires:
        raise Unauthorized("The access token has expired; ask for a new link.")
    return email
