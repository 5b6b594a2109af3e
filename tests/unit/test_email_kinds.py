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


def test_the_status_machine_is_published_in_the_openapi_document() -> None:
    import app as app_module
    from chalicelib import openapi
    from chalicelib.domain import ADMIN_TARGETS, HOLDING

    status = openapi.document(app_module.operations)["components"]["schemas"]["Status"]
    assert set(status["enum"]) == {s.value for s in Status}
    assert status["x-transitions"] == {s.value: sorted(t.value for t in TRANSITIONS[s]) for s in Status}
    assert set(status["x-admin-targets"]) == {s.value for s in ADMIN_TARGETS}
    assert set(status["x-holding"]) == {s.value for s in HOLDING}
