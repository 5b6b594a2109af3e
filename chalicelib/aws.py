"""AWS clients: created lazily, once per process, with explicit timeouts and retries.

boto3 honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, which is how the local
stack points these clients at moto. Nothing here runs at import time.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_clients: dict[str, Any] = {}


def client(service: str) -> Any:
    with _lock:
        if service not in _clients:
            import boto3
            from botocore.config import Config

            config = Config(
                connect_timeout=2,
                read_timeout=5,
                retries={"max_attempts": 3, "mode": "standard"},
                max_pool_connections=64,
            )
            _clients[service] = boto3.session.Session().client(service, config=config)
        return _clients[service]


def reset() -> None:
    """Forget cached clients (tests that change endpoints between runs)."""
    with _lock:
        _clients.clear()
