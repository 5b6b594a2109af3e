"""Expert catalog: listing, search, categories and lookup.

Each Lambda container keeps the catalog in memory as a CatalogIndex (names folded once, categories
counted once; services/catalog_index.py), so a request costs what its page costs, not what the catalog
does. At most every `ttl_seconds` (<= 60 s) a container checks for a newer catalog: with a snapshot
store, that is one conditional GET of the snapshot the stream consumer publishes (a 304 while nothing
changed; services/catalog_snapshot.py); without one, or while there is no snapshot yet, it is the Query
of the catalog index. See README "Scale limits" and BENCHMARKS.md.
"""

from __future__ import annotations

import gc
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from chalicelib.domain import Expert, sort_name
from chalicelib.errors import ExpertNotFound
from chalicelib.services.catalog_index import CatalogIndex
from chalicelib.services.catalog_snapshot import SnapshotStore, SnapshotUnreadable, Stored, decode

log = logging.getLogger(__name__)


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


def needle_of(q: str | None) -> str:
    """The search text as the names are stored for search: trimmed, case- and accent-folded."""
    return sort_name(q.strip()) if q else ""


@contextmanager
def long_lived() -> Iterator[None]:
    """Around building an index: ~1M objects that live until the next catalog version. The cyclic GC
    would walk them over and over while they are made (it doubled a 100k-expert load in
    bench/scale.py) and again on every later full collection, so it is paused while they are made and
    they are then frozen out of its sight (gc.freeze). Reference counting still frees them when the
    next version replaces them (they hold no cycles); only cyclic garbage waiting for a collection at
    that moment is kept, once per catalog version."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


class Catalog:
    def __init__(
        self,
        store: ExpertStore,
        ttl_seconds: int,
        clock: Callable[[], float] = time.monotonic,
        snapshots: SnapshotStore | None = None,
    ):
        self._store = store
        self._snapshots = snapshots
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._index: CatalogIndex | None = None
        self._etag: str | None = None  # of the snapshot the index was built from
        self._from_table = False  # the next load reads the table (after this container's own write)
        self._singles: dict[str, tuple[Expert, float]] = {}
        self._loaded_at = 0.0

    def _current(self) -> CatalogIndex:
        with self._lock:
            if self._index is None or self._clock() - self._loaded_at >= self._ttl:
                self._index = self._load(self._index)
                self._loaded_at = self._clock()
            return self._index

    def _load(self, known: CatalogIndex | None) -> CatalogIndex:
        if self._snapshots is not None and not self._from_table:
            found = self._snapshots.read(self._etag if known is not None else None)
            if isinstance(found, Stored):
                try:
                    with long_lived():
                        index = CatalogIndex(*decode(found.body))
                    self._etag = found.etag
                    return index
                except SnapshotUnreadable as exc:  # the listing stays up: the table has the catalog
                    log.warning("catalog snapshot unreadable (%s): reading the table", exc)
            elif found is not None and known is not None:  # not modified
                return known
            else:
                log.info("no catalog snapshot yet: reading the catalog from the table")
        self._from_table = False
        with long_lived():
            return CatalogIndex(self._store.list_experts())

    def search(self, q: str | None, category: str | None, page: int, limit: int) -> ExpertPage:
        index = self._current()
        matches = index.search(needle_of(q), category)
        return ExpertPage(
            items=index.page(matches, (page - 1) * limit, limit),
            page=page,
            limit=limit,
            total=len(matches),
            total_pages=math.ceil(len(matches) / limit),
        )

    def categories(self, q: str | None = None) -> list[tuple[str, int]]:
        """Every category with the number of its experts whose name matches `q` (all, without one)."""
        return self._current().category_counts(needle_of(q))

    def get(self, expert_id: str) -> Expert:
        """From the cache when fresh; otherwise one GetItem, cached for the same TTL."""
        now = self._clock()
        with self._lock:
            catalog_warm = self._index is not None and now - self._loaded_at < self._ttl
            cached = self._index.by_id.get(expert_id) if catalog_warm and self._index is not None else None
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
        """After this container changed an expert: the next load reads the table, which has the change
        before the stream consumer has republished the snapshot (later loads use the snapshot again)."""
        with self._lock:
            self._loaded_at = -math.inf
            self._from_table = True
            self._singles.clear()
