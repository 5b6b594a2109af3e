"""AWS clients: created lazily, once per process, with explicit timeouts and retries.

boto3 honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, which is how the local
stack points these clients at moto. Nothing here runs at import time.
"""

from __future__ import annotations

import threading
from typing import Any

from chalicelib.config import get_settings

_lock = threading.Lock()
_clients: dict[str, Any] = {}
PROBE_READ_TIMEOUT_SECONDS = 2  # GET /health/ready must give up within seconds, wherever it runs


def client(service: str, probe: bool = False) -> Any:
    """The process's client for `service`; `probe=True`: a separate one that gives up within a
    few seconds at most (one attempt, short timeouts), for GET /health/ready."""
    with _lock:
        name = f"{service}:probe" if probe else service
        if name not in _clients:
            import boto3
            from botocore.config import Config

            # Time budget (issue 10): a call gives up after 3 attempts of at most 1 s to connect and 2 s to
            # answer, plus backoff (~12 s); resolving an unanswered write adds one such read. Together they
            # fit the API function's 28 s timeout, inside API Gateway's 29 s. botocore counts retries.
            # AWS_READ_TIMEOUT_SECONDS (Settings) lengthens the 2 s for the local stack; never the probe's.
            config = Config(
                connect_timeout=1,
                read_timeout=PROBE_READ_TIMEOUT_SECONDS if probe else get_settings().aws_read_timeout_seconds,
                retries={"max_attempts": 0 if probe else 2, "mode": "standard"},
                max_pool_connections=2 if probe else 64,
            )
            made = boto3.session.Session().client(service, config=config)
            made.meta.events.register("before-parse", _refuse_cut_bodies)
            _clients[name] = made
        return _clients[name]


def _refuse_cut_bodies(response_dict: dict[str, Any], **_: Any) -> None:
    """botocore reads a body without enforcing Content-Length and parses cut-off JSON as an empty
    answer, so a connection dropped mid-answer would read as "no items" or "no such item". Real
    DynamoDB's x-amz-crc32 catches that; DynamoDB Local and moto send no checksum. Issue 10."""
    from botocore.exceptions import ConnectionClosedError

    body, length = response_dict.get("body"), str(response_dict.get("headers", {}).get("content-length", ""))
    if isinstance(body, bytes) and length.isdigit() and len(body) < int(length):
        raise ConnectionClosedError(endpoint_url="(the answer was cut short)")


def reset() -> None:
    """Forget cached clients (tests that change endpoints between runs)."""
    with _lock:
        _clients.clear()
