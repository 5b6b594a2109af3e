"""Every route the benchmarks exercise: one line each. Add a route here and every section
(AWS calls, framework overhead, moto timings) measures it.

`path`, `body` and `headers` may be callables of (fixture, i): request i gets the i-th
fresh resource (a free slot to book, a pending booking to confirm, ...), so write routes can
be repeated against a real table.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any

from chalicelib import timeutil
from chalicelib.domain import Booking, Expert, Slot, Status

Part = Any  # a value, or a callable (Fixture, int) -> value


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: Part
    auth: str = ""  # "", "admin" or "client"
    body: Part = None
    headers: Part = None
    target: str = ""  # the target, as text
    limit: int | None = None  # most AWS calls allowed on a warm container

    def build(self, fx: Fixture, i: int) -> tuple[str, str, dict[str, str], Any]:
        headers = dict(_value(self.headers, fx, i) or {})
        if self.auth == "admin":
            headers["authorization"] = f"Bearer {fx.admin_token}"
        elif self.auth == "client":
            headers["authorization"] = f"Bearer {fx.client_token}"
        return self.method, _value(self.path, fx, i), headers, _value(self.body, fx, i)


def _value(part: Part, fx: Fixture, i: int) -> Any:
    return part(fx, i) if callable(part) else part


def _iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


ROUTES: list[Route] = [
    Route("health", "GET", "/health", limit=0),
    Route("OpenAPI document", "GET", "/openapi.json", limit=0),
    Route("listing", "GET", "/experts?page=1&limit=12", target="≤ 1 (0 warm)", limit=1),
    Route("categories", "GET", "/categories", limit=1),
    Route("expert detail", "GET", lambda fx, i: f"/experts/{fx.expert}", target="1", limit=1),
    Route("slots (14 days)", "GET", lambda fx, i: f"/experts/{fx.expert}/slots", target="1", limit=1),
    Route(
        "slots poll, unchanged",
        "GET",
        lambda fx, i: f"/experts/{fx.expert}/slots",
        headers=lambda fx, i: {"if-none-match": fx.etag},
        target="304, empty body",
        limit=1,
    ),
    Route(
        "booking", "POST", "/bookings", body=lambda fx, i: fx.booking_body(i), target="1 (TransactWriteItems)", limit=1
    ),
    Route("my bookings", "GET", lambda fx, i: f"/bookings?email={fx.client_email}", auth="client", target="1", limit=1),
    Route("access link", "POST", "/bookings/access-link", body=lambda fx, i: {"email": fx.client_email}, limit=1),
    Route(
        "client cancel",
        "POST",
        lambda fx, i: f"/bookings/{fx.cancellable[i]}/cancel",
        auth="client",
        body={},
        target="1",
    ),
    Route(
        "status change (admin)",
        "PATCH",
        lambda fx, i: f"/bookings/{fx.pending[i]}/status",
        auth="admin",
        body={"status": "confirmed"},
        target="1",
    ),
    Route("admin sign-in", "POST", "/admin/session", body=lambda fx, i: fx.credentials, limit=1),
    Route("admin bookings", "GET", lambda fx, i: f"/admin/bookings?expertId={fx.pool}", auth="admin", limit=1),
    Route("admin create expert", "POST", "/admin/experts", auth="admin", body=lambda fx, i: fx.new_expert(i)),
    Route("admin update expert", "PATCH", lambda fx, i: f"/admin/experts/{fx.pool}", auth="admin", body={"bio": "x"}),
    Route(
        "admin add slot",
        "POST",
        lambda fx, i: f"/admin/experts/{fx.pool}/slots",
        auth="admin",
        body=lambda fx, i: {"slots": [{"start": _iso(fx.addable[i])}]},
    ),
    Route(
        "admin delete slot",
        "DELETE",
        lambda fx, i: f"/admin/experts/{fx.pool}/slots/{_iso(fx.deletable[i])}",
        auth="admin",
    ),
]


class Fixture:
    """Data in the table for `size` repetitions of every route."""

    expert = "bench-expert"
    pool = "bench-pool"
    client_email = "client@example.com"

    def __init__(self, repo: Any, size: int, now: datetime | None = None):
        self.now = now or datetime.now(timezone.utc)
        self.size = size
        self.etag = ""
        self.admin_token = ""
        self.client_token = ""
        self.credentials: dict[str, str] = {}
        repo.put_expert(_expert(self.expert, "Bench Expert"))
        repo.put_expert(_expert(self.pool, "Pool Expert"))
        repo.put_expert(_expert("bench-other", "Other Expert", category="Design"))
        repo.import_slots(working_days(self.expert, self.now, days=15))
        hours = [
            self.now.replace(minute=0, second=0, microsecond=0) + timedelta(days=20, hours=h) for h in range(6 * size)
        ]
        book, pending, cancellable, self.deletable, self.addable = (hours[k::6] for k in range(5))
        self.free = book
        repo.import_slots([Slot(self.pool, s, s + timedelta(hours=1)) for s in book + pending + cancellable])
        repo.import_slots([Slot(self.pool, s, s + timedelta(hours=1)) for s in self.deletable])
        self.pending = [self._book(repo, s, f"pool{n}@example.com") for n, s in enumerate(pending)]
        self.cancellable = [self._book(repo, s, self.client_email) for s in cancellable]

    def _book(self, repo: Any, start: datetime, email: str) -> str:
        booking = Booking(
            id=secrets.token_urlsafe(16),
            expert_id=self.pool,
            expert_name="Pool Expert",
            slot_start=start,
            slot_end=start + timedelta(hours=1),
            name="Bench Client",
            email=email,
            phone="+442079460958",
            notes="",
            status=Status.PENDING,
            created_at=self.now,
            updated_at=self.now,
        )
        repo.create_booking(booking, not_before=self.now, now=self.now)
        return booking.id

    def booking_body(self, i: int) -> dict[str, str]:
        return {
            "expertId": self.pool,
            "slotStart": _iso(self.free[i]),
            "name": "Bench Client",
            "email": f"booker{i}@example.com",
            "phone": "+44 20 7946 0958",
        }

    def new_expert(self, i: int) -> dict[str, Any]:
        return {
            "name": f"New Expert {i}",
            "category": "Engineering",
            "experienceYears": 5,
            "rating": 4.5,
            "bio": "Benchmarks.",
            "timezone": "Europe/Berlin",
            "sessionMinutes": 60,
        }


def _expert(expert_id: str, name: str, category: str = "Engineering") -> Expert:
    return Expert(expert_id, name, category, 10, 4.7, "Measured.", "Europe/London", 60)


def working_days(expert_id: str, now: datetime, days: int) -> list[Slot]:
    """09:00-17:00 London, hourly, from today: about the seed's density (8 slots a day)."""
    tz = timeutil.zone("Europe/London")
    today = timeutil.today_in(tz, now)
    return [
        Slot(expert_id, begin, end)
        for d in range(days)
        for begin, end in timeutil.working_slots(today + timedelta(days=d), tz, time(9), time(17), 60)
    ]
