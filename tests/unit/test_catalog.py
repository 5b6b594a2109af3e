import pytest

from chalicelib.errors import ExpertNotFound
from chalicelib.services.experts import Catalog
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
