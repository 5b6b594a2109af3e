"""On paper: requests/s and cost on AWS, from the measured calls, item sizes and handler times.

Prices are AWS's published on-demand prices for us-east-1 (checked 2026-11); they change, so
every figure below says which inputs it used. Nothing here calls AWS.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from bench.harness import item_size
from chalicelib.db import items
from chalicelib.domain import Booking, IdempotencyRecord, Slot, Status
from devstack.local_stack import ROOT

PRICES = {
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000166667,  # x86
    "api_gateway_rest_request": 3.50 / 1e6,  # Chalice deploys a REST API (first 333 M/month)
    "dynamodb_wru": 0.625 / 1e6,  # on-demand write request unit
    "dynamodb_rru": 0.125 / 1e6,  # on-demand read request unit
    "cloudfront_https_request": 0.0100 / 1e4,  # North America / Europe
    "cloudfront_gb_out": 0.085,
    "internet_gb_out": 0.09,  # API Gateway responses to the internet
    "ses_email": 0.10 / 1000,
}
# Latency AWS adds to a request that our local timings cannot show (typical in-region figures).
DYNAMODB_MS = {"GetItem": 4, "Query": 6, "TransactWriteItems": 12, "UpdateItem": 5, "PutItem": 5}
LAMBDA_CONCURRENCY = 1000  # default regional quota
API_GATEWAY_RPS = 10_000  # default account throttle
PARTITION_RCU, PARTITION_WCU = 3000, 1000
BROWSERS, POLL_SECONDS, CACHE_SECONDS, CACHE_VARIANTS = 10_000, 3, 1, 3


@dataclass(frozen=True)
class PerRequest:
    name: str
    handler_ms: float
    aws_ms: float
    wru: float
    rru: float
    bytes_out: int

    @property
    def billed_ms(self) -> int:
        return math.ceil(self.handler_ms + self.aws_ms)

    def cost(self, memory_gb: float) -> float:
        p = PRICES
        lambda_cost = p["lambda_request"] + p["lambda_gb_second"] * memory_gb * self.billed_ms / 1000
        storage = p["dynamodb_wru"] * self.wru + p["dynamodb_rru"] * self.rru
        return p["api_gateway_rest_request"] + lambda_cost + storage + p["internet_gb_out"] * self.bytes_out / 1e9


def memory_gb() -> float:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    memory = config.get("lambda_functions", {}).get("api_handler", {}).get("lambda_memory_size", 128)
    return float(memory) / 1024


def booking_write_units(with_key: bool) -> tuple[float, dict[str, int]]:
    """Transactional writes cost 2 WRU per KB of each item; each GSI the booking lands in, 1 per KB."""
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    start = now + timedelta(days=2)
    booking = Booking(
        "x" * 22, "exp-12ab34cd56ef", "Ada Lovelace", start, start + timedelta(hours=1), "Grace Hopper",
        "grace.hopper@example.com", "+442079460958", "A short note about the session.", Status.PENDING, now, now,
    )  # fmt: skip
    sizes = {
        "slot": item_size(items.slot_item(Slot("exp-12ab34cd56ef", start, start + timedelta(hours=1), "x" * 22))),
        "booking": item_size(items.booking_item(booking)),
        "idempotency": item_size(items.idempotency_item(IdempotencyRecord("k" * 36, "h" * 64, "x" * 22, now))),
    }
    kb = {name: math.ceil(size / 1024) for name, size in sizes.items()}
    gsis = sum(1 for name in items.booking_item(booking) if name.endswith("PK") and name != "PK")
    units = 2 * kb["slot"] + 2 * kb["booking"] + gsis * kb["booking"] + (2 * kb["idempotency"] if with_key else 0)
    return units, {**sizes, "gsis": gsis}


def read_units(read_bytes: int) -> float:
    """An eventually consistent Query: 0.5 RRU per 4 KB read."""
    return max(1, math.ceil(read_bytes / 4096)) * 0.5


def analyse(routes: list[Any], polling: dict[str, Any]) -> dict[str, Any]:
    by_name = {r.route.name: r for r in routes}
    booking, poll = by_name["booking"], by_name["slots poll, unchanged"]
    wru, sizes = booking_write_units(with_key=False)
    poll_rru = read_units(poll.read_bytes)
    booking_row = PerRequest(
        "booking",
        (booking.instant_us or 0) / 1000,
        sum(DYNAMODB_MS.get(op, 5) for _, op in booking.warm),
        wru,
        0,
        900,
    )
    poll_row = PerRequest(
        "unchanged poll (304)",
        (poll.instant_us or 0) / 1000,
        sum(DYNAMODB_MS.get(op, 5) for _, op in poll.warm),
        0,
        poll_rru,
        polling["poll_bytes"],
    )
    gb = memory_gb()
    per_second = BROWSERS / POLL_SECONDS
    per_day = per_second * 86_400
    origin_per_second = CACHE_VARIANTS / CACHE_SECONDS
    no_cdn_day = per_day * poll_row.cost(gb)
    cdn_day = per_day * (
        PRICES["cloudfront_https_request"] + PRICES["cloudfront_gb_out"] * polling["poll_bytes"] / 1e9
    ) + origin_per_second * 86_400 * PerRequest("origin fetch (200)", 0, 0, 0, poll_rru, 0).cost(gb)
    return {
        "memory_gb": gb,
        "sizes": sizes,
        "booking": booking_row,
        "poll": poll_row,
        "booking_cost_per_million": booking_row.cost(gb) * 1e6,
        "booking_email_per_million": PRICES["ses_email"] * 1e6,
        "poll_cost_per_million": poll_row.cost(gb) * 1e6,
        "rps_lambda_booking": LAMBDA_CONCURRENCY / (booking_row.billed_ms / 1000),
        "rps_lambda_poll": LAMBDA_CONCURRENCY / (poll_row.billed_ms / 1000),
        "popular": {
            "polls_per_second": per_second,
            "polls_per_day": per_day,
            "partition_rcu_per_second": per_second * poll_rru,
            "partition_rcu_limit": PARTITION_RCU,
            "lambda_concurrency": per_second * poll_row.billed_ms / 1000,
            "no_cdn_per_day": no_cdn_day,
            "cdn_per_day": cdn_day,
            "origin_per_second": origin_per_second,
            "worst_staleness_s": CACHE_SECONDS + POLL_SECONDS,
        },
    }
