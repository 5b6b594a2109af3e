"""The catalog snapshot over real servers (issue 14): S3 and DynamoDB on moto_server over HTTP, the app in
process, and the table's stream fed to the same consumer Lambda runs (devstack/stream_worker.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import aws
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from chalicelib.db.snapshots import S3SnapshotStore
from chalicelib.domain import Expert
from chalicelib.services.catalog_snapshot import NOT_MODIFIED, Stored, decode, encode, row
from chalicelib.services.experts import Catalog
from devstack.stream_worker import StreamFeeder
from tests.conftest import make_expert
from tests.integration.conftest import app_client


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CountingStore:
    """The real repository, counting the catalog Queries a container makes."""

    def __init__(self, repo: DynamoRepository):
        self.repo, self.queries = repo, 0

    def list_experts(self) -> list[Expert]:
        self.queries += 1
        return self.repo.list_experts()

    def get_expert(self, expert_id: str) -> Expert | None:
        return self.repo.get_expert(expert_id)


@pytest.fixture
def snapshots(moto_url: str) -> Iterator[S3SnapshotStore]:
    bucket = f"catalog-{uuid.uuid4().hex[:12]}"
    aws.client("s3").create_bucket(Bucket=bucket)
    yield S3SnapshotStore(aws.client("s3"), bucket)


@pytest.fixture
def client(dynamo_repo: DynamoRepository, settings: Settings, snapshots: S3SnapshotStore) -> Iterator[Client]:
    """The admin's container: the app with a catalog read from the snapshot bucket (conftest's `feeder`
    feeds this app's stream consumer)."""
    dynamo_repo.put_expert(make_expert("exp-ada", "Ada Lovelace"))
    configured = replace(settings, catalog_bucket=snapshots._bucket)
    catalog = Catalog(dynamo_repo, 30, snapshots=snapshots)
    with app_client(dynamo_repo, configured, catalog=catalog, catalog_snapshots=snapshots) as test_client:
        yield test_client


def names(catalog: Catalog, q: str | None = None) -> list[str]:
    return [e.name for e in catalog.search(q, None, 1, 50).items]


def test_the_s3_store_reads_conditionally_and_writes_only_over_what_it_read(snapshots: S3SnapshotStore) -> None:
    assert snapshots.read(None) is None
    first = encode([row(make_expert("exp-1", "Ada Lovelace"))])
    assert snapshots.write(first, replaces=None)
    assert not snapshots.write(first, replaces=None)  # created meanwhile by someone else: refused
    stored = snapshots.read(None)
    assert isinstance(stored, Stored) and stored.body == first
    assert snapshots.read(stored.etag) is NOT_MODIFIED
    second = encode([row(make_expert("exp-2", "Grace Hopper"))])
    assert not snapshots.write(second, replaces='"not-the-current-etag"')
    assert snapshots.write(second, replaces=stored.etag)
    changed = snapshots.read(stored.etag)
    assert isinstance(changed, Stored) and changed.etag != stored.etag
    assert [e.name for e in decode(changed.body)[0]] == ["Grace Hopper"]


def test_without_a_snapshot_the_listing_reads_the_table(
    client: Client, dynamo_repo: DynamoRepository, snapshots: S3SnapshotStore
) -> None:
    container = CountingStore(dynamo_repo)
    catalog = Catalog(container, 30, snapshots=snapshots)
    assert names(catalog) == ["Ada Lovelace"] and container.queries == 1
    assert snapshots.read(None) is None  # reading never creates it: only the stream consumer does
    listing = client.http.get("/experts?q=ADA")
    assert [e["name"] for e in listing.json_body["items"]] == ["Ada Lovelace"]


def test_expert_changes_reach_other_containers_through_the_snapshot_without_a_query(
    client: Client,
    admin: dict[str, str],
    feeder: StreamFeeder,
    dynamo_repo: DynamoRepository,
    snapshots: S3SnapshotStore,
) -> None:
    feeder.drain()  # the first expert's record publishes the first snapshot
    clock, container = Clock(), CountingStore(dynamo_repo)
    other = Catalog(container, 30, clock, snapshots)  # another container, reading the snapshot
    assert names(other) == ["Ada Lovelace"]

    fields = {"name": "Hedy Lamarr", "category": "Engineering", "experienceYears": 20, "rating": 4.9,
              "bio": "Frequency hopping.", "timezone": "America/Los_Angeles", "sessionMinutes": 45}  # fmt: skip
    created = client.http.post("/admin/experts", headers=admin, body=json.dumps(fields))
    assert created.status_code == 201
    hedy = created.json_body["id"]
    # The admin's own container shows it at once (it reads the table after its own write) ...
    assert [e["name"] for e in client.http.get("/experts?q=lamarr").json_body["items"]] == ["Hedy Lamarr"]
    assert client.http.get("/categories?q=lamarr").json_body["items"] == [{"name": "Engineering", "count": 1}]

    feeder.drain()  # the stream consumer republishes
    assert names(other) == ["Ada Lovelace"]  # ... others at their next check, within the TTL
    clock.now = 30
    assert names(other) == ["Ada Lovelace", "Hedy Lamarr"]

    edited = client.http.patch(f"/admin/experts/{hedy}", headers=admin, body=json.dumps({"name": "Hedwig Kiesler"}))
    assert edited.status_code == 200
    feeder.drain()
    clock.now = 60
    assert names(other, "kiesler") == ["Hedwig Kiesler"] and names(other, "lamarr") == []
    assert container.queries == 0  # every reload was a conditional GET of the snapshot
    stored = snapshots.read(None)
    assert isinstance(stored, Stored)
    assert [e.name for e in decode(stored.body)[0]] == ["Ada Lovelace", "Hedwig Kiesler"]


def test_a_batch_with_an_expert_change_publishes_once_and_keeps_what_others_published(
    client: Client, feeder: StreamFeeder, dynamo_repo: DynamoRepository, snapshots: S3SnapshotStore
) -> None:
    feeder.drain()
    # Another consumer (another shard) published an expert this one has not seen in its records.
    stored = snapshots.read(None)
    assert isinstance(stored, Stored)
    extra = make_expert("exp-zoe", "Zoë Adams", category="Design")
    experts = decode(stored.body)[0]
    assert snapshots.write(encode([*(row(e) for e in experts), row(extra)]), replaces=stored.etag)
    dynamo_repo.update_expert("exp-ada", {"rating": 4.1})
    assert feeder.drain() == 1
    current = snapshots.read(None)
    assert isinstance(current, Stored)
    published: dict[str, Any] = {e.id: e for e in decode(current.body)[0]}
    assert published["exp-ada"].rating == 4.1 and published["exp-zoe"] == extra
