"""Feed the local table's stream to the same handler Lambda runs (app.send_booking_emails: emails, and
the catalog snapshot in S3 (moto) republished when experts change).

Polls the table's stream (DynamoDB Local's in the running stack; moto's in the in-process
tests), builds Lambda-shaped events and calls the handler. A failing
batch is retried (from the same position) with backoff, as Lambda would. Prints each email
sent — masked recipient, subject and any link — so magic links are usable locally.

It also runs the app's scheduled functions (app.expire_unverified_holds and app.send_session_reminders,
`@app.schedule` on Lambda) every SWEEP_SECONDS, as EventBridge would, so expired holds are written down
and reminders sent locally too; and the availability roll (app.roll_availability) once at start and then
every ROLL_SECONDS.
"""

from __future__ import annotations

import email
import json
import os
import re
import sys
import time
import traceback
import urllib.request
from pathlib import Path
from typing import Any

from chalicelib import aws
from chalicelib.config import get_settings
from chalicelib.domain import mask_email

POLL_SECONDS = 0.3
SWEEP_SECONDS = float(os.environ.get("SWEEP_SECONDS", "30"))
ROLL_SECONDS = float(os.environ.get("ROLL_SECONDS", "3600"))


def scheduled_event() -> dict[str, Any]:
    """The shape EventBridge delivers to a scheduled Lambda (what Chalice's CloudWatchEvent reads)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {
        "version": "0",
        "id": f"local-{now}",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": now,
        "region": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        "resources": [],
        "detail": {},
    }


class StreamFeeder:
    """Reads every shard from its current end (LATEST) and hands records to `handler`.

    Each poll takes a fresh iterator after the last sequence number handled, rather than
    following NextShardIterator. DynamoDB Local (the running stack) behaves like DynamoDB, where
    either works; moto (tests/integration/test_clients_and_emails.py feeds its stream through this
    class) needs this way: its iterators pin the shard object, and a cancelled TransactWriteItems
    (any 409) puts back a deep copy of the table with a new shard object, so a long-lived
    iterator sees the cancelled transaction's writes and nothing after. One way for both."""

    def __init__(self, stream_arn: str, handler: Any, start: str = "LATEST"):
        self._streams = aws.client("dynamodbstreams")
        self._arn = stream_arn
        self._handler = handler
        self._positions: dict[str, str | None] = {}  # shard id -> last sequence number handled
        self._start = start

    def refresh_shards(self) -> None:
        """Fix a position on every shard not seen before (the first call fixes where LATEST is)."""
        shards = self._streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            if shard["ShardId"] not in self._positions:
                skip = self._start == "LATEST"
                self._positions[shard["ShardId"]] = self._last_sequence(shard["ShardId"]) if skip else None
        self._start = "TRIM_HORIZON"  # shards that appear later are read from their beginning

    def _iterator(self, shard_id: str) -> str:
        last = self._positions[shard_id]
        position = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": last}
            if last
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        return str(self._streams.get_shard_iterator(StreamArn=self._arn, ShardId=shard_id, **position)["ShardIterator"])

    def _last_sequence(self, shard_id: str) -> str | None:
        """The newest record's sequence number now (None when the shard is empty)."""
        last = None
        found = self._streams.get_shard_iterator(
            StreamArn=self._arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
        )
        iterator = found["ShardIterator"]
        while iterator:
            page = self._streams.get_records(ShardIterator=iterator, Limit=1000)
            if not page.get("Records"):
                break
            last = page["Records"][-1]["dynamodb"]["SequenceNumber"]
            iterator = page.get("NextShardIterator")
        return last

    def _as_lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """boto3 parses the creation time into a datetime; Lambda delivers epoch seconds."""
        change = dict(record["dynamodb"])
        created = change.get("ApproximateCreationDateTime")
        if hasattr(created, "timestamp"):
            change["ApproximateCreationDateTime"] = created.timestamp()
        return {**record, "dynamodb": change, "eventSourceARN": self._arn}

    def drain(self) -> int:
        """Deliver everything available now; returns the number of records handled.

        Raises when the handler fails; the position is kept, so the next call retries."""
        self.refresh_shards()
        handled = 0
        for shard_id in list(self._positions):
            records = self._streams.get_records(ShardIterator=self._iterator(shard_id)).get("Records", [])
            if records:
                self._handler({"Records": [self._as_lambda_record(r) for r in records]}, None)
                handled += len(records)
                self._positions[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
        return handled


def sent_emails(moto_url: str) -> list[dict[str, Any]]:
    """Every message moto's SES has accepted, oldest first (moto_url: the stack's AWS_ENDPOINT_URL)."""
    with urllib.request.urlopen(f"{moto_url}/_local/ses/sent", timeout=5) as response:
        return list(json.load(response))


def describe(message: dict[str, Any]) -> list[str]:
    """Masked recipient, subject and links: enough to use a magic link, no personal data."""
    parsed = email.message_from_string(str(message.get("raw_data") or ""))
    text = ""
    for part in parsed.walk():
        if part.get_content_type() == "text/plain":
            text += part.get_payload(decode=True).decode("utf-8", "replace")
    to = mask_email(str(parsed.get("To", "")))
    lines = [f"[email] to {to}: {parsed.get('Subject', '?')}"]
    links = re.findall(r"https?://\S+/(?:my-bookings|verify|experts/[^\s/?]+)\?\S+", text)  # + waitlist offers
    lines += [f"        {link}" for link in links]
    return lines


def main() -> None:
    from app import expire_unverified_holds, roll_availability, send_booking_emails, send_session_reminders

    next_sweep = time.monotonic() + SWEEP_SECONDS
    next_roll = time.monotonic()  # at start, then every ROLL_SECONDS
    feeder = StreamFeeder(get_settings().table_stream_arn, send_booking_emails)
    moto_url = os.environ["AWS_ENDPOINT_URL"].rstrip("/")
    printed = None  # emails already in moto when the worker started are not printed again
    ready_file = os.environ.get("STREAM_WORKER_READY_FILE")  # touched once LATEST is fixed (local_stack waits)
    backoff = POLL_SECONDS
    while True:
        try:
            if printed is None:
                feeder.refresh_shards()
                printed = len(sent_emails(moto_url))
                if ready_file:
                    Path(ready_file).touch()
            if feeder.drain():
                emails = sent_emails(moto_url)
                for message in emails[printed:]:
                    print("\n".join(describe(message)), flush=True)
                printed = len(emails)
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + SWEEP_SECONDS
                expire_unverified_holds(scheduled_event(), None)
                send_session_reminders(scheduled_event(), None)
            if time.monotonic() >= next_roll:
                next_roll = time.monotonic() + ROLL_SECONDS
                roll_availability(scheduled_event(), None)
            backoff = POLL_SECONDS
        except Exception as exc:  # keep serving; Lambda would retry the batch too
            print(
                f"[email] delivery failed ({type(exc).__name__}); retrying in {backoff:.1f}s",
                file=sys.stderr,
                flush=True,
            )
            traceback.print_tb(exc.__traceback__, limit=-3, file=sys.stderr)  # frames only: no message, no data
            backoff = min(backoff * 2, 10.0)
        time.sleep(backoff)


if __name__ == "__main__":
    main()
