"""Statuses, their emails and their templates stay in step (issue 11): a new status must say which
email it sends (or None), and every email kind has a subject and a body."""

from __future__ import annotations

from chalicelib import mail
from chalicelib.domain import EMAIL_FOR_STATUS, TRANSITIONS, Status


def test_every_status_says_which_email_it_sends() -> None:
    assert set(EMAIL_FOR_STATUS) == set(Status) == set(TRANSITIONS)


def test_every_email_kind_has_a_template() -> None:
    kinds = {kind for kind in EMAIL_FOR_STATUS.values() if kind} | {"received", "received_firm"}
    assert kinds <= set(mail.SUBJECTS) and kinds <= set(mail.BODIES)
