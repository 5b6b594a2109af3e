"""Run `chalice local` with a listen backlog large enough for bursts of concurrent requests.

chalice local's ThreadedHTTPServer keeps socketserver's default backlog of 5, so 50
simultaneous connections get resets. Raise it before the server is created.
"""

from __future__ import annotations

import sys

from chalice import local
from chalice.cli import main

local.ThreadedHTTPServer.request_queue_size = 128


def _log_without_query(self: local.ChaliceRequestHandler, format: str, *args: object) -> None:  # noqa: A002
    """Access log lines without query strings: `GET /bookings?email=` must not log the address."""
    request_line = self.requestline.split("?", 1)[0] + (" (query omitted)" if "?" in self.requestline else "")
    status = " ".join(str(a) for a in args[1:])
    sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] {request_line} {status}\n")


local.ChaliceRequestHandler.log_message = _log_without_query  # type: ignore[method-assign]

if __name__ == "__main__":
    host, port = sys.argv[1], sys.argv[2]
    sys.argv = ["chalice", "local", "--no-autoreload", "--host", host, "--port", port]
    sys.exit(main())
