"""The waitlist (issue 12, part 4): its entry, the rules on it, and its refusals. No I/O, no frameworks.

A client joins an expert's waitlist for one date (the expert's local date) on which no slot is free.
One entry per email and date; it counts once its email is proven (the emailed link), unless verification
is off. When a slot of that date frees up, the earliest verified entries are emailed a link to it; the
slot stays first-come.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib.errors import Conflict, DomainError, NotFound

# How far ahead one may wait: the slots route's longest window (GET /experts/{id}/slots?days=60).
WAITLIST_DAYS = 60
# Entries emailed per freed slot (earliest verified first): enough that someone takes it, few enough
# that most who hurry find it still free.
NOTIFY_PER_SLOT = 3
# Join requests per email (each may send a verification email) and per source IP, per hour.
JOINS_PER_EMAIL_HOUR = 5
JOINS_PER_IP_HOUR = 30
# An unverified request lapses (TTL) when its link does (access.LINK_TTL).
UNVERIFIED_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class WaitlistEntry:
    expert_id: str
    date: date  # the expert's local date
    email: str  # lower-cased
    created_at: datetime
    expires_at: datetime  # unverified: when the request lapses; verified: a day after the date ends
    verified_at: datetime | None = None  # None until the emailed link is opened (or verification is off)

    @property
    def digest(self) -> str:
        return email_digest(self.email)

    def live_at(self, now: datetime) -> bool:
        return self.verified_at is not None and self.expires_at > now


def email_digest(email: str) -> str:
    """The entry's key part and its token's subject: the address never appears in either."""
    return hashlib.sha256(email.lower().encode("utf-8")).hexdigest()[:40]


def token_subject(expert_id: str, day: date, digest: str) -> str:
    return f"{expert_id}/{day.isoformat()}/{digest}"


def parse_subject(subject: str) -> tuple[str, date, str] | None:
    parts = subject.split("/")
    if len(parts) != 3:
        return None
    try:
        return parts[0], date.fromisoformat(parts[1]), parts[2]
    except ValueError:
        return None


class JoinOutcome:
    """What the store did with a join request (the route answers 202 for all but a full IP counter)."""

    JOINED = "joined"  # a new entry, or an unverified one asked for again (another verification email)
    ALREADY_VERIFIED = "already_verified"
    EMAIL_LIMITED = "email_limited"
    IP_LIMITED = "ip_limited"


class WaitlistEntryNotFound(NotFound, code="waitlist_entry_not_found"):
    """The waitlist request behind a link expired (or never existed)."""


class SlotsAvailable(Conflict, code="slots_available"):
    """The date has a free slot: book it rather than wait."""


class TooManyWaitlistRequests(DomainError, code="too_many_requests", status=429):
    def __init__(self, retry_after: int):
        super().__init__(
            "Too many waitlist requests from this network. Please try again later.",
            headers={"Retry-After": str(retry_after)},
        )
