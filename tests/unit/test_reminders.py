"""Reminder emails (issue 12, part 3) on the in-memory fake: once per reminder however often the
scheduled function runs, only for confirmed sessions not yet started, the nearest due offset only,
and a manage link whose token opens that booking alone."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from chalicelib import mail
from chalicelib.config import ConfigError, Settings
from chalicelib.domain import Email, Status
from chalicelib.errors import EmailRefused, Forbidden
from chalicelib.services import access, clients, notifications, reminders
from tests.conftest import NOW, make_expert, make_slot
from tests.fakes import FakeRepository
from tests.reminder_fixtures import APP_URL, SECRET, Outbox, booking_at, run, store_booking


@pytest.fixture
def repo() -> FakeRepository:
    return FakeRepository()


def manage_query(email: Email) -> dict[str, str]:
    (link,) = [word for word in email.text.split() if "/my-bookings?" in word]
    return dict(parse_qsl(urlsplit(link).query))


def test_each_reminder_is_sent_once_when_the_function_runs_twice(repo: FakeRepository) -> None:
    start = NOW + timedelta(hours=23)
    store_booking(repo, booking_at(start))
    outbox = Outbox()
    assert run(repo, outbox)[notifications.SENT] == 1
    again = run(repo, outbox, NOW + timedelta(minutes=5))
    assert (again[notifications.SENT], again[notifications.DUPLICATE]) == (0, 1)
    assert [e.subject for e in outbox.sent] == ["Reminder: your session starts in 23 hours"]
    assert run(repo, outbox, start - timedelta(minutes=58))[notifications.SENT] == 1
    assert run(repo, outbox, start - timedelta(minutes=53))[notifications.SENT] == 0
    assert [e.subject for e in outbox.sent][1] == "Reminder: your session starts in 58 minutes"
    assert set(repo.emails) == {f"booking:b-1:reminder:{offset}:{start:%Y%m%dT%H%MZ}" for offset in (1440, 60)}


def test_concurrent_runs_send_each_reminder_once(repo: FakeRepository) -> None:
    for n in range(5):
        store_booking(repo, booking_at(NOW + timedelta(minutes=30 + n), f"b-{n}"))
    outbox, runs = Outbox(), 8
    barrier = threading.Barrier(runs)

    def one_run() -> None:
        barrier.wait()
        run(repo, outbox)

    threads = [threading.Thread(target=one_run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(e.to for e in outbox.sent) == [f"b-{n}@example.com" for n in range(5)]


def test_only_confirmed_sessions_that_have_not_started_are_reminded(repo: FakeRepository) -> None:
    soon = NOW + timedelta(minutes=30)
    for status in (Status.PENDING, Status.CANCELLED, Status.EXPIRED, Status.COMPLETED):
        store_booking(repo, booking_at(soon, status.value, status))
    store_booking(repo, booking_at(NOW - timedelta(minutes=10), "started"))
    store_booking(repo, booking_at(NOW, "starting-now"))
    store_booking(repo, booking_at(NOW + timedelta(hours=24, minutes=1), "not-yet"))
    outbox = Outbox()
    assert sum(run(repo, outbox).values()) == 0
    assert outbox.sent == []
    store_booking(repo, booking_at(soon, "firm"))
    run(repo, outbox)
    assert [e.to for e in outbox.sent] == ["firm@example.com"]


def test_only_the_nearest_due_offset_is_sent(repo: FakeRepository) -> None:
    start = NOW + timedelta(minutes=30)  # both the 24 h and the 1 h reminder are due
    store_booking(repo, booking_at(start))
    outbox = Outbox()
    for minutes in (0, 5, 10, 25):
        run(repo, outbox, NOW + timedelta(minutes=minutes))
    assert [e.subject for e in outbox.sent] == ["Reminder: your session starts in 30 minutes"]
    assert list(repo.emails) == [f"booking:b-1:reminder:60:{start:%Y%m%dT%H%MZ}"]


@pytest.mark.parametrize(
    ("minutes_before", "expected"), [(24 * 60 + 1, None), (24 * 60, 1440), (61, 1440), (60, 60), (1, 60), (0, None)]
)
def test_the_due_offset_at_each_moment(minutes_before: int, expected: int | None) -> None:
    start = NOW + timedelta(minutes=minutes_before)
    assert reminders.due_offset((1440, 60), start, NOW) == expected


def test_the_manage_link_token_opens_that_booking_only(repo: FakeRepository) -> None:
    mine = store_booking(repo, booking_at(NOW + timedelta(minutes=45)))
    other = store_booking(repo, booking_at(NOW + timedelta(days=3), "b-other"))
    outbox = Outbox()
    run(repo, outbox)
    (email,) = outbox.sent
    query = manage_query(email)
    assert query["booking"] == mine.id
    grant = access.client_grant(SECRET, query["manage"], NOW)
    assert clients.get_booking(repo, grant, mine.id, NOW).id == mine.id
    with pytest.raises(Forbidden):
        clients.get_booking(repo, grant, other.id, NOW)
    with pytest.raises(Forbidden):
        clients.my_bookings(repo, grant, mine.email, NOW)
    cancelled = clients.cancel_booking(repo, grant, mine.id, now=NOW, cutoff=timedelta(0))
    assert cancelled.status is Status.CANCELLED


def test_the_email_shows_the_time_in_the_experts_zone_and_attaches_the_invite(repo: FakeRepository) -> None:
    repo.put_expert(make_expert("exp-b-1", timezone="Asia/Kolkata"))
    store_booking(repo, booking_at(NOW + timedelta(minutes=50)))  # 09:50 UTC on 20 March: 15:20 in Kolkata
    outbox = Outbox()
    run(repo, outbox)
    (email,) = outbox.sent
    assert "Friday 20 March 2026, 15:20 (Asia/Kolkata)" in email.text
    assert email.ics is not None and "UID:b-1@expert-booking" in email.ics


def test_a_transient_failure_is_retried_by_the_next_run_and_a_permanent_one_is_not(repo: FakeRepository) -> None:
    store_booking(repo, booking_at(NOW + timedelta(minutes=30), "refused"))
    store_booking(repo, booking_at(NOW + timedelta(minutes=40), "flaky"))

    def failing(email: Email) -> None:
        if email.to.startswith("refused"):
            raise EmailRefused("invalid_recipient")
        raise TimeoutError

    with pytest.raises(TimeoutError):  # recorded, then raised: the run fails as a Lambda would
        reminders.send_due_reminders(repo, mail, failing, offsets=(60,), now=NOW, app_url=APP_URL, secret=SECRET)
    outbox = Outbox()
    outcomes = run(repo, outbox, NOW + timedelta(minutes=5))
    assert [e.to for e in outbox.sent] == ["flaky@example.com"]
    assert (outcomes[notifications.SENT], outcomes[notifications.DUPLICATE]) == (1, 1)


def test_a_claim_left_by_a_run_that_died_is_taken_over_after_the_lease(repo: FakeRepository) -> None:
    store_booking(repo, booking_at(NOW + timedelta(minutes=50)))
    key = reminders.reminder_key(repo.get_booking("b-1"), 60)  # type: ignore[arg-type]
    assert repo.claim_email_once(key, NOW, reminders.LEASE)  # a run claimed it, then died
    outbox = Outbox()
    run(repo, outbox, NOW + reminders.LEASE - timedelta(seconds=1))
    assert outbox.sent == []
    run(repo, outbox, NOW + reminders.LEASE + timedelta(seconds=1))
    assert len(outbox.sent) == 1


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, (1440, 60)), ("", (1440, 60)), ("60, 1440", (1440, 60)), ("2", (2,))]
)
def test_reminder_offsets_setting(raw: str | None, expected: tuple[int, ...]) -> None:
    env = {} if raw is None else {"REMINDER_OFFSETS_MINUTES": raw}
    assert Settings.from_env(env).reminder_offsets_minutes == expected


@pytest.mark.parametrize("raw", ["abc", "60;30", "0", "-5", "60,60", "10081", "60,"])
def test_invalid_reminder_offsets_fail_at_start_with_the_setting_named(raw: str) -> None:
    with pytest.raises(ConfigError, match="REMINDER_OFFSETS_MINUTES"):
        Settings.from_env({"REMINDER_OFFSETS_MINUTES": raw})


def test_a_moved_session_is_reminded_again_for_its_new_time(repo: FakeRepository) -> None:
    before = store_booking(repo, booking_at(NOW + timedelta(minutes=30)))
    outbox = Outbox()
    run(repo, outbox)
    new_start = NOW + timedelta(minutes=50)
    repo.add_slots([make_slot(before.expert_id, new_start)])
    moved = replace(before, slot_start=new_start, slot_end=new_start + timedelta(hours=1), sequence=before.sequence + 1)
    repo.move_booking(before, moved, not_before=NOW, now=NOW)
    run(repo, outbox, NOW + timedelta(minutes=5))
    run(repo, outbox, NOW + timedelta(minutes=10))
    assert [e.subject for e in outbox.sent] == [
        "Reminder: your session starts in 30 minutes",
        "Reminder: your session starts in 45 minutes",
    ]
    assert "09:50 UTC" in outbox.sent[1].text and "SEQUENCE:1" in (outbox.sent[1].ics or "")
