"""A per-container micro-cache of serialised responses for the slots poll (issue 14).

1,000 browsers watching one popular expert poll its slots every 3 s; without this every poll, 304 included,
ran the Query and rebuilt and hashed the whole response. Within `ttl` seconds of building a view the
container answers from memory: the same body and ETag, or an empty 304, with no DynamoDB read and no
rebuild. A change is therefore seen at most `ttl` later than before (PRODUCT.md allows 5 s in all; the
SPA polls every 3 s and the default ttl is 1 s). Bookings never read it: double booking is prevented by the
conditional write, not by what a poll showed.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

MAX_ENTRIES = 1024  # per container; the oldest are dropped first


@dataclass(frozen=True)
class Cached:
    body: str
    etag: str
    built_at: float


def etag_of(body: str) -> str:
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


class PollCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._entries: dict[Hashable, Cached] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get_or_build(self, key: Hashable, ttl: float, build: Callable[[], str]) -> Cached:
        """The cached body for `key` if it is younger than `ttl` seconds, else a fresh one from `build`."""
        now = self._clock()
        with self._lock:
            found = self._entries.get(key)
        if found is not None and now - found.built_at < ttl:
            return found
        body = build()
        fresh = Cached(body, etag_of(body), now)
        if ttl > 0:
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[key] = fresh
        return fresh

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
