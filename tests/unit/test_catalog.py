import gzip

import pytest

from chalicelib.db import keys
from chalicelib.domain import sort_name
from chalicelib.errors import ExpertNotFound
from chalicelib.services.catalog_snapshot import (
    NOT_MODIFIED,
    NotModified,
    SnapshotConflict,
    Stored,
    decode,
    order_key,
    republish,
    row,
)
from chalicelib.services.experts import Catalog, ExpertPage
from tests.conftest import make_expert
from tests.fakes import FakeRepository


class Clock:
    def __init__(self) -> None:
        self.value = 0.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def repo() -> FakeRepository:
    repo = FakeRepository()
    names = ["José Álvarez", "Zoë Adams", "Ana Lima", "Bob Stone", "Joséphine Roy"]
    for index, name in enumerate(names):
        repo.put_expert(make_expert(f"exp-{index}", name, category="Design" if index % 2 else "Legal"))
    repo.calls.clear()
    return repo


def test_search_is_case_and_accent_insensitive_anywhere_in_the_name(repo: FakeRepository) -> None:
    catalog = Catalog(repo, 30)
    assert [e.name for e in catalog.search("JOSE", None, 1, 10).items] == ["José Álvarez", "Joséphine Roy"]
    assert [e.name for e in catalog.search("zoe", None, 1, 10).items] == ["Zoë Adams"]
    assert [e.name for e in catalog.search("ston", None, 1, 10).items] == ["Bob Stone"]


def test_category_filter_and_pagination_totals(repo: FakeRepository) -> None:
    catalog = Catalog(repo, 30)
    page = catalog.search(None, "Legal", 2, 2)
    assert (page.total, page.total_pages, page.page, len(page.items)) == (3, 2, 2, 1)
    assert catalog.search(None, "Unknown", 1, 10).total == 0
    assert catalog.search(None, None, 9, 10).items == []
    assert catalog.categories() == [("Design", 2), ("Legal", 3)]


def test_the_catalog_is_read_once_per_ttl(repo: FakeRepository) -> None:
    clock = Clock()
    catalog = Catalog(repo, 30, clock)
    catalog.search(None, None, 1, 10)
    catalog.categories()
    catalog.get("exp-1")
    assert repo.calls == ["list_experts"]
    clock.value = 30
    catalog.search(None, None, 1, 10)
    assert repo.calls == ["list_experts", "list_experts"]


def test_get_reads_the_item_when_cold_or_missing(repo: FakeRepository) -> None:
    catalog = Catalog(repo, 30)
    assert catalog.get("exp-2").name == "Ana Lima"
    catalog.get("exp-2")
    assert repo.calls == ["get_expert"]
    with pytest.raises(ExpertNotFound):
        catalog.get("nope")


def test_categories_count_the_experts_matching_the_search_text(repo: FakeRepository) -> None:
    catalog = Catalog(repo, 30)
    assert catalog.categories("JOSE") == [("Design", 0), ("Legal", 2)]
    assert catalog.categories("  zoë ") == [("Design", 1), ("Legal", 0)]
    assert catalog.categories("") == catalog.categories(None) == [("Design", 2), ("Legal", 3)]


class MemorySnapshots:
    """The S3 store's contract in memory (tests/integration/test_catalog_snapshot.py runs the real one)."""

    def __init__(self) -> None:
        self.body: bytes | None = None
        self.version = 0
        self.reads: list[str | None] = []
        self.refuse_writes = 0

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    def read(self, etag: str | None) -> Stored | NotModified | None:
        self.reads.append(etag)
        if self.body is None:
            return None
        return NOT_MODIFIED if etag == self.etag else Stored(self.etag, self.body)

    def write(self, body: bytes, replaces: str | None) -> bool:
        if self.refuse_writes:
            self.refuse_writes -= 1
            self.version += 1  # someone else wrote meanwhile
            return False
        if (self.body is None) != (replaces is None) or (replaces is not None and replaces != self.etag):
            return False
        self.body, self.version = body, self.version + 1
        return True


def names(page: ExpertPage) -> list[str]:
    return [e.name for e in page.items]


def test_with_a_snapshot_a_reload_is_a_conditional_read_and_not_a_query(repo: FakeRepository) -> None:
    clock, snapshots = Clock(), MemorySnapshots()
    republish(snapshots, repo, [])
    repo.calls.clear()
    snapshots.reads.clear()
    catalog = Catalog(repo, 30, clock, snapshots)
    assert names(catalog.search("jose", None, 1, 10)) == ["José Álvarez", "Joséphine Roy"]
    clock.value = 30
    assert catalog.search(None, "Legal", 1, 10).total == 3
    assert snapshots.reads == [None, '"v1"'] and repo.calls == []
    republish(snapshots, repo, [make_expert("exp-9", "Josef Kafka", category="Legal")])
    clock.value = 45
    assert names(catalog.search("jose", None, 1, 10)) == ["José Álvarez", "Joséphine Roy"]  # within the TTL
    clock.value = 60
    assert names(catalog.search("jose", None, 1, 10)) == ["José Álvarez", "Josef Kafka", "Joséphine Roy"]
    assert catalog.categories("jose") == [("Design", 0), ("Legal", 3)]


def test_without_a_snapshot_the_catalog_reads_the_table(repo: FakeRepository) -> None:
    clock, snapshots = Clock(), MemorySnapshots()
    catalog = Catalog(repo, 30, clock, snapshots)
    assert catalog.search(None, None, 1, 10).total == 5
    clock.value = 30
    catalog.search(None, None, 1, 10)
    assert repo.calls == ["list_experts", "list_experts"] and snapshots.reads == [None, None]


def test_after_its_own_write_a_container_reads_the_table_once(repo: FakeRepository) -> None:
    clock, snapshots = Clock(), MemorySnapshots()
    republish(snapshots, repo, [])
    catalog = Catalog(repo, 30, clock, snapshots)
    catalog.search(None, None, 1, 10)
    repo.calls.clear()
    repo.put_expert(make_expert("exp-9", "Aaron New"))  # the stream has not republished yet
    catalog.invalidate()
    assert names(catalog.search(None, None, 1, 1)) == ["Aaron New"]
    clock.value = 30
    assert names(catalog.search(None, None, 1, 1)) == ["Aaron New"]  # the snapshot is unchanged: index kept
    assert repo.calls == ["put_expert", "list_experts"]


def test_republish_applies_the_changes_to_the_stored_snapshot_in_catalog_order(repo: FakeRepository) -> None:
    snapshots = MemorySnapshots()
    republish(snapshots, repo, [])
    assert repo.calls == ["list_experts"]
    renamed = make_expert("exp-3", "Aaron Stone", category="Legal")
    republish(snapshots, repo, [renamed, make_expert("exp-7", "Zed Last")])
    assert repo.calls == ["list_experts"]  # applied to the snapshot, not read again
    assert snapshots.body is not None
    experts, folded, letters = decode(snapshots.body)
    assert [e.name for e in experts] == [
        "Aaron Stone",
        "Ana Lima",
        "José Álvarez",
        "Joséphine Roy",
        "Zed Last",
        "Zoë Adams",
    ]
    assert folded[0] == "aaron stone" and experts[0] == renamed
    # Each letter's positions, as the index would find them itself.
    assert {c: list(p) for c, p in letters.items()} == {
        c: [i for i, name in enumerate(folded) if c in name] for c in set("".join(folded))
    }


def test_republish_retries_when_another_writer_got_there_first(repo: FakeRepository) -> None:
    snapshots = MemorySnapshots()
    republish(snapshots, repo, [])
    snapshots.refuse_writes = 2
    republish(snapshots, repo, [make_expert("exp-8", "Late Writer")])
    assert snapshots.body is not None and "Late Writer" in [e.name for e in decode(snapshots.body)[0]]
    snapshots.refuse_writes = 5
    with pytest.raises(SnapshotConflict):
        republish(snapshots, repo, [make_expert("exp-8", "Never Lands")])


def test_the_snapshot_order_is_the_catalog_index_order() -> None:
    expert = make_expert("exp-1", "Ann B")
    assert order_key(row(expert)) == keys.catalog_entry(sort_name(expert.name), expert.id)["GSI1SK"]


UNREADABLE_ROWS = [
    b"not gzip",
    gzip.compress(b"{}"),
    gzip.compress(b'{"format": 1, "experts": []}'),  # the format before letters
    gzip.compress(b'{"format": 2, "experts": [[1]], "letters": {}}'),
]
UNREADABLE_LETTERS = [
    gzip.compress(b'{"format": 2, "experts": [], "letters": {"a": ["x"]}}'),
    gzip.compress(b'{"format": 2, "experts": [], "letters": {"a": [1]}}'),  # past the last expert
]


# Named ids: gzip's header carries the time, so ids made from the bytes differ between xdist workers.
@pytest.mark.parametrize(
    "body",
    UNREADABLE_ROWS + UNREADABLE_LETTERS,
    ids=["not gzip", "no format", "format 1", "a row not an expert", "a letter not an index", "a letter past the end"],
)
def test_an_unreadable_snapshot_is_read_around_and_rebuilt(repo: FakeRepository, body: bytes) -> None:
    snapshots = MemorySnapshots()
    snapshots.body = body
    assert Catalog(repo, 30, snapshots=snapshots).search(None, None, 1, 10).total == 5  # from the table
    assert repo.calls == ["list_experts"]
    republish(snapshots, repo, [make_expert("exp-9", "New One")])
    assert snapshots.body is not None
    republished = [e.name for e in decode(snapshots.body)[0]]  # readable again, letters found anew
    # Rows it cannot read are rebuilt from the table; readable rows are kept (the letters are not read).
    assert len(republished) == (6 if body in UNREADABLE_ROWS else 1) and "New One" in republished
