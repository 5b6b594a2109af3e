"""The waitlist's repository contract on the fake, moto and Amazon DynamoDB Local: one entry per email
and date (even under concurrent joins), the hourly limits, verification and lapsing."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.db.repository import DynamoRepository
from chalicelib.waitlist import JoinOutcome, WaitlistEntry
from tests.conftest import NOW
from tests.hardening.test_dynamodb_local import dynamodb_url, local_client, local_table  # noqa: F401

DAY = date(2026, 3, 21)
LAPSES = NOW + timedelta(hours=24)
KEPT = NOW + timedelta(days=3)
LIMITS = [("email:e1", 5), ("ip:i1", 30)]


def entry(email: str = "wait@example.com", verified: bool = False, day: date = DAY) -> WaitlistEntry:
    return WaitlistEntry("exp-1", day, email, NOW, KEPT if verified else LAPSES, NOW if verified else None)


class WaitlistContract:
    repo: Any

    def test_one_entry_per_email_and_date_and_a_verified_one_is_left_alone(self) -> None:
        assert self.repo.join_waitlist(entry(), LIMITS, NOW) == JoinOutcome.JOINED
        assert self.repo.join_waitlist(entry(), LIMITS, NOW + timedelta(minutes=5)) == JoinOutcome.JOINED
        assert self.repo.join_waitlist(entry(day=DAY + timedelta(days=1)), LIMITS, NOW) == JoinOutcome.JOINED
        [stored] = self.repo.waitlist("exp-1", DAY)
        assert stored == entry()  # created_at kept from the first ask
        found = self.repo.verify_waitlist_entry("exp-1", DAY, stored.digest, NOW + timedelta(hours=1), KEPT)
        assert found == replace(entry(), verified_at=NOW + timedelta(hours=1), expires_at=KEPT)
        again = self.repo.verify_waitlist_entry("exp-1", DAY, stored.digest, NOW + timedelta(hours=2), KEPT)
        assert again == found  # verified once, at the first opening
        assert self.repo.join_waitlist(entry(), LIMITS, NOW) == JoinOutcome.ALREADY_VERIFIED
        assert self.repo.waitlist("exp-1", DAY) == [found]

    def test_verification_off_stores_a_verified_entry_once(self) -> None:
        assert self.repo.join_waitlist(entry(verified=True), LIMITS, NOW) == JoinOutcome.JOINED
        assert self.repo.join_waitlist(entry(verified=True), LIMITS, NOW) == JoinOutcome.ALREADY_VERIFIED
        assert self.repo.waitlist("exp-1", DAY) == [entry(verified=True)]

    def test_an_unknown_or_lapsed_request_cannot_be_verified(self) -> None:
        self.repo.join_waitlist(entry(), LIMITS, NOW)
        digest = entry().digest
        assert self.repo.verify_waitlist_entry("exp-1", DAY, "0" * 40, NOW, KEPT) is None
        assert self.repo.verify_waitlist_entry("exp-1", DAY + timedelta(days=1), digest, NOW, KEPT) is None
        assert self.repo.verify_waitlist_entry("exp-1", DAY, digest, LAPSES, KEPT) is None
        assert self.repo.waitlist("exp-1", DAY)[0].verified_at is None

    def test_the_hourly_limits_write_nothing_once_full_and_the_ip_one_says_so(self) -> None:
        limits = [("email:e1", 2), ("ip:i1", 3)]
        for n in range(2):
            assert self.repo.join_waitlist(entry(day=DAY + timedelta(days=n)), limits, NOW) == JoinOutcome.JOINED
        late = entry(day=DAY + timedelta(days=5))
        assert self.repo.join_waitlist(late, limits, NOW) == JoinOutcome.EMAIL_LIMITED
        assert self.repo.join_waitlist(late, limits, NOW + timedelta(hours=1)) == JoinOutcome.JOINED  # next hour
        other = entry("other@example.com")
        assert self.repo.join_waitlist(other, [("email:e2", 2), ("ip:i1", 3)], NOW) == JoinOutcome.JOINED
        assert self.repo.join_waitlist(other, [("email:e2", 2), ("ip:i1", 3)], NOW) == JoinOutcome.IP_LIMITED
        assert self.repo.waitlist("exp-1", DAY + timedelta(days=5)) == [late]

    def test_concurrent_joins_of_one_email_and_date_make_one_entry(self) -> None:
        """Eight clients join with the same address at once (verification off): one entry, one JOINED."""
        mine = entry(verified=True)
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(lambda n: self.repo.join_waitlist(mine, [(f"ip:{n}", 30)], NOW), range(8)))
        assert sorted(outcomes) == [JoinOutcome.ALREADY_VERIFIED] * 7 + [JoinOutcome.JOINED]
        others = [entry(f"w{n}@example.com", verified=True) for n in range(6)]
        with ThreadPoolExecutor(6) as pool:
            assert set(pool.map(lambda e: self.repo.join_waitlist(e, [], NOW), others)) == {JoinOutcome.JOINED}
        stored = self.repo.waitlist("exp-1", DAY)
        assert sorted(e.email for e in stored) == sorted(["wait@example.com"] + [e.email for e in others])


class TestFakeWaitlist(WaitlistContract):
    @pytest.fixture(autouse=True)
    def _repo(self, fake_repo: Any) -> None:
        self.repo = fake_repo


class TestMotoWaitlist(WaitlistContract):
    @pytest.fixture(autouse=True)
    def _repo(self, dynamo_repo: DynamoRepository) -> None:
        self.repo = dynamo_repo


@pytest.mark.skipif(shutil.which("java") is None, reason="DynamoDB Local needs Java 17 (`java` not found)")
class TestDynamoDBLocalWaitlist(WaitlistContract):
    @pytest.fixture(autouse=True)
    def _repo(self, local_client: Any, local_table: str) -> None:  # noqa: F811
        self.repo = DynamoRepository(local_client, local_table)
