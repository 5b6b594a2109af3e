"""Demo data: ~48 experts in 8 categories, each with a weekly availability rule (their working hours,
in their zone) whose slots run 14 days from today, and a few bookings in every status; the past days'
sessions that the bookings' history needs are made from the same hours. Deterministic for a given
seed; safe to run again (idempotent).

    python -m devstack.seed [--seed 42]
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, timezone
from typing import Any

from chalicelib import timeutil
from chalicelib.db.items import sort_name
from chalicelib.domain import WEEKDAYS, Availability, Booking, Expert, Slot, Status, transition
from chalicelib.services import availability
from chalicelib.services.experts import Catalog

CATEGORIES = ["Career", "Design", "Engineering", "Finance", "Health", "Language", "Legal", "Marketing"]
ZONES = [
    "Asia/Kolkata",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Europe/Berlin",
    "Asia/Tokyo",
    "America/Sao_Paulo",
]
FIRST = [
    "Aarav",
    "Zoë",
    "Liam",
    "Priya",
    "Mateo",
    "Chloé",
    "Noah",
    "Ananya",
    "Lukas",
    "Amélie",
    "Kenji",
    "Sofía",
    "Ethan",
    "Ingrid",
    "Omar",
    "Léa",
    "Ravi",
    "Hannah",
    "Diego",
    "Mei",
]
LAST = [
    "Sharma",
    "Müller",
    "Okafor",
    "García",
    "Nguyen",
    "Dubois",
    "Kowalski",
    "Tanaka",
    "Silva",
    "Andersson",
    "Iyer",
    "O'Brien",
    "Rossi",
    "Haddad",
    "Novak",
    "Fernández",
]
PAST_DAYS = 3
FUTURE_DAYS = 14
EXPERTS_PER_CATEGORY = 6


@dataclass(frozen=True)
class Plan:
    expert: Expert
    start: time
    end: time
    weekdays: frozenset[int]


def experts(rng: random.Random) -> list[Plan]:
    plans = []
    names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], len(CATEGORIES) * EXPERTS_PER_CATEGORY)
    for index, name in enumerate(names):
        category = CATEGORIES[index % len(CATEGORIES)]
        expert = Expert(
            id=f"exp-{index + 1:03d}",
            name=name,
            category=category,
            experience_years=rng.randint(1, 30),
            rating=round(rng.uniform(3.5, 5.0), 1),
            bio=f"{name.split()[0]} helps clients with {category.lower()} questions in focused one-to-one sessions.",
            timezone=ZONES[index % len(ZONES)],
            session_minutes=rng.choice([30, 45, 60]),
        )
        start_hour = rng.choice([8, 9, 10])
        weekdays = frozenset(range(6) if rng.random() < 0.25 else range(5))
        plans.append(Plan(expert, time(start_hour), time(start_hour + 8), weekdays))
    return plans


def rule_for(plan: Plan) -> Availability:
    """The expert's working hours as a weekly rule, slots kept FUTURE_DAYS ahead."""
    hours = ((plan.start, plan.end),)
    return Availability(
        weekly={WEEKDAYS[d]: hours for d in sorted(plan.weekdays)}, overrides={}, horizon_days=FUTURE_DAYS
    )


def slots_for(plan: Plan, now: datetime) -> list[Slot]:
    """The sessions the rule makes from PAST_DAYS ago to the end of its horizon (past ones for history)."""
    tz = timeutil.zone(plan.expert.timezone)
    first = timeutil.today_in(tz, now) - timedelta(days=PAST_DAYS)
    made = availability.sessions(rule_for(plan), plan.expert, first, PAST_DAYS + FUTURE_DAYS)
    return [Slot(plan.expert.id, start, end) for start, end in made]


STORY = [  # (status path, which slot) — completed sessions lie in the past
    ([Status.CONFIRMED, Status.COMPLETED], "past"),
    ([Status.CANCELLED], "past"),
    ([], "future"),
    ([Status.CONFIRMED], "future"),
    ([Status.CANCELLED], "future"),
    ([Status.EXPIRED], "future"),  # an unverified hold that ran out; its slot is free again
    ([Status.CONFIRMED], "started"),  # confirmed and already started: an admin can try "Mark completed"
]


def bookings_for(
    plan: Plan, slots: list[Slot], now: datetime, rng: random.Random
) -> list[tuple[Booking, list[Status]]]:
    started = [s for s in slots if s.start <= now][-1:]  # the latest session to have started
    past = [s for s in slots if s.end < now and s not in started]
    future = [s for s in slots if s.start > now + timedelta(days=1)]
    result = []
    for number, (path, when) in enumerate(STORY):
        pool = {"past": past, "future": future, "started": started}[when]
        if not pool:
            continue
        slot = pool[(number * 7 + 3) % len(pool)]
        first = FIRST[rng.randrange(len(FIRST))]
        booking = Booking(
            id=f"{rng.getrandbits(128):032x}",
            expert_id=plan.expert.id,
            expert_name=plan.expert.name,
            slot_start=slot.start,
            slot_end=slot.end,
            name=f"{first} Demo",
            email=f"{sort_name(first)}.demo{number}@example.com",
            phone=f"+4420794600{rng.randint(10, 99)}",
            notes="Demo booking created by the seed script.",
            status=Status.PENDING,
            created_at=slot.start - timedelta(days=3),
            updated_at=slot.start - timedelta(days=3),
        )
        if path == [Status.EXPIRED]:
            created = now - timedelta(days=1)
            booking = replace(
                booking,
                created_at=created,
                updated_at=created,
                email_verified=False,
                hold_expires_at=created + timedelta(minutes=15),
            )
        result.append((booking, path))
    return result


def seed(repo: Any, now: datetime, seed_value: int = 42, booked_experts: int = 8) -> dict[str, int]:
    rng = random.Random(seed_value)
    counts = {"experts": 0, "slots": 0, "bookings": 0}
    catalog = Catalog(repo, 60)
    for index, plan in enumerate(experts(rng)):
        repo.put_expert(plan.expert)
        counts["experts"] += 1
        slots = slots_for(plan, now)
        # Past sessions (history for the demo bookings) are imported; the rule makes the bookable ones.
        counts["slots"] += repo.import_slots([s for s in slots if s.start <= now])
        counts["slots"] += availability.set_availability(repo, catalog, plan.expert.id, rule_for(plan), now).created
        if index < booked_experts:
            counts["bookings"] += _book(repo, bookings_for(plan, slots, now, rng), now)
    return counts


def _book(repo: Any, stories: list[tuple[Booking, list[Status]]], now: datetime) -> int:
    made = 0
    for booking, path in stories:
        if repo.get_booking(booking.id) is not None:
            continue
        if path == [Status.EXPIRED]:  # taken while the hold was live, then written down by the sweep
            live = booking.created_at
            repo.create_booking(booking, not_before=booking.slot_start, now=live)
            repo.expire_hold(booking, now)
            made += 1
            continue
        repo.create_booking(booking, not_before=booking.slot_start, now=now)
        current = booking
        for target in path:
            moved = transition(current, target, max(now, current.slot_start))
            repo.save_transition(current, moved)
            current = moved
        made += 1
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    from chalicelib import deps

    counts = seed(deps.repository(), datetime.now(timezone.utc), args.seed)
    print(f"seeded {counts['experts']} experts, {counts['slots']} new slots, {counts['bookings']} new bookings")


if __name__ == "__main__":
    main()
