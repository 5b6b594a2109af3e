"""The catalog index against the plain definition it replaces: `sort_name(q) in sort_name(name)`, in
catalog order, on catalogs large enough to span many blocks (both search paths: selective and dense)."""

import random
from dataclasses import replace

import pytest

from chalicelib.domain import sort_name
from chalicelib.services import catalog_index
from chalicelib.services.catalog_index import CatalogIndex
from chalicelib.services.experts import needle_of
from tests.conftest import make_expert

CATEGORIES = ["Design", "Engineering", "Legal"]
SYLLABLES = ["an", "jo", "sé", "ZO", "ë", "mar", "Ö", "tin", "la", "ÿ", "Ø", "ß", "ki", " "]


def catalog(size: int, seed: int = 7) -> list:
    rng = random.Random(seed)

    def name() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 6))).strip() or "x"

    experts = [make_expert(f"exp-{n:05d}", name(), category=rng.choice(CATEGORIES)) for n in range(size)]
    return sorted(experts, key=lambda e: (sort_name(e.name), e.id))


def expected(experts: list, q: str, category: str | None) -> list:
    needle = sort_name(q.strip())
    return [e for e in experts if needle in sort_name(e.name) and (category is None or e.category == category)]


NEEDLES = ["", "a", "JO", "jose", "Zoë", "zoe", "MAR TIN", "o", "ss", "ß", "ø", "marmar", "nothing", "é", " an"]


@pytest.mark.parametrize("size", [0, 1, catalog_index.BLOCK - 1, 5 * catalog_index.BLOCK + 3])
@pytest.mark.parametrize("letters", ["found on first use", "given"])
def test_search_finds_exactly_the_names_containing_the_text_in_catalog_order(size: int, letters: str) -> None:
    experts = catalog(size)
    folded = [sort_name(e.name) for e in experts]
    given = catalog_index.letter_positions(folded, set("".join(folded))) if letters == "given" else None
    index = CatalogIndex(experts, folded, given)
    for q in NEEDLES:
        for category in [None, *CATEGORIES, "Unknown"]:
            found = index.search(needle_of(q), category)
            assert index.page(found, 0, size + 1) == expected(experts, q, category), (q, category)


def test_a_rare_needle_is_found_at_either_edge_of_a_block() -> None:
    block = catalog_index.BLOCK
    experts = [replace(e, category="Legal") for e in catalog(20 * block)]  # one category: blocks = positions
    edges = [0, block - 1, block, 7 * block - 1, 7 * block, 20 * block - 1]
    for n, position in enumerate(edges):
        experts[position] = make_expert(f"rare-{n}", f"Quixotic Ångström {n}", category="Legal")
    index = CatalogIndex(experts)
    assert index.page(index.search(needle_of("ANGSTR"), None), 0, 10) == [experts[p] for p in edges]
    assert index.page(index.search(needle_of("ANGSTR"), "Legal"), 0, 10) == [experts[p] for p in edges]
    assert index.category_counts(needle_of("quixo")) == [("Legal", len(edges))]


def test_category_counts_follow_the_search_text() -> None:
    experts = catalog(3 * catalog_index.BLOCK)
    index = CatalogIndex(experts)
    assert index.category_counts("") == [(c, sum(e.category == c for e in experts)) for c in CATEGORIES]
    for q in NEEDLES:
        counts = [(c, len(expected(experts, q, c))) for c in CATEGORIES]
        assert index.category_counts(needle_of(q)) == counts, q
        index.search(needle_of(q), None)  # remembered now: counted from the remembered matches
        assert index.category_counts(needle_of(q)) == counts, q


def test_pages_slice_the_matches() -> None:
    experts = catalog(300)
    index = CatalogIndex(experts)
    found = index.search(needle_of("a"), None)
    everything = expected(experts, "a", None)
    assert len(found) == len(everything) > 24
    assert index.page(found, 12, 12) == everything[12:24]
    assert index.page(found, len(found), 12) == []


def test_remembered_searches_are_bounded() -> None:
    index = CatalogIndex(catalog(50))
    for n in range(catalog_index.CACHED_SEARCHES + 40):
        index.search(f"needle-{n}", None)
    assert len(index._recent) == catalog_index.CACHED_SEARCHES


def test_folded_names_given_with_the_snapshot_must_match_the_experts() -> None:
    experts = catalog(3)
    with pytest.raises(ValueError):
        CatalogIndex(experts, ["only one"])
    index = CatalogIndex(experts, [sort_name(e.name) for e in experts])
    assert index.by_id["exp-00001"].id == "exp-00001"
