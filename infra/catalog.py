"""The catalog snapshot's bucket (issue 14): one private, versioned S3 object that the stream consumer
rewrites when experts change and every API container reads with If-None-Match (chalicelib/db/snapshots.py).

The permissions are in .chalice/policy-api.json (read the object) and .chalice/policy-emails.json (read
and write it); both name only that object (chalicelib/db/snapshots.py KEY) in this bucket.
"""

from __future__ import annotations

from infra import buckets
from infra.cfn import Json, ref

BUCKET = "CatalogBucket"
NONCURRENT_DAYS = 7  # earlier snapshots kept this long, to inspect or restore one


def _bucket() -> Json:
    """A private bucket (no public access, SSE-S3, owner-enforced), versioned."""
    bucket = buckets.private_bucket()
    bucket["Properties"]["VersioningConfiguration"] = {"Status": "Enabled"}
    bucket["Properties"]["LifecycleConfiguration"] = {
        "Rules": [
            {
                "Id": "ForgetOldSnapshots",
                "Status": "Enabled",
                "NoncurrentVersionExpiration": {"NoncurrentDays": NONCURRENT_DAYS},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
            }
        ]
    }
    return bucket


def resources() -> Json:
    return {
        BUCKET: _bucket(),
        f"{BUCKET}Policy": buckets.tls_only_policy(BUCKET),
    }


def with_bucket(function_overrides: Json) -> Json:
    """The functions' overrides (infra/api.py) with CATALOG_BUCKET added to each one's environment."""
    for override in function_overrides.values():
        variables = override.get("Properties", {}).get("Environment", {}).get("Variables")
        if variables is not None:
            variables["CATALOG_BUCKET"] = ref(BUCKET)
    return function_overrides


def outputs() -> Json:
    return {"CatalogBucketName": {"Value": ref(BUCKET)}}
