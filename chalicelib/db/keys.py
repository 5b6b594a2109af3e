"""Every primary and GSI key of the single table, one builder per access pattern.

The README's access-pattern table documents each of them. Pure functions: no I/O.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone

CATALOG = "CATALOG"
ALL_BOOKINGS = "BOOKINGS"
PROFILE = "PROFILE"
SLOT_PREFIX = "SLOT#"


def _hash(value: str) -> str:
    # Hashing keeps personal data and client-chosen strings out of key values.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:40]


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime used in a key")
    return instant.astimezone(timezone.utc)


def expert(expert_id: str) -> dict[str, str]:
    return {"PK": f"EXPERT#{expert_id}", "SK": PROFILE}


def catalog_entry(sort_name: str, expert_id: str) -> dict[str, str]:
    """GSI1: every expert under one partition, sorted by name (listing + categories)."""
    return {"GSI1PK": CATALOG, "GSI1SK": f"{sort_name}#{expert_id}"}


def slot_sort_key(start: datetime) -> str:
    start = _utc(start)
    return f"{SLOT_PREFIX}{start:%Y-%m-%d}#{start:%H:%M}"


def slot(expert_id: str, start: datetime) -> dict[str, str]:
    """The slot item keyed by expert#date#slot: the item every booking conditionally flips."""
    return {"PK": f"EXPERT#{expert_id}", "SK": slot_sort_key(start)}


def slots_version(expert_id: str) -> dict[str, str]:
    """A counter bumped by every slot creation for the expert: the compare-and-set guard that keeps
    two concurrent admin requests from adding overlapping slots (outside the SLOT# key range)."""
    return {"PK": f"EXPERT#{expert_id}", "SK": "SLOTS_VERSION"}


def slot_range(expert_id: str, start: datetime, end: datetime) -> tuple[str, str, str]:
    """Partition key and inclusive sort-key bounds for slots starting in [start, end]."""
    return f"EXPERT#{expert_id}", slot_sort_key(start), slot_sort_key(end)


def booking(booking_id: str) -> dict[str, str]:
    return {"PK": f"BOOKING#{booking_id}", "SK": "BOOKING"}


def _booking_order(slot_start: datetime, booking_id: str) -> str:
    return f"{_utc(slot_start):%Y-%m-%dT%H:%M:%SZ}#{booking_id}"


def client_bookings(email: str, slot_start: datetime, booking_id: str) -> dict[str, str]:
    """GSI1: a client's bookings by (hashed, lower-cased) email, ordered by start."""
    return {"GSI1PK": client_partition(email), "GSI1SK": _booking_order(slot_start, booking_id)}


def client_partition(email: str) -> str:
    return f"CLIENT#{_hash(email.lower())}"


def expert_bookings(expert_id: str, slot_start: datetime, booking_id: str) -> dict[str, str]:
    """GSI2: an expert's bookings ordered by start (admin list filtered by expert)."""
    return {"GSI2PK": expert_bookings_partition(expert_id), "GSI2SK": _booking_order(slot_start, booking_id)}


def expert_bookings_partition(expert_id: str) -> str:
    return f"EXPERT_BOOKINGS#{expert_id}"


def all_bookings(slot_start: datetime, booking_id: str) -> dict[str, str]:
    """GSI3: every booking ordered by start (admin list without an expert filter).

    One partition: fine for bookings' low write rate (DynamoDB allows 1,000 writes/s per partition);
    shard by month if that ever changes."""
    return {"GSI3PK": ALL_BOOKINGS, "GSI3SK": _booking_order(slot_start, booking_id)}


def booking_order_bound(instant: datetime) -> str:
    """Sort-key bound for booking indexes (GSI1 client, GSI2, GSI3) at `instant`."""
    return f"{_utc(instant):%Y-%m-%dT%H:%M:%SZ}"


def hold_counter(counter_id: str) -> dict[str, str]:
    """A client's (email's or source IP's) count of unverified holds; `counter_id` is already hashed."""
    return {"PK": f"HOLDS#{counter_id}", "SK": "HOLDS"}


DUE_HOLDS = "HOLDS_DUE"


def due_hold(expires_at: datetime, booking_id: str) -> dict[str, str]:
    """GSI4 (sparse): unverified bookings by hold expiry, for the scheduled sweep (only while unverified)."""
    return {"GSI4PK": DUE_HOLDS, "GSI4SK": f"{_utc(expires_at):%Y-%m-%dT%H:%M:%SZ}#{booking_id}"}


FAILED_EMAILS = "EMAILS_FAILED"


def failed_email(failed_at: datetime, event_key: str) -> dict[str, str]:
    """GSI4 (sparse, shared with due holds under another partition): emails that could not be sent,
    oldest first, until a resend succeeds."""
    return {"GSI4PK": FAILED_EMAILS, "GSI4SK": f"{_utc(failed_at):%Y-%m-%dT%H:%M:%SZ}#{_hash(event_key)}"}


def access_link_counter(email: str, hour: datetime) -> dict[str, str]:
    """Per-email, per-hour counter of magic-link requests (rate limit; TTL-expired)."""
    return {"PK": f"LINKS#{_hash(email.lower())}", "SK": f"HOUR#{_utc(hour):%Y-%m-%dT%H}"}


def email_marker(event_key: str) -> dict[str, str]:
    """One per email the stream consumer sends: makes sending idempotent per event."""
    return {"PK": f"EMAIL#{_hash(event_key)}", "SK": "EMAIL"}


def idempotency(key: str) -> dict[str, str]:
    return {"PK": f"IDEMPOTENCY#{_hash(key)}", "SK": "IDEMPOTENCY"}


AVAILABILITY = "AVAILABILITY"


def availability(expert_id: str) -> dict[str, str]:
    """An expert's weekly availability rule: one item in the expert's partition (outside the SLOT# range)."""
    return {"PK": f"EXPERT#{expert_id}", "SK": AVAILABILITY}


def availability_entry(expert_id: str) -> dict[str, str]:
    """GSI4 (sparse, its own partition): every expert with a rule, for the scheduled roll (a Query, no scan)."""
    return {"GSI4PK": AVAILABILITY, "GSI4SK": expert_id}


def waitlist_day(expert_id: str, day: date) -> str:
    """The partition of an expert's waitlist for one local date (every entry of that date)."""
    return f"WAITLIST#{expert_id}#{day.isoformat()}"


def waitlist_entry(expert_id: str, day: date, email_digest: str) -> dict[str, str]:
    """One email's place on an expert's waitlist for a date: one per email and date, the email hashed."""
    return {"PK": waitlist_day(expert_id, day), "SK": f"ENTRY#{email_digest}"}


def waitlist_limit(counter_id: str, hour: datetime) -> dict[str, str]:
    """Per-email / per-source-IP, per-hour count of waitlist joins (rate limit; TTL-expired);
    `counter_id` is already hashed (domain.hold_counters)."""
    return {"PK": f"WAITLIST_LIMIT#{counter_id}", "SK": f"HOUR#{_utc(hour):%Y-%m-%dT%H}"}
