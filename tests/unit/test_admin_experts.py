"""Editing an expert never writes back a stale copy of the fields it did not change."""

from __future__ import annotations

import pytest

from chalicelib.errors import ExpertNotFound
from chalicelib.services import admin
from chalicelib.services.experts import Catalog
from tests.conftest import make_expert
from tests.fakes import FakeRepository


def test_an_edit_from_a_container_with_a_stale_catalog_keeps_newer_fields() -> None:
    store = FakeRepository()
    store.put_expert(make_expert("exp-1", "Ada Lovelace"))
    here = Catalog(store, 60)
    assert here.get("exp-1").name == "Ada Lovelace"  # this container has it cached for a minute
    store.update_expert("exp-1", {"name": "Ada King"})  # another container renames her meanwhile

    updated = admin.update_expert(store, here, "exp-1", {"bio": "Wrote the first program."})

    assert updated.name == "Ada King" and updated.bio == "Wrote the first program."
    assert store.experts["exp-1"] == updated
    assert here.get("exp-1") == updated  # and this container's cache is dropped


def test_editing_an_unknown_expert_is_not_found() -> None:
    with pytest.raises(ExpertNotFound):
        admin.update_expert(FakeRepository(), Catalog(FakeRepository(), 60), "exp-x", {"bio": "x"})
