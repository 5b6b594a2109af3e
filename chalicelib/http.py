"""The one place that turns domain and validation errors into HTTP responses."""

from __future__ import annotations

import functools
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from chalice.app import Response
from pydantic import BaseModel, ValidationError

from chalicelib import telemetry
from chalicelib.errors import DomainError
from chalicelib.models import FIELD_MESSAGES

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
MAX_BODY_BYTES = 16 * 1024
JSON_HEADERS = {"Content-Type": "application/json"}


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> Response:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return Response(body=json.dumps({"error": error}), status_code=status, headers={**JSON_HEADERS, **(headers or {})})


def ok(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = model.model_dump_json(by_alias=True)
    return Response(body=body, status_code=status, headers={**JSON_HEADERS, **(headers or {})})


# What a browser and a CDN may do with the public reads (issue 14). Slots: browsers revalidate every poll
# (max-age=0, with If-None-Match), a shared cache may answer for 1 s. No stale-while-revalidate: at an edge
# with few pollers it let a booked slot show as free for ~6 s, past PRODUCT.md's 5 s (bench/poll.py).
# The catalog changes rarely: 30 s, as long as the containers' own catalog cache.
SLOTS_CACHE_CONTROL = "public, max-age=0, s-maxage=1"
CATALOG_CACHE_CONTROL = "public, max-age=30, s-maxage=30, stale-while-revalidate=30"


def with_etag(body: str, etag: str, if_none_match: str | None, cache_control: str) -> Response:
    """200 with its strong ETag, or an empty 304 when the client already has it. If-None-Match compares weakly
    (RFC 9110 13.1.2): CloudFront turns the ETag into W/"..." when it compresses the body."""
    headers: dict[str, str | list[str]] = {"ETag": etag, "Cache-Control": cache_control}
    if if_none_match and etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]:
        return Response(body="", status_code=304, headers=headers)
    return Response(body=body, status_code=200, headers={**JSON_HEADERS, **headers})


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    details = []
    for err in exc.errors(include_input=False, include_url=False):
        field = ".".join(str(p) for p in err["loc"]) or "body"
        default = str(err["ctx"]["error"]) if err["type"] == "value_error" and "ctx" in err else err["msg"]
        message = FIELD_MESSAGES.get((field, err["type"]), default)
        details.append({"field": field, "message": message})
    return details


def parse_query(params: dict[str, str] | None, model: type[M]) -> M:
    return _validate(lambda: model.model_validate(dict(params or {})))


def parse_json(request: Any, model: type[M]) -> M:
    content_type = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise _BadRequest(415, "unsupported_media_type", "Send the body as application/json.")
    raw = request.raw_body or b""
    if len(raw) > MAX_BODY_BYTES:
        raise _BadRequest(413, "payload_too_large", f"The body must be at most {MAX_BODY_BYTES} bytes.")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _BadRequest(400, "invalid_json", "The body is not valid JSON.") from exc
    except RecursionError as exc:  # nested deeper than the parser's recursion limit (issue 10)
        raise _BadRequest(400, "invalid_json", "The body is nested too deeply.") from exc
    if not isinstance(data, dict):
        raise _BadRequest(
            400,
            "validation_failed",
            "The request is not valid.",
            [{"field": "body", "message": "Expected a JSON object."}],
        )
    # Strict: JSON true is not the number 1, and 0 is not a date.
    return _validate(lambda: model.model_validate_json(raw, strict=True))


def _validate(build: Callable[[], M]) -> M:
    try:
        return build()
    except ValidationError as exc:
        raise _BadRequest(400, "validation_failed", "The request is not valid.", field_errors(exc)) from exc


class _BadRequest(DomainError):
    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(message, details)
        self.status = status
        self.code = code


# Refusals worth a metric (issue 10): a taken slot, a client over the hold limit, and busy answers.
_COUNTED = {
    "slot_unavailable": telemetry.BOOKING_CONFLICT,
    "too_many_holds": telemetry.TOO_MANY_HOLDS,
    "service_unavailable": telemetry.SERVER_BUSY,
}


def _count(err: DomainError) -> None:
    metric = _COUNTED.get(err.code)
    if metric is not None:
        telemetry.count(metric)


def handle_errors(view: Callable[..., Response]) -> Callable[..., Response]:
    """Route decorator: DomainError → its envelope; anything unexpected → a bare 500 envelope."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except DomainError as err:
            _count(err)
            return error_response(err.status, err.code, err.message, err.details, err.headers)
        except Exception as exc:  # last resort: never leak a stack trace or personal data
            # The frames only: an exception's message may quote personal data.
            log.error(
                "unhandled %s in %s\n%s",
                type(exc).__name__,
                view.__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            return error_response(500, "internal_error", "Something went wrong on our side.")

    return wrapper
