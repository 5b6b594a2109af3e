"""Run `chalice local` with a listen backlog large enough for bursts of concurrent requests.

chalice local's ThreadedHTTPServer keeps socketserver's default backlog of 5, so 50
simultaneous connections get resets. Raise it before the server is created.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from chalice import local
from chalice.cli import main

from infra.api import GATEWAY_ERRORS

local.ThreadedHTTPServer.request_queue_size = 1024
_handle_error = local.ThreadedHTTPServer.handle_error


def _quiet_when_the_client_left(self: local.ThreadedHTTPServer, request: Any, client_address: Any) -> None:
    """A browser tab closed mid-request (a slots poll, a navigation) is not an error: one short line
    instead of socketserver's BrokenPipeError traceback (issue 13). Anything else keeps the traceback."""
    error = sys.exc_info()[1]
    if isinstance(error, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
        sys.stderr.write(
            f"{client_address[0]} - client closed the connection before the response ({type(error).__name__})\n"
        )
        return
    _handle_error(self, request, client_address)


local.ThreadedHTTPServer.handle_error = _quiet_when_the_client_left


def _log_without_query(self: local.ChaliceRequestHandler, format: str, *args: object) -> None:  # noqa: A002
    """Access log lines without query strings: `GET /bookings?email=` must not log the address."""
    request_line = self.requestline.split("?", 1)[0] + (" (query omitted)" if "?" in self.requestline else "")
    status = " ".join(str(a) for a in args[1:])
    sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] {request_line} {status}\n")


local.ChaliceRequestHandler.log_message = _log_without_query  # type: ignore[method-assign]

# What API Gateway answers, as infra/api.py configures its gateway responses, for a path no route
# has or a method the path lacks: chalice local would say 403 "Missing Authentication Token" or 405.
_status, _code, _message = GATEWAY_ERRORS["MISSING_AUTHENTICATION_TOKEN"]
NO_SUCH_ROUTE = {
    "statusCode": int(_status or 404),
    "headers": {"Content-Type": "application/json"},
    "multiValueHeaders": {},
    "body": json.dumps({"error": {"code": _code, "message": json.loads(_message)}}),
}
_handle_request = local.LocalGateway.handle_request


def _handle_like_api_gateway(self: local.LocalGateway, *args: Any, **kwargs: Any) -> Any:
    try:
        response = _handle_request(self, *args, **kwargs)
    except local.ForbiddenError:  # chalice local raises it only when no route matches the path
        return dict(NO_SUCH_ROUTE)
    return dict(NO_SUCH_ROUTE) if response["statusCode"] == 405 else response


local.LocalGateway.handle_request = _handle_like_api_gateway  # type: ignore[method-assign]

if __name__ == "__main__":
    host, port = sys.argv[1], sys.argv[2]
    sys.argv = ["chalice", "local", "--no-autoreload", "--host", host, "--port", port]
    sys.exit(main())
