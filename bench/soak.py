"""A mixed load against the running stack with the demo data (issue 10): bookings, cancels, slot polls
with ETags and listing pages from a few concurrent clients, then the memory of the stack's processes.

Used by `make bench` (figures in BENCHMARKS.md) and by tests/integration/test_stack_soak.py (which
asserts the memory bound and that no request got a 5xx; timings are only reported, never asserted).
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.local_stack import HOST, LocalStack

# One client address (127.0.0.1) books hundreds of sessions here: no per-client hold limit.
SETTINGS = {"MAX_UNVERIFIED_HOLDS": "0"}
MIX = (("poll", 40), ("book", 30), ("list", 20), ("cancel", 10))


@dataclass
class Soak:
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    bookings: list[tuple[float, float]] = field(default_factory=list)  # (started, seconds) per booking
    seconds: float = 0.0
    rss_mb_before: dict[str, float] = field(default_factory=dict)
    rss_mb_after: dict[str, float] = field(default_factory=dict)
    booked: dict[str, str] = field(default_factory=dict)  # booking id -> its token (the 201s)

    @property
    def server_errors(self) -> int:
        return sum(n for (_, status), n in self.statuses.items() if status >= 500)

    def booking_p50_ms(self, part: str) -> float:
        """Median booking latency of the first or last quarter of the bookings, in ms."""
        ordered = [s for _, s in sorted(self.bookings)]
        quarter = max(1, len(ordered) // 4)
        sample = ordered[:quarter] if part == "first" else ordered[-quarter:]
        return statistics.median(sample) * 1000


def rss_mb(stack: LocalStack) -> dict[str, float]:
    """Resident memory of each of the stack's processes (from /proc), in MB."""
    found = {}
    for process in stack.processes:
        status = Path(f"/proc/{process.pid}/status")
        if process.poll() is None and status.exists():
            line = next(x for x in status.read_text().splitlines() if x.startswith("VmRSS:"))
            args = [str(a) for a in process.args] if isinstance(process.args, list) else [str(process.args)]
            label = next((Path(a).stem for a in args if a.endswith(".py")), Path(args[0]).name)
            found[label] = int(line.split()[1]) / 1024
    return found


def call(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        payload = None if body is None else json.dumps(body)
        connection.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        raw = response.read()
        return response.status, dict(response.getheaders()), json.loads(raw) if raw else None
    finally:
        connection.close()


def free_slots(port: int) -> list[tuple[str, str]]:
    """(expert id, slot start) for every free slot of the demo data in the next two weeks."""
    experts = call(port, "GET", "/experts?limit=50")[2]["items"]
    found = []
    for expert in experts:
        days = call(port, "GET", f"/experts/{expert['id']}/slots?days=14")[2]["days"]
        found += [(expert["id"], s["start"]) for d in days for s in d["slots"] if s["available"]]
    return found


def run(stack: LocalStack, total: int = 2000, workers: int = 8, seed: int = 7) -> Soak:
    soak, lock, rng = Soak(), threading.Lock(), random.Random(seed)
    soak.rss_mb_before = rss_mb(stack)
    slots = free_slots(stack.api_port)
    experts = sorted({e for e, _ in slots})
    etags: dict[str, str] = {}
    plan = [rng.choices([kind for kind, _ in MIX], weights=[w for _, w in MIX])[0] for _ in range(total)]

    def one(number: int) -> None:
        kind = plan[number]
        with lock:
            pick = random.Random(seed * 100_000 + number)
            expert = pick.choice(experts)
            slot = slots.pop(pick.randrange(len(slots))) if kind == "book" and slots else None
            mine = pick.choice(sorted(soak.booked.items())) if kind == "cancel" and soak.booked else None
        began = time.monotonic()
        if kind == "book" and slot is not None:
            body = {"expertId": slot[0], "slotStart": slot[1], "name": f"Soak {number}"}
            body |= {"email": f"soak{number}@example.com", "phone": "+44 20 7946 0958"}
            status, _, answer = call(stack.api_port, "POST", "/bookings", body)
            with lock:
                soak.bookings.append((began, time.monotonic() - began))
                if status == 201:
                    soak.booked[answer["booking"]["id"]] = answer["accessToken"]
        elif kind == "cancel" and mine is not None:
            booking_id, token = mine
            status, _, _ = call(
                stack.api_port, "POST", f"/bookings/{booking_id}/cancel", {}, {"Authorization": f"Bearer {token}"}
            )
            if status == 200:
                with lock:
                    soak.booked.pop(booking_id, None)
        elif kind == "list":
            status, _, _ = call(stack.api_port, "GET", f"/experts?page={pick.randint(1, 4)}&q={pick.choice('aeiou')}")
        else:
            kind = "poll"
            headers = {"If-None-Match": etags[expert]} if expert in etags else {}
            status, answer_headers, _ = call(stack.api_port, "GET", f"/experts/{expert}/slots", headers=headers)
            if "ETag" in answer_headers:
                etags[expert] = answer_headers["ETag"]
        with lock:
            soak.statuses[(kind, status)] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(total)))
    soak.seconds = time.monotonic() - started
    soak.rss_mb_after = rss_mb(stack)
    return soak
