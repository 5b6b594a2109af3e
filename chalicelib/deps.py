"""Process-wide wiring, built lazily on first use (never at import time)."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from chalicelib import aws
from chalicelib.config import Settings, get_settings
from chalicelib.pollcache import PollCache
from chalicelib.services.experts import Catalog

if TYPE_CHECKING:
    from chalicelib.db.repository import DynamoRepository
    from chalicelib.db.snapshots import S3SnapshotStore

_lock = threading.Lock()
_state: dict[str, Any] = {}


def settings() -> Settings:
    overridden: Settings | None = _state.get("settings")
    return overridden or get_settings()


def repository() -> DynamoRepository:
    """Typed, so mypy checks the repository against every service's store Protocol where it is passed
    (tests may override it with the in-memory fake, which meets the same Protocols)."""
    with _lock:
        if "repository" not in _state:
            from chalicelib.db.repository import DynamoRepository

            _state["repository"] = DynamoRepository(aws.client("dynamodb"), settings().table_name)
        found: DynamoRepository = _state["repository"]
        return found


def probe() -> Any:
    """The repository GET /health/ready reads through: same table, a client that gives up within ~3 s."""
    with _lock:
        if "probe" not in _state:
            from chalicelib.db.repository import DynamoRepository

            _state["probe"] = DynamoRepository(aws.client("dynamodb", probe=True), settings().table_name)
        return _state["probe"]


def catalog() -> Catalog:
    repo, snapshots = repository(), catalog_snapshots()
    with _lock:
        if "catalog" not in _state:
            _state["catalog"] = Catalog(repo, settings().catalog_ttl_seconds, snapshots=snapshots)
        built: Catalog = _state["catalog"]
        return built


def catalog_snapshots() -> S3SnapshotStore | None:
    """The catalog snapshot's store (CATALOG_BUCKET), or None without a bucket: the catalog is read
    from the table then."""
    bucket = settings().catalog_bucket
    if not bucket:
        return None
    with _lock:
        if "catalog_snapshots" not in _state:
            from chalicelib.db.snapshots import S3SnapshotStore

            _state["catalog_snapshots"] = S3SnapshotStore(aws.client("s3"), bucket)
        found: S3SnapshotStore = _state["catalog_snapshots"]
        return found


def poll_cache() -> PollCache:
    with _lock:
        if "poll_cache" not in _state:
            _state["poll_cache"] = PollCache()
        found: PollCache = _state["poll_cache"]
        return found


def client_token_secret() -> str:
    """CLIENT_TOKEN_SECRET, or the SSM SecureString named by CLIENT_TOKEN_SECRET_PARAM (read once)."""
    config = settings()
    if config.client_token_secret:
        return config.client_token_secret
    with _lock:
        if "token_secret" not in _state:
            if not config.client_token_secret_param:
                raise RuntimeError("Set CLIENT_TOKEN_SECRET or CLIENT_TOKEN_SECRET_PARAM")
            found = aws.client("ssm").get_parameter(Name=config.client_token_secret_param, WithDecryption=True)
            _state["token_secret"] = found["Parameter"]["Value"]
        secret: str = _state["token_secret"]
        return secret


def now() -> datetime:
    clock = _state.get("clock")
    return clock() if clock else datetime.now(timezone.utc)


def override(**parts: Any) -> None:
    """Tests: replace the repository, the readiness probe's repository, the catalog or the clock."""
    with _lock:
        _state.update(parts)


def reset() -> None:
    with _lock:
        _state.clear()
