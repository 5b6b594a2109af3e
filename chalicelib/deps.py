"""Process-wide wiring, built lazily on first use (never at import time)."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

from chalicelib import aws
from chalicelib.config import get_settings
from chalicelib.services.experts import Catalog

_lock = threading.Lock()
_state: dict[str, Any] = {}


def repository() -> Any:
    with _lock:
        if "repository" not in _state:
            from chalicelib.db.repository import DynamoRepository

            _state["repository"] = DynamoRepository(aws.client("dynamodb"), get_settings().table_name)
        return _state["repository"]


def catalog() -> Catalog:
    repo = repository()
    with _lock:
        if "catalog" not in _state:
            _state["catalog"] = Catalog(repo, get_settings().catalog_ttl_seconds)
        built: Catalog = _state["catalog"]
        return built


def now() -> datetime:
    clock = _state.get("clock")
    return clock() if clock else datetime.now(timezone.utc)


def override(**parts: Any) -> None:
    """Tests: replace the repository, catalog or clock."""
    with _lock:
        _state.update(parts)


def reset() -> None:
    with _lock:
        _state.clear()
