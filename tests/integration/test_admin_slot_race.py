"""Two admins adding overlapping slots for one expert at the same time: at most one of them wins.

The overlap check has to read the expert's slots, so the write is a compare-and-set on the expert's
slots version. Without it both requests pass the check and the expert ends up with overlapping
sessions that two clients can book."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import Slot
from chalicelib.services import admin
from chalicelib.services.experts import Catalog
from tests.conftest import NOW, make_expert

DAY = (NOW + timedelta(days=2)).replace(hour=10, minute=0)


@pytest.fixture(params=["fake", "dynamodb"])
def repo(request: pytest.FixtureRequest) -> Any:
    store = request.getfixturevalue("fake_repo" if request.param == "fake" else "dynamo_repo")
    store.put_expert(make_expert(session_minutes=60))
    return store


def overlapping(slots: Sequence[Slot]) -> list[tuple[datetime, datetime]]:
    ordered = sorted(slots, key=lambda s: s.start)
    return [(a.start, b.start) for a, b in itertools.pairwise(ordered) if b.start < a.end]


class Interleaving:
    """The store, except that right after the first admin reads the slots, a second admin adds one."""

    def __init__(self, store: Any, competitor: datetime):
        self._store = store
        self._competitor: datetime | None = competitor
        self.competitor_result: tuple[int, int] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def list_slots(self, *args: Any, **kwargs: Any) -> list[Slot]:
        found: list[Slot] = self._store.list_slots(*args, **kwargs)
        if self._competitor is not None:
            start, self._competitor = self._competitor, None
            self.competitor_result = admin.add_slots(self._store, Catalog(self._store, 30), "exp-1", [start], NOW)
        return found


def test_a_slot_added_between_the_check_and_the_write_is_seen(repo: Any) -> None:
    store = Interleaving(repo, competitor=DAY + timedelta(minutes=30))
    created, skipped = admin.add_slots(store, Catalog(repo, 30), "exp-1", [DAY], NOW)
    assert store.competitor_result == (1, 0)  # 10:30-11:30 went in first
    assert (created, skipped) == (0, 1)  # so 10:00-11:00 overlaps it and is skipped on the re-read
    slots = repo.list_slots("exp-1", DAY - timedelta(hours=1), DAY + timedelta(hours=3))
    assert [s.start for s in slots] == [DAY + timedelta(minutes=30)]


def test_concurrent_admins_never_create_overlapping_slots(dynamo_repo: Any) -> None:
    """Real threads against moto over HTTP, where the read and the write are separate requests (the fake
    runs each call under one lock and so could not show this race)."""
    repo = dynamo_repo
    repo.put_expert(make_expert(session_minutes=60))
    starts = [DAY + timedelta(minutes=15 * i) for i in range(8)]  # hour-long sessions, 15 minutes apart
    barrier = threading.Barrier(len(starts))
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def add(start: datetime) -> None:
        barrier.wait()
        try:
            results.append(admin.add_slots(repo, Catalog(repo, 30), "exp-1", [start], NOW))
        except BaseException as exc:  # a 503 after the retry budget is an acceptable answer, an overlap is not
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(start,)) for start in starts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots = repo.list_slots("exp-1", DAY - timedelta(hours=1), DAY + timedelta(hours=4))
    assert overlapping(slots) == []
    assert sum(created for created, _ in results) == len(slots) >= 1
    assert all(type(e).__name__ == "ServiceUnavailable" for e in errors), errors
