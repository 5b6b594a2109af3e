"""Waitlist use cases on the in-memory fake (issue 12, part 4): joining, verifying, and who hears of a
freed slot. The fake keeps the repository contract (tests/integration/test_waitlist_contract.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib import waitlist_mail
from chalicelib.domain import Booking, Status
from chalicelib.errors import ExpertNotFound, Forbidden, ValidationFailed
from chalicelib.services import access, waitlist
from chalicelib.services.experts import Catalog
from chalicelib.waitlist import (
    JOINS_PER_EMAIL_HOUR,
    JOINS_PER_IP_HOUR,
    SlotsAvailable,
    TooManyWaitlistRequests,
    WaitlistEntryNotFound,
    email_digest,
    token_subject,
)
from tests.conftest import NOW, make_expert, make_slot
from tests.fakes import FakeRepository

DAY = date(2026, 3, 21)  # the expert is in Europe/London (UTC+0 until 29 March)
START = NOW + timedelta(days=1)  # 2026-03-21 09:00Z
SECRET = "test-secret-of-at-least-32-bytes-long"
VERIFY = waitlist.JoinPolicy(verify=True, min_notice=timedelta(minutes=60), source_ip="203.0.113.9")
APP = "http://app.test"


def taken(repo: FakeRepository, start=START, booking_id: str = "held", email: str = "someone@example.com") -> None:
    slot = repo.slots[("exp-1", start)]
    repo.slots[("exp-1", start)] = replace(slot, booking_id=booking_id)
    repo.bookings[booking_id] = Booking(
        booking_id, "exp-1", "Ada Lovelace", start, slot.end, "X", email, "+441234567890", "",
        Status.CONFIRMED, NOW, NOW,
    )  # fmt: skip


@pytest.fixture
def repo() -> FakeRepository:
    repo = FakeRepository()
    repo.put_expert(make_expert())
    repo.add_slots([make_slot(start=START), make_slot(start=START + timedelta(hours=1))])
    taken(repo)
    taken(repo, START + timedelta(hours=1), "held-2")
    return repo


def join(repo: FakeRepository, email: str = "wait@example.com", day: date = DAY, policy=VERIFY) -> None:
    waitlist.join(repo, Catalog(repo, 30), "exp-1", email, day, now=NOW, policy=policy)


def test_joining_a_full_day_stores_one_unverified_entry_and_asking_again_only_counts_an_ask(
    repo: FakeRepository,
) -> None:
    join(repo, "Wait@Example.com")
    join(repo)
    [entry] = repo.waitlist("exp-1", DAY)
    assert (entry.email, entry.verified_at, entry.expires_at) == ("wait@example.com", None, NOW + timedelta(hours=24))
    assert repo.waitlist_asks[("exp-1", DAY, email_digest("wait@example.com"))] == 2


def test_verification_off_makes_the_entry_count_at_once_until_a_day_after_its_date(repo: FakeRepository) -> None:
    join(repo, policy=replace(VERIFY, verify=False))
    [entry] = repo.waitlist("exp-1", DAY)
    assert entry.verified_at == NOW and entry.live_at(NOW)
    assert entry.expires_at == NOW.replace(hour=0) + timedelta(days=3)  # midnight after 22 March, London
    join(repo, policy=replace(VERIFY, verify=False))  # known and verified: nothing changes
    assert repo.waitlist("exp-1", DAY) == [entry]


def test_a_day_with_a_free_slot_past_or_too_far_days_and_days_without_sessions_are_refused(
    repo: FakeRepository,
) -> None:
    repo.add_slots([make_slot(start=START + timedelta(hours=2))])
    with pytest.raises(SlotsAvailable):
        join(repo)
    with pytest.raises(ValidationFailed) as past:
        join(repo, day=DAY - timedelta(days=2))
    assert past.value.details[0]["field"] == "date"
    with pytest.raises(ValidationFailed):
        join(repo, day=DAY + timedelta(days=61))
    with pytest.raises(ValidationFailed, match="not valid") as empty:
        join(repo, day=DAY + timedelta(days=1))
    assert "no sessions" in empty.value.details[0]["message"]
    with pytest.raises(ExpertNotFound):
        waitlist.join(repo, Catalog(repo, 30), "nobody", "a@example.com", DAY, now=NOW, policy=VERIFY)
    assert repo.waitlists == {}


def test_an_email_is_asked_at_most_the_hourly_limit_silently_and_a_busy_ip_is_refused(repo: FakeRepository) -> None:
    for _ in range(JOINS_PER_EMAIL_HOUR + 2):
        join(repo)
    assert repo.waitlist_asks[("exp-1", DAY, email_digest("wait@example.com"))] == JOINS_PER_EMAIL_HOUR
    for n in range(JOINS_PER_IP_HOUR - JOINS_PER_EMAIL_HOUR):
        join(repo, f"other-{n}@example.com")
    with pytest.raises(TooManyWaitlistRequests) as refused:
        join(repo, "one-more@example.com")
    assert refused.value.status == 429 and int(refused.value.headers["Retry-After"]) == 3600
    join(repo, "one-more@example.com", policy=replace(VERIFY, source_ip="198.51.100.1"))  # another network


def grant_for(repo: FakeRepository, email: str, expert_id: str = "exp-1", day: date = DAY) -> access.Grant:
    token = access.waitlist_token(SECRET, token_subject(expert_id, day, email_digest(email)), NOW)
    return access.verify(SECRET, token, NOW, scopes=frozenset({access.WAITLIST}))


def test_the_emailed_link_verifies_its_own_entry_only(repo: FakeRepository) -> None:
    join(repo)
    join(repo, "other@example.com")
    entry = waitlist.verify(repo, Catalog(repo, 30), grant_for(repo, "wait@example.com"), "exp-1", NOW)
    assert entry.verified_at == NOW and entry.email == "wait@example.com"
    again = waitlist.verify(repo, Catalog(repo, 30), grant_for(repo, "wait@example.com"), "exp-1", NOW)
    assert again.verified_at == NOW
    assert [e.verified_at for e in repo.waitlist("exp-1", DAY) if e.email == "other@example.com"] == [None]
    with pytest.raises(Forbidden):  # a link for this expert's waitlist used on another expert's
        repo.put_expert(make_expert("exp-2"))
        waitlist.verify(repo, Catalog(repo, 30), grant_for(repo, "other@example.com"), "exp-2", NOW)
    booking_grant = access.Grant(access.VERIFY, token_subject("exp-1", DAY, email_digest("x")), NOW)
    with pytest.raises(Forbidden):
        waitlist.verify(repo, Catalog(repo, 30), booking_grant, "exp-1", NOW)
    with pytest.raises(WaitlistEntryNotFound):  # nobody asked with this address
        waitlist.verify(repo, Catalog(repo, 30), grant_for(repo, "stranger@example.com"), "exp-1", NOW)


def test_an_unverified_request_lapses_after_a_day(repo: FakeRepository) -> None:
    join(repo)
    later = NOW + timedelta(hours=24)
    with pytest.raises(WaitlistEntryNotFound):
        waitlist.verify(repo, Catalog(repo, 30), grant_for(repo, "wait@example.com"), "exp-1", later)


def test_the_verification_email_carries_a_waitlist_token_for_that_entry(repo: FakeRepository) -> None:
    join(repo)
    [entry] = repo.waitlist("exp-1", DAY)
    found = waitlist.verification_emails(repo, waitlist_mail, entry, "ev-1", app_url=APP, secret=SECRET, now=NOW)
    [(key, email)] = found
    assert key == "ev-1" and email.to == "wait@example.com"
    [link] = [word for word in email.text.split() if word.startswith(APP)]
    assert link.startswith(f"{APP}/waitlist/verify?expert=exp-1&token=")
    grant = access.verify(SECRET, link.split("token=")[1], NOW, scopes=frozenset({access.WAITLIST}))
    assert grant.subject == token_subject("exp-1", DAY, entry.digest) and "wait@" not in grant.subject
    with pytest.raises(Exception, match="cannot be used here"):
        access.verify(SECRET, link.split("token=")[1], NOW, scopes=frozenset({access.VERIFY}))


def verified(repo: FakeRepository, *emails: str) -> None:
    for n, email in enumerate(emails):
        join(repo, email)
        waitlist.verify(repo, Catalog(repo, 30), grant_for(repo, email), "exp-1", NOW + timedelta(minutes=n))


def free(repo: FakeRepository, start=START) -> None:
    key = ("exp-1", start)
    repo.slots[key] = replace(repo.slots[key], booking_id=None)


def notices(repo: FakeRepository, start=START, released_by: str = "held", now=NOW + timedelta(hours=1)):
    slot = repo.slots[("exp-1", start)]
    return waitlist.freed_slot_emails(
        repo, waitlist_mail, slot, released_by, app_url=APP, now=now, min_notice=timedelta(minutes=60)
    )


def test_a_freed_slot_is_offered_to_the_earliest_three_verified_entries_with_a_link_to_it(
    repo: FakeRepository,
) -> None:
    verified(repo, "first@example.com", "second@example.com", "third@example.com", "fourth@example.com")
    join(repo, "unverified@example.com")
    free(repo)
    found = notices(repo)
    assert [email.to for _, email in found] == ["first@example.com", "second@example.com", "third@example.com"]
    assert len({key for key, _ in found}) == 3
    link = f"{APP}/experts/exp-1?slot=2026-03-21T09%3A00%3A00Z"
    assert all(link in email.text and "Ada Lovelace" in email.subject for _, email in found)
    assert "Saturday 21 March 2026, 09:00 (Europe/London)" in found[0][1].text
    # The same slot freed again by another booking is news again (another event key); redelivery is not.
    assert {k for k, _ in notices(repo, released_by="later")}.isdisjoint({k for k, _ in found})
    assert [k for k, _ in notices(repo)] == [k for k, _ in found]


def test_whoever_already_has_a_session_that_day_is_skipped(repo: FakeRepository) -> None:
    verified(repo, "first@example.com", "second@example.com")
    taken(repo, START + timedelta(hours=1), "held-2", email="first@example.com")
    free(repo)
    assert [email.to for _, email in notices(repo)] == ["second@example.com"]


def test_nobody_is_told_of_a_slot_taken_again_too_soon_or_on_another_day(repo: FakeRepository) -> None:
    verified(repo, "first@example.com")
    assert notices(repo) == []  # still held by the time the record is read
    free(repo)
    assert notices(repo, now=START - timedelta(minutes=59)) == []  # inside the minimum notice
    repo.add_slots([make_slot(start=START + timedelta(days=1))])
    assert notices(repo, start=START + timedelta(days=1)) == []  # nobody waits for 22 March
    assert len(notices(repo)) == 1
