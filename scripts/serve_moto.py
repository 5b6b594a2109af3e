"""moto_server with requests applied one at a time.

moto's DynamoDB backend is not thread-safe: a transaction snapshots whole tables with
deepcopy and restores them on failure, so two transactions running in parallel threads can
undo or leak each other's writes (seen here: one 201 but two booking items after 100
concurrent bookings). Real DynamoDB applies each item write atomically. Serialising the
requests gives moto that property back; connections are still accepted concurrently, so
the API under test still runs its requests in parallel. docs/decisions/2026-11-24-moto-serialised.md
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

# moto's /moto-api/data.json serialises every model instance: with the demo data (thousands of
# DynamoDB items) it takes ~15 s, holding the lock, so reading sent emails there stalls the API.
SENT_EMAILS_PATH = "/_local/ses/sent"


def sent_emails_json() -> bytes:
    """Every message moto's SES accepted, oldest first, in data.json's shape."""
    from moto.ses.models import ses_backends

    fields = ("id", "source", "destinations", "raw_data")
    rows = [
        {name: getattr(message, name) for name in fields if hasattr(message, name)}
        for regions in ses_backends.values()
        for backend in regions.values()
        for message in backend.sent_messages
    ]
    return json.dumps(rows).encode()


def serialised(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    lock = threading.Lock()

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            if environ.get("PATH_INFO") == SENT_EMAILS_PATH:
                body = sent_emails_json()
                start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
                return [body]
            return [b"".join(app(environ, start_response))]

    return wsgi


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ["MOTO_PORT"] = str(port)  # moto builds some URLs (e.g. Cognito issuers) from it
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, serialised(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
