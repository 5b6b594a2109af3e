"""Structured logs and metrics with AWS Lambda Powertools (issue 10).

Logs: one JSON object per line (level, message, location, timestamp, service, request id) from every
`chalicelib` logger, on Lambda and in the local stack (LOG_JSON=1); under pytest the plain stdlib
loggers stay, so caplog sees them. Metrics: CloudWatch Embedded Metric Format, namespace
`ExpertBooking`, flushed once per invocation by the app's middleware (POWERTOOLS_METRICS_DISABLED=true
turns them off, as the local stack does). Personal data never goes into either: addresses are masked
where they are logged, and request bodies are never logged.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import IO, Any

SERVICE = "expert-booking"
NAMESPACE = "ExpertBooking"

# What the operators' alarms and dashboards read (infra/alarms.py).
BOOKING_CREATED = "BookingCreated"
BOOKING_CONFLICT = "BookingConflict"  # 409 on POST /bookings: the slot was taken
TOO_MANY_HOLDS = "TooManyHolds"
HOLDS_EXPIRED = "HoldsExpired"
EMAIL_SENT = "EmailSent"
EMAIL_FAILED = "EmailFailed"
SERVER_BUSY = "ServerBusy"  # 503 answers

_state: dict[str, Any] = {}


class _Stream:
    """Where JSON log lines go: standard output (CloudWatch Logs on Lambda), or a test's buffer."""

    target: IO[str] | None = None

    def write(self, text: str) -> int:
        return (self.target or sys.stdout).write(text)

    def flush(self) -> None:
        (self.target or sys.stdout).flush()


_STREAM = _Stream()


def _logger() -> Any:
    """The process's Powertools Logger, made on first use (never at import: cold starts stay cheap)."""
    if "logger" not in _state:
        from aws_lambda_powertools import Logger

        _state["logger"] = Logger(service=SERVICE, stream=_STREAM)  # type: ignore[arg-type]  # write() and flush() suffice
    return _state["logger"]


def _metrics() -> Any:
    if "metrics" not in _state:
        from aws_lambda_powertools import Metrics

        _state["metrics"] = Metrics(namespace=NAMESPACE, service=SERVICE)
    return _state["metrics"]


def json_logs_wanted() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or os.environ.get("LOG_JSON"))


LOGGERS = ("chalicelib", "app")


def use_json_logs(stream: IO[str] | None = None) -> None:
    """Route the `chalicelib` and `app` loggers (and their children) through the Powertools Logger's
    handler: JSON lines with the service, the logger's name and the request id."""
    _STREAM.target = stream
    logger = _logger()
    logger.append_keys(name="%(name)s")
    for name in LOGGERS:
        target = logging.getLogger(name)
        # Powertools' own handler only: its logger is also Chalice's app logger, whose plain handler
        # would print every line a second time.
        target.handlers = [logger.registered_handler]
        target.propagate = False
        target.setLevel(logging.INFO)


def use_plain_logs() -> None:
    """Undo use_json_logs (tests)."""
    for name in LOGGERS:
        target = logging.getLogger(name)
        target.handlers = []
        target.propagate = True
        target.setLevel(logging.NOTSET)
    _STREAM.target = None


def bind_request(request_id: str | None) -> None:
    """Every log line until the next request carries this request id."""
    if "logger" in _state:
        _state["logger"].append_keys(request_id=request_id)


def count(name: str, value: int = 1) -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    _metrics().add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush() -> None:
    """Write the invocation's metrics (one EMF line) and start afresh."""
    metrics = _state.get("metrics")
    if metrics is not None and metrics.metric_set:  # an invocation that counted nothing writes nothing
        metrics.flush_metrics(raise_on_empty_metrics=False)
