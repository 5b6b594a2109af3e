"""The catalog snapshot as one S3 object (services/catalog_snapshot.py says what is in it).

Reads are conditional (`If-None-Match` with the ETag a container holds, so an unchanged catalog is a
bodiless 304); writes are conditional too (`If-Match` the ETag read, or `If-None-Match: *` to create),
so concurrent stream consumers cannot overwrite each other's changes.
"""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.services.catalog_snapshot import NOT_MODIFIED, NotModified, Stored

log = logging.getLogger(__name__)
KEY = "catalog/experts.json.gz"
_REFUSED = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}


def _code(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: Any) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


class S3SnapshotStore:
    def __init__(self, client: Any, bucket: str, key: str = KEY):
        self._client = client
        self._bucket = bucket
        self._key = key

    def read(self, etag: str | None) -> Stored | NotModified | None:
        """None when there is no snapshot, or S3 cannot be read now: the catalog then reads the table
        (a missing bucket or a denied read is logged, as it costs a Query per reload)."""
        from botocore.exceptions import BotoCoreError, ClientError

        condition = {"IfNoneMatch": etag} if etag else {}
        try:
            found = self._client.get_object(Bucket=self._bucket, Key=self._key, **condition)
            return Stored(etag=str(found["ETag"]), body=found["Body"].read())
        except ClientError as exc:
            if _status(exc) == 304:
                return NOT_MODIFIED
            if _code(exc) != "NoSuchKey":
                log.warning("catalog snapshot unreadable (%s): using the table", _code(exc) or _status(exc))
            return None
        except BotoCoreError as exc:
            log.warning("catalog snapshot unreachable (%s): using the table", type(exc).__name__)
            return None

    def write(self, body: bytes, replaces: str | None) -> bool:
        from botocore.exceptions import ClientError

        condition = {"IfMatch": replaces} if replaces else {"IfNoneMatch": "*"}
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=self._key,
                Body=body,
                ContentType="application/gzip",  # no Content-Encoding: nothing on the way may unpack it
                CacheControl="no-cache",
                **condition,
            )
        except ClientError as exc:
            if _code(exc) in _REFUSED or _status(exc) in (409, 412):
                return False
            raise
        return True
