"""The catalog snapshot in production (issue 14): its bucket, the setting that names it, and roles that
reach only its one object."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from chalicelib.db import snapshots
from infra import catalog
from tests.infra.test_policies import as_list, granted, role_statements

ROOT = Path(__file__).resolve().parents[2]
OBJECT = {"Fn::Sub": "${CatalogBucket.Arn}/" + snapshots.KEY}


def s3_calls() -> set[str]:
    """The S3 operations chalicelib/db/snapshots.py makes, as IAM actions."""
    source = (ROOT / "chalicelib" / "db" / "snapshots.py").read_text()
    return {"s3:" + "".join(p.capitalize() for p in op.split("_")) for op in re.findall(r"_client\.(\w+)\(", source)}


def test_the_bucket_is_private_encrypted_versioned_and_tls_only(resources: dict[str, Any]) -> None:
    bucket = resources[catalog.BUCKET]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == catalog.NONCURRENT_DAYS
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    (deny,) = resources[f"{catalog.BUCKET}Policy"]["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_every_function_is_told_the_bucket(resources: dict[str, Any]) -> None:
    functions = [r for r in resources.values() if r["Type"] == "AWS::Serverless::Function"]
    assert functions
    for function in functions:
        assert function["Properties"]["Environment"]["Variables"]["CATALOG_BUCKET"] == {"Ref": catalog.BUCKET}


def s3_statements(resources: dict[str, Any], role: str) -> dict[str, dict[str, Any]]:
    return {a: s for s in role_statements(resources, role) for a in as_list(s["Action"]) if a.startswith("s3:")}


def test_the_api_reads_and_the_stream_consumer_writes_only_the_snapshot_object(resources: dict[str, Any]) -> None:
    reads, writes = {"s3:GetObject"}, {"s3:PutObject"}
    assert reads | writes == s3_calls()
    api = s3_statements(resources, "ApiHandlerRole")
    consumer = s3_statements(resources, "SendBookingEmailsRole")
    assert set(api) == reads | {"s3:ListBucket"}
    assert set(consumer) == reads | writes | {"s3:ListBucket"}
    for statements in (api, consumer):
        for action in reads | writes:
            if action in statements:
                assert statements[action]["Resource"] == OBJECT
        listing = statements["s3:ListBucket"]
        assert listing["Resource"] == {"Fn::GetAtt": [catalog.BUCKET, "Arn"]}
        assert listing["Condition"] == {"StringEquals": {"s3:prefix": snapshots.KEY}}
    assert granted(role_statements(resources, "ExpireUnverifiedHoldsRole"), "s3") == set()
