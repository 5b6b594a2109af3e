"""Fault injection at the botocore layer, below the client's retry logic.

A handler on `before-send.dynamodb` answers chosen requests with a fault instead of sending them.
Because `before-send` runs inside botocore's retry loop, the client's real retry policy (standard
mode, 3 attempts, from chalicelib/aws.py) sees each fault, exactly as it would see one from AWS.
`lose_response` sends the request for real and then times out: the write happened, the caller
cannot know it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import urllib3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

_PREFIX = "com.amazonaws.dynamodb.v20120810#"


class _Body:
    def __init__(self, data: bytes):
        self._data = data

    def stream(self, **_: Any) -> Any:
        yield self._data


def _error(request: AWSPreparedRequest, status: int, code: str, message: str, **extra: Any) -> AWSResponse:
    body = json.dumps({"__type": _PREFIX + code, "message": message, **extra}).encode()
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "fault-injected"}
    return AWSResponse(request.url, status, headers, _Body(body))


def _cancelled(request: AWSPreparedRequest, reason: str) -> AWSResponse:
    """TransactionCanceledException whose first item carries `reason` (the others: None)."""
    count = len(json.loads(request.body or b"{}").get("TransactItems", [None]))
    reasons = [{"Code": reason, "Message": "injected"}] + [{"Code": "None"}] * (count - 1)
    message = f"Transaction cancelled, please refer cancellation reasons for specific reasons [{reason}]"
    return _error(request, 400, "TransactionCanceledException", message, CancellationReasons=reasons)


def _read_timeout(request: AWSPreparedRequest) -> AWSResponse:
    raise ReadTimeoutError(endpoint_url=request.url)


def _connect_timeout(request: AWSPreparedRequest) -> AWSResponse:
    raise ConnectTimeoutError(endpoint_url=request.url)


FAULTS: dict[str, Callable[[AWSPreparedRequest], AWSResponse]] = {
    "throttling": lambda r: _error(r, 400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "provisioned_throughput": lambda r: _error(
        r, 400, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput exceeded."
    ),
    "internal_error": lambda r: _error(r, 500, "InternalServerError", "Internal server error"),
    "transaction_conflict": lambda r: _cancelled(r, "TransactionConflict"),
    "transaction_throttled": lambda r: _cancelled(r, "ThrottlingError"),
    "read_timeout": _read_timeout,
    "connect_timeout": _connect_timeout,
}


WRITES = "write"  # as an operation name: any write (Put/Update/DeleteItem, TransactWriteItems, BatchWriteItem)
_WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


@dataclass
class _Plan:
    fault: str
    remaining: int | None  # None: every request
    skip: int = 0  # let this many matching requests through first


class Injector:
    """Arm with `fail(...)` / `lose_response(...)`; `sent` counts attempts per operation."""

    def __init__(self, client: Any):
        self._events = client.meta.events
        self._plans: dict[str, _Plan] = {}
        self.sent: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self._events.register_first("before-send.dynamodb", self._before_send)

    def fail(self, operation: str, fault: str, times: int | None = None, skip: int = 0) -> None:
        """Fail `times` requests of `operation` (or of any write, with WRITES), after letting `skip` through."""
        if fault not in FAULTS and fault != "lost_response":
            raise ValueError(f"unknown fault {fault!r}")
        self._plans[operation] = _Plan(fault, times, skip)

    def lose_response(self, operation: str, times: int = 1) -> None:
        self.fail(operation, "lost_response", times)

    def close(self) -> None:
        self._events.unregister("before-send.dynamodb", self._before_send)

    def _before_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        target = request.headers.get("X-Amz-Target", b"")
        operation = (target.decode() if isinstance(target, bytes) else target).rpartition(".")[2]
        self.sent[operation] += 1
        plan = self._plans.get(operation) or (self._plans.get(WRITES) if operation in _WRITE_OPERATIONS else None)
        if plan is None or plan.remaining == 0:
            return None
        if plan.skip:
            plan.skip -= 1
            return None
        if plan.remaining is not None:
            plan.remaining -= 1
        self.injected[operation] += 1
        if plan.fault == "lost_response":
            headers = {k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
            urllib3.PoolManager().request(request.method, request.url, body=request.body, headers=headers)
            raise ReadTimeoutError(endpoint_url=request.url)
        return FAULTS[plan.fault](request)
