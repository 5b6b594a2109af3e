"""Over HTTP against the local stack (moto_server + `chalice local` on 127.0.0.1):
contention on one slot, and what a poller of the slots route costs and sees."""

from __future__ import annotations

import json
import random
import socket
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3

from bench.routes import working_days
from chalicelib.db import keys
from chalicelib.db.repository import DynamoRepository
from chalicelib.domain import Expert, Slot
from devstack.local_stack import HOST, LocalStack, free_port

POLL_INTERVAL = 3.0  # the SPA polls every 3 s while the page is visible (PRODUCT.md)


def raw_request(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> bytes:
    """One HTTP/1.1 request on a fresh connection; the whole response as bytes (to count them)."""
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    with socket.create_connection((HOST, port), timeout=120) as sock:
        sock.sendall("\r\n".join(lines).encode() + b"\r\n\r\n" + payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def split(response: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    return int(status_line.split()[1]), headers, body


def contention(stack: LocalStack, repo: DynamoRepository, sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        expert_id = f"race-{n}"
        start = (datetime.now(timezone.utc) + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
        repo.put_expert(Expert(expert_id, f"Race {n}", "Engineering", 5, 4.0, "", "Europe/London", 60))
        repo.add_slots([Slot(expert_id, start, start + timedelta(hours=1))])
        gate = threading.Barrier(n)

        def one(
            number: int, expert_id: str = expert_id, start: datetime = start, gate: threading.Barrier = gate
        ) -> Any:
            body = {
                "expertId": expert_id,
                "slotStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "name": f"Racer {number}",
                "email": f"racer{number}@example.com",
                "phone": "+44 20 7946 0958",
            }
            gate.wait()
            began = time.perf_counter()
            try:
                status = split(raw_request(stack.api_port, "POST", "/bookings", body))[0]
            except OSError as exc:  # reset or refused: the listen backlog overflowed
                return type(exc).__name__, time.perf_counter() - began
            return status, time.perf_counter() - began

        began = time.perf_counter()
        with ThreadPoolExecutor(n) as pool:
            results = list(pool.map(one, range(n)))
        wall = time.perf_counter() - began
        statuses = Counter(status for status, _ in results)
        answered = sorted(seconds for status, seconds in results if isinstance(status, int))
        stored = repo._client.query(  # the expert's bookings (GSI2): the table must hold exactly one
            TableName=repo._table,
            IndexName="GSI2",
            KeyConditionExpression="GSI2PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.expert_bookings_partition(expert_id)}},
        )["Count"]
        rows.append(
            {
                "n": n,
                "winners": statuses.get(201, 0),
                "conflicts": statuses.get(409, 0),
                "errors": {str(k): v for k, v in statuses.items() if k not in (201, 409)},
                "stored": stored,
                "p50_ms": percentile(answered, 50) * 1000,
                "p99_ms": percentile(answered, 99) * 1000,
                "wall_s": wall,
                "rps": len(answered) / wall,
            }
        )
    return rows


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def polling(stack: LocalStack, repo: DynamoRepository, trials: int) -> dict[str, Any]:
    expert_id = "poll-1"
    now = datetime.now(timezone.utc)
    repo.put_expert(Expert(expert_id, "Polled Expert", "Engineering", 5, 4.0, "", "Europe/London", 60))
    slots = working_days(expert_id, now, days=15)
    repo.import_slots(slots)
    path = f"/experts/{expert_id}/slots"
    full = raw_request(stack.api_port, "GET", path)
    status, headers, body = split(full)
    assert status == 200, full[:300]
    etag = headers["etag"]
    unchanged = raw_request(stack.api_port, "GET", path, headers={"If-None-Match": etag})
    status_304, _, body_304 = split(unchanged)
    # Bookable and inside the default 14-day view the poller watches.
    bookable = [s.start for s in slots if now + timedelta(hours=3) < s.start < now + timedelta(days=13)]
    delays = [propagation(stack, expert_id, start) for start in random.sample(bookable, trials)]
    return {
        "full_status": status,
        "full_bytes": len(full),
        "full_body_bytes": len(body),
        "poll_status": status_304,
        "poll_bytes": len(unchanged),
        "poll_body_bytes": len(body_304),
        "delays_s": delays,
        "slots_in_view": body.count(b'"start"'),
    }


def propagation(stack: LocalStack, expert_id: str, start: datetime) -> float:
    """Seconds from a booking's 201 until a poller (every POLL_INTERVAL, If-None-Match) sees the slot taken."""
    path, stamp = f"/experts/{expert_id}/slots", start.strftime("%Y-%m-%dT%H:%M:%SZ")
    etag = split(raw_request(stack.api_port, "GET", path))[1]["etag"]  # the poller's view before the booking
    stop, seen = threading.Event(), []

    def taken(body: bytes) -> bool:
        return any(s["start"] == stamp and not s["available"] for d in json.loads(body)["days"] for s in d["slots"])

    def poller(etag: str = etag) -> None:
        while not stop.wait(POLL_INTERVAL):
            status, headers, body = split(raw_request(stack.api_port, "GET", path, headers={"If-None-Match": etag}))
            if status == 200:
                etag = headers["etag"]
                if taken(body):
                    seen.append(time.perf_counter())
                    return

    thread = threading.Thread(target=poller)
    thread.start()
    try:
        time.sleep(random.uniform(0.2, POLL_INTERVAL))  # book at a random phase of the poll cycle
        body = {"expertId": expert_id, "slotStart": stamp, "name": "Poll", "email": "p@example.com"}
        status = split(raw_request(stack.api_port, "POST", "/bookings", {**body, "phone": "+442079460958"}))[0]
        booked_at = time.perf_counter()
        assert status == 201, status
        thread.join(timeout=POLL_INTERVAL * 3)
    finally:
        stop.set()
        thread.join()
    if not seen:
        raise RuntimeError(f"the poller did not see the booking of {stamp} within {POLL_INTERVAL * 3:.0f} s")
    # A poll answered between the commit and our 201's arrival counts as seen at once.
    return max(0.0, seen[0] - booked_at)


def run(quick: bool) -> dict[str, Any]:
    sizes = [50, 200] if quick else [50, 200, 500]
    stack = LocalStack(moto_port=free_port(), api_port=free_port(), seed=False, quiet=True).start()
    try:
        client = boto3.client(
            "dynamodb",
            endpoint_url=stack.dynamodb_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 (DynamoDB Local accepts any credentials)
        )
        repo = DynamoRepository(client, stack.table_name)
        return {
            "contention": contention(stack, repo, sizes),
            "polling": polling(stack, repo, trials=2 if quick else 5),
        }
    finally:
        stack.stop()


def statistics_of(delays: list[float]) -> tuple[float, float]:
    return statistics.mean(delays), max(delays)
