"""The reminders' store contract on the fake and on DynamoDB (moto_server), and concurrent scheduled runs
on DynamoDB Local (Amazon's own implementation of the conditional write that makes a claim exclusive)."""

from __future__ import annotations

import shutil
import threading
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.db.repository import DynamoRepository
from chalicelib.domain import FailedEmail, Status
from chalicelib.services import reminders
from tests.conftest import NOW
from tests.hardening.test_dynamodb_local import dynamodb_url, local_client, local_table  # noqa: F401 (fixtures)
from tests.reminder_fixtures import Outbox, booking_at, run, store_booking

LEASE = timedelta(minutes=15)


def test_confirmed_starting_reads_only_confirmed_bookings_in_the_window_by_start(repo: Any) -> None:
    store_booking(repo, booking_at(NOW + timedelta(hours=2), "later"))
    store_booking(repo, booking_at(NOW + timedelta(hours=1), "sooner"))
    store_booking(repo, booking_at(NOW + timedelta(hours=1), "pending", Status.PENDING))
    store_booking(repo, booking_at(NOW + timedelta(hours=1), "cancelled", Status.CANCELLED))
    store_booking(repo, booking_at(NOW, "at-now"))
    store_booking(repo, booking_at(NOW + timedelta(hours=3, minutes=1), "outside"))
    found = repo.confirmed_starting(NOW, NOW + timedelta(hours=3))
    assert [b.id for b in found] == ["sooner", "later"]
    assert found[0].status is Status.CONFIRMED and found[0].email == "sooner@example.com"


def test_a_claim_is_exclusive_until_the_lease_ends_and_final_once_sent(repo: Any) -> None:
    key = "booking:b-1:reminder:60:20260320T1000Z"
    assert repo.claim_email_once(key, NOW, LEASE)
    assert not repo.claim_email_once(key, NOW + timedelta(minutes=14), LEASE)
    assert repo.claim_email_once(key, NOW + timedelta(minutes=16), LEASE)  # the first claimant died
    repo.mark_email(key, "sent")
    assert not repo.claim_email_once(key, NOW + timedelta(days=1), LEASE)


def test_a_transient_failure_may_be_claimed_again_a_permanent_one_not(repo: Any) -> None:
    for key, reason in (("k-transient", "transient:TimeoutError"), ("k-permanent", "permanent:invalid_recipient")):
        assert repo.claim_email_once(key, NOW, LEASE)
        repo.record_email_failure(FailedEmail(key, "a@example.com", "s", "t", None, reason, NOW))
    assert repo.claim_email_once("k-transient", NOW + timedelta(minutes=1), LEASE)
    assert not repo.claim_email_once("k-permanent", NOW + timedelta(minutes=1), LEASE)


@pytest.mark.skipif(shutil.which("java") is None, reason="DynamoDB Local needs Java 17 (`java` not found)")
def test_concurrent_runs_on_dynamodb_local_send_each_reminder_once(local_client: Any, local_table: str) -> None:  # noqa: F811
    repo = DynamoRepository(local_client, local_table)
    for n in range(4):
        store_booking(repo, booking_at(NOW + timedelta(minutes=20 + n), f"r-{n}"))
    store_booking(repo, booking_at(NOW + timedelta(hours=20), "day-ahead"))
    outbox, runs = Outbox(), 6
    barrier = threading.Barrier(runs)
    errors: list[BaseException] = []

    def one_run() -> None:
        barrier.wait()
        try:
            run(repo, outbox)
        except BaseException as exc:  # surfaced below: a thread's exception would otherwise be lost
            errors.append(exc)

    threads = [threading.Thread(target=one_run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(e.to for e in outbox.sent) == ["day-ahead@example.com"] + [f"r-{n}@example.com" for n in range(4)]
    run(repo, outbox, NOW + timedelta(minutes=5))  # and a later run adds nothing
    assert len(outbox.sent) == 5
    assert reminders.reminder_key(repo.get_booking("r-0"), 60).startswith("booking:r-0:reminder:60:")
