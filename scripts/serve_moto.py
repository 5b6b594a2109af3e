"""moto_server with requests applied one at a time.

moto's DynamoDB backend is not thread-safe: a transaction snapshots whole tables with
deepcopy and restores them on failure, so two transactions running in parallel threads can
undo or leak each other's writes (seen here: one 201 but two booking items after 100
concurrent bookings). Real DynamoDB applies each item write atomically. Serialising the
requests gives moto that property back; connections are still accepted concurrently, so
the API under test still runs its requests in parallel. docs/decisions/2026-11-24-moto-serialised.md
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple


def serialised(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    lock = threading.Lock()

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            return [b"".join(app(environ, start_response))]

    return wsgi


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ["MOTO_PORT"] = str(port)  # moto builds some URLs (e.g. Cognito issuers) from it
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, serialised(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
