"""Expert catalog: listing, search, categories and lookup.

The whole catalog is read with one Query on GSI1 and kept per Lambda container for
at most `ttl_seconds` (<= 60 s); search and paging happen in memory. This holds while
the catalog fits comfortably in one container (a few thousand experts, ~1 KB each);
beyond that a search index (e.g. OpenSearch fed by the table's stream) replaces it.
See README "Scale limits".
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from chalicelib.domain import Expert, sort_name
from chalicelib.errors import ExpertNotFound


class ExpertStore(Protocol):
    def list_experts(self) -> list[Expert]: ...
    def get_expert(self, expert_id: str) -> Expert | None: ...


@dataclass(frozen=True)
class ExpertPage:
    items: list[Expert]
    page: int
    limit: int
    total: int
    total_pages: int


class Catalog:
    def __init__(self, store: ExpertStore, ttl_seconds: int, clock: Callable[[], float] = time.monotonic):
        self._store = store
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._experts: list[Expert] | None = None
        self._by_id: dict[str, Expert] = {}
        self._singles: dict[str, tuple[Expert, float]] = {}
        self._loaded_at = 0.0

    def _all(self) -> list[Expert]:
        with self._lock:
            stale = self._experts is None or self._clock() - self._loaded_at >= self._ttl
            if stale:
                self._experts = self._store.list_experts()
                self._by_id = {e.id: e for e in self._experts}
                self._loaded_at = self._clock()
            assert self._experts is not None
            return self._experts

    def search(self, q: str | None, category: str | None, page: int, limit: int) -> ExpertPage:
        needle = sort_name(q.strip()) if q else ""
        matches = [
            e
            for e in self._all()
            if (not needle or needle in sort_name(e.name)) and (category is None or e.category == category)
        ]
        start = (page - 1) * limit
        return ExpertPage(
            items=matches[start : start + limit],
            page=page,
            limit=limit,
            total=len(matches),
            total_pages=math.ceil(len(matches) / limit),
        )

    def categories(self) -> list[tuple[str, int]]:
        counts = Counter(e.category for e in self._all())
        return sorted(counts.items())

    def get(self, expert_id: str) -> Expert:
        """From the cache when fresh; otherwise one GetItem, cached for the same TTL."""
        now = self._clock()
        with self._lock:
            catalog_warm = self._experts is not None and now - self._loaded_at < self._ttl
            cached = self._by_id.get(expert_id) if catalog_warm else None
            single = self._singles.get(expert_id)
        if cached is None and single is not None and now - single[1] < self._ttl:
            cached = single[0]
        expert = cached or self._store.get_expert(expert_id)
        if expert is None:
            raise ExpertNotFound("No expert with this id.")
        if cached is None:
            with self._lock:
                self._singles[expert_id] = (expert, now)
        return expert

    def invalidate(self) -> None:
        with self._lock:
            self._experts = None
            self._singles.clear()
