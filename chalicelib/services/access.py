"""Client tokens (no accounts): signed JWTs (PyJWT, HS256) whose claims name what they open.

Only the email proves an email (issue 9). The scopes:
- `booking`: returned by POST /bookings; opens that one booking (view, cancel) until its session ends.
- `link`: inside an emailed access link (24 h); exchanged for an `email` token.
- `verify`: inside the booking email's verification link (24 h); confirms that booking's email and
  is exchanged for an `email` token.
- `email`: My bookings for one address, a day from when its link was used.
- `waitlist`: inside a waitlist request's verification link (24 h); proves the email of that one entry
  (its subject is expert/date/hashed email, never the address).
All are signed with the client token secret, so rotating it revokes every token at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from chalicelib.domain import Booking
from chalicelib.errors import Forbidden, Unauthorized

BOOKING, LINK, VERIFY, EMAIL, WAITLIST = "booking", "link", "verify", "email", "waitlist"
LINK_TTL = timedelta(hours=24)
EMAIL_TOKEN_TTL = timedelta(hours=24)
AUDIENCE = "expert-booking:client"
ALGORITHM = "HS256"
REQUIRED = ("aud", "scope", "sub", "exp", "iat")


@dataclass(frozen=True)
class Grant:
    """What a verified token opens: one booking, or every booking of one email."""

    scope: str
    subject: str  # a booking id (booking, verify) or a lower-cased email (link, email)
    expires_at: datetime


def _issue(secret: str, scope: str, subject: str, now: datetime, expires: datetime) -> str:
    """A signed token. A booking's and a verification link's carry the booking id only, not the address:
    a JWT's claims are readable by whoever holds it."""
    import jwt

    if not secret:
        raise RuntimeError("CLIENT_TOKEN_SECRET is not configured")
    claims = {
        "aud": AUDIENCE,
        "scope": scope,
        "sub": subject,
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def booking_token(secret: str, booking: Booking, now: datetime) -> str:
    """Opens this one booking until its session ends."""
    return _issue(secret, BOOKING, booking.id, now, max(booking.slot_end, now + timedelta(minutes=5)))


def verification_token(secret: str, booking: Booking, now: datetime) -> str:
    return _issue(secret, VERIFY, booking.id, now, now + LINK_TTL)


def link_token(secret: str, email: str, now: datetime) -> str:
    return _issue(secret, LINK, email.lower(), now, now + LINK_TTL)


def waitlist_token(secret: str, subject: str, now: datetime) -> str:
    return _issue(secret, WAITLIST, subject, now, now + LINK_TTL)


def email_token(secret: str, email: str, now: datetime) -> tuple[str, datetime]:
    """My bookings for `email`: issued only when an emailed link is used, valid a day from then."""
    expires = now + EMAIL_TOKEN_TTL
    return _issue(secret, EMAIL, email.lower(), now, expires), expires


def verify(secret: str, token: str, now: datetime, *, scopes: frozenset[str]) -> Grant:
    """The grant a token carries; Unauthorized when forged, malformed, expired or of another kind."""
    import jwt

    if not secret:
        raise RuntimeError("CLIENT_TOKEN_SECRET is not configured")
    try:
        # Expiry is checked against the service's clock below, not the library's.
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={
                "require": list(REQUIRED),
                "verify_exp": False,
                "verify_iat": False,
            },
        )
        scope, subject, expires = str(claims["scope"]), str(claims["sub"]), claims["exp"]
        expires_at = datetime.fromtimestamp(int(expires), tz=now.tzinfo)
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError, OSError) as exc:
        raise Unauthorized("The access token is not valid.") from exc
    if now >= expires_at:
        raise Unauthorized("The access token has expired; ask for a new link.")
    if scope not in scopes:
        raise Unauthorized("This token cannot be used here.")
    return Grant(scope, subject, expires_at)


def client_grant(secret: str, token: str, now: datetime) -> Grant:
    """A bearer token for client routes: a booking token or an email token."""
    return verify(secret, token, now, scopes=frozenset({BOOKING, EMAIL}))


def allow_booking(grant: Grant, booking: Booking) -> None:
    """A booking token opens its own booking; an email token opens every booking of its email."""
    if grant.scope == BOOKING and grant.subject == booking.id:
        return
    if grant.scope == EMAIL and grant.subject == booking.email:
        return
    raise Forbidden("This access token is not for this booking.")


def allow_email(grant: Grant, email: str) -> None:
    if grant.scope != EMAIL:
        raise Forbidden("This token opens one booking only; use the link we emailed you to see all your bookings.")
    if grant.subject != email.lower():
        raise Forbidden("This access token is for another email address.")


def manage_link(app_url: str, secret: str, booking: Booking, now: datetime) -> str:
    """My bookings with this booking's own token (reminders, reschedules): opens this booking only."""
    token = booking_token(secret, booking, now)
    return f"{app_url}/my-bookings?{urlencode({'booking': booking.id, 'manage': token})}"
