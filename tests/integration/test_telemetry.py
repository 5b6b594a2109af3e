"""Structured logs and metrics (issue 10): JSON log lines with the service, the logger and the request
id, never an address; CloudWatch metrics (EMF) for bookings, conflicts, hold limits, expired holds and
emails, written once per invocation."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from chalice.test import Client

from chalicelib import telemetry
from devstack.stream_worker import StreamFeeder
from tests.integration.test_clients_and_emails import JSON, START, address, book


def emf_metrics(output: str) -> dict[str, float]:
    """Metric name -> value summed over the EMF lines in `output`."""
    found: dict[str, float] = {}
    for line in output.splitlines():
        if not line.startswith("{") or '"_aws"' not in line:
            continue
        document = json.loads(line)
        assert document["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "ExpertBooking"
        for metric in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            value = document[metric["Name"]]
            found[metric["Name"]] = found.get(metric["Name"], 0) + (sum(value) if isinstance(value, list) else value)
    return found


def test_bookings_and_conflicts_are_counted_once_per_invocation(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    book(client, address())
    body = {"expertId": "exp-1", "slotStart": START.strftime("%Y-%m-%dT%H:%M:%SZ"), "name": "Late"}
    taken = client.http.post(
        "/bookings", headers=JSON, body=json.dumps({**body, "email": address(), "phone": "+442079460958"})
    )
    assert taken.status_code == 409
    client.http.get("/experts")  # counts nothing, writes nothing
    output = capsys.readouterr().out
    assert emf_metrics(output) == {"BookingCreated": 1, "BookingConflict": 1}
    assert output.count('"_aws"') == 2  # one line per invocation that counted


def test_email_outcomes_and_expired_holds_are_counted(
    client: Client, feeder: StreamFeeder, capsys: pytest.CaptureFixture[str]
) -> None:
    import app as app_module
    from chalicelib import deps
    from tests.conftest import NOW
    from tests.integration.test_holds import SCHEDULED

    book(client, address())
    feeder.drain()
    deps.override(clock=lambda: NOW + timedelta(minutes=16))
    capsys.readouterr()
    app_module.expire_unverified_holds(SCHEDULED, None)
    feeder.drain()  # the expired booking's email
    found = emf_metrics(capsys.readouterr().out)
    assert found["HoldsExpired"] == 1 and found["EmailSent"] >= 1


def test_json_logs_carry_the_request_id_and_no_address(client: Client, feeder: StreamFeeder) -> None:
    stream = io.StringIO()
    telemetry.use_json_logs(stream)
    # One line per record: Powertools' handler only, not also the plain one Chalice puts on the logger
    # both share (the app's name), which printed every line twice in the local stack.
    handlers = logging.getLogger("chalicelib").handlers
    assert len(handlers) == 1 and isinstance(handlers[0].formatter, LambdaPowertoolsFormatter)
    try:
        who = address()
        book(client, who)
        feeder.drain()  # the consumer logs each email it sends (masked)
    finally:
        telemetry.use_plain_logs()
    lines: list[dict[str, Any]] = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    sent = [line for line in lines if "sent to" in line["message"]]
    assert sent, stream.getvalue()
    assert {line["service"] for line in lines} == {"expert-booking"}
    assert all(line["name"].startswith("chalicelib") for line in sent)
    assert all("level" in line and "timestamp" in line for line in lines)
    assert who not in stream.getvalue() and who.split("@")[0] not in stream.getvalue()
