"""Readiness: can this process read its table right now? (GET /health/ready, issue 10)

GET /health stays a liveness check with no I/O; this one makes one cheap read, so a load balancer or
the local stack can tell "the API runs" from "the API can serve".
"""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.errors import ServiceUnavailable

log = logging.getLogger(__name__)
# An expert id that never exists: a GetItem of a missing item is the cheapest read of the table.
PROBE_ID = "health-probe"


def check_ready(repo: Any) -> None:
    """Raises ServiceUnavailable unless the table answers one read (found or not)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        repo.get_expert(PROBE_ID)
    except (BotoCoreError, ClientError) as exc:  # e.g. no such table, access denied: not ready either
        log.warning("readiness probe failed: %s", type(exc).__name__)
        raise ServiceUnavailable("The data store is not ready.", retry_after=5) from exc
