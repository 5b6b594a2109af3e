"""moto_server with each AWS service's requests applied one at a time, services side by side.

moto's DynamoDB backend is not thread-safe: a transaction snapshots whole tables with
deepcopy and restores them on failure, so two transactions running in parallel threads can
undo or leak each other's writes (seen here: one 201 but two booking items after 100
concurrent bookings). Real DynamoDB applies each item write atomically. Serialising a
service's requests gives moto that property back. docs/decisions/2026-11-24-moto-serialised.md

The running stack keeps its table in DynamoDB Local now (issue 10), so here DynamoDB serves only
the in-process tests (tests/conftest.py `moto_url`); the stack's Cognito sign-ins and SES sends no
longer queue behind a table copy. S3 holds the catalog snapshot (issue 14: the stream worker writes
it, `chalice local` reads it with If-None-Match); boto3 addresses the bucket in the path here, as
moto's server expects for an IP endpoint. Unsigned requests (moto-api, Cognito's JWKS) take no lock.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

# moto's /moto-api/data.json serialises every model instance: with the demo data (thousands of
# DynamoDB items) it takes ~15 s, holding the lock, so reading sent emails there stalls the API.
SENT_EMAILS_PATH = "/_local/ses/sent"
# The service a signed request is for, from its SigV4 credential scope (DynamoDB Streams signs as dynamodb).
_SCOPE = re.compile(r"Credential=[^/,]+/[^/,]+/[^/,]+/([^/,]+)/aws4_request")


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


def service_of(environ: dict[str, Any]) -> str | None:
    found = _SCOPE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
    return found.group(1) if found else None


def serialised(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    locks: dict[str, threading.Lock] = {}
    registry = threading.Lock()

    def lock_for(service: str) -> threading.Lock:
        with registry:
            return locks.setdefault(service, threading.Lock())

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if environ.get("PATH_INFO") == SENT_EMAILS_PATH:
            with lock_for("ses"):  # not while a send appends to the list being read
                body = sent_emails_json()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        service = service_of(environ)
        if service is None:
            return [b"".join(app(environ, start_response))]
        with lock_for(service):
            return [b"".join(app(environ, start_response))]

    return wsgi


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ["MOTO_PORT"] = str(port)  # moto builds some URLs (e.g. Cognito issuers) from it
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, serialised(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
