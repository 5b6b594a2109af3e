"""2,000 mixed requests against the running stack with the demo data (issue 10): no 5xx, every booking
answered truthfully, and the stack's processes together stay under 1.5 GB. Latency is only reported
(make bench has the figures); a busy machine must not fail this test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench import soak
from chalicelib.db.repository import DynamoRepository
from devstack.local_stack import LocalStack
from tests.integration.conftest import started_stack

pytestmark = pytest.mark.stack
MEMORY_BOUND_MB = 1536


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    yield from started_stack(overrides=soak.SETTINGS)


def test_two_thousand_mixed_requests_stay_correct_and_within_memory(
    stack: LocalStack, stack_repo: DynamoRepository
) -> None:
    result = soak.run(stack, total=2000)
    print(
        f"\n{sum(result.statuses.values())} requests in {result.seconds:.0f} s; {dict(result.statuses)}; "
        f"booking p50 {result.booking_p50_ms('first'):.0f} ms first quarter, "
        f"{result.booking_p50_ms('last'):.0f} ms last; RSS MB {result.rss_mb_after}"
    )
    assert sum(result.statuses.values()) == 2000
    assert result.server_errors == 0, result.statuses
    assert result.statuses[("book", 201)] > 400  # the load really booked
    total_mb = sum(result.rss_mb_after.values())
    assert len(result.rss_mb_after) == len(stack.processes) and total_mb < MEMORY_BOUND_MB, result.rss_mb_after
    for booking_id in list(result.booked)[:50]:  # bookings that got their 201 are stored
        assert stack_repo.get_booking(booking_id) is not None
