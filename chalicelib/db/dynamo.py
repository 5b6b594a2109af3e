"""The shared DynamoDB plumbing under every aggregate's table module: one call with its errors mapped
to domain errors, transactions with their retries, unanswered writes resolved by reading back, paging."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from typing import Any

from chalicelib.db import items
from chalicelib.errors import (
    NotApplied,
    ServiceUnavailable,
    UnknownOutcome,
)

log = logging.getLogger(__name__)

_RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}
# A TransactionConflict means another transaction touched the same item at the same
# moment; retrying re-evaluates the conditions against the winner's write.
TRANSACTION_ATTEMPTS = 4
MAX_FILTERED_PAGES = 5
ALL_OLD = {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
RESOLVE_ATTEMPTS = 1  # the read itself is retried by botocore (chalicelib/aws.py)
_WRITES = {"put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"}


class Table:
    """The client and table name every aggregate's methods share."""

    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _transact(
        self, ops: list[dict[str, Any]], landed: Callable[[], bool] | None = None
    ) -> list[dict[str, Any]] | None:
        """Run a transaction; None on success, else the cancellation reasons. When no answer came
        (UnknownOutcome), `landed` — a consistent read of what the write leaves behind — tells
        whether it was applied: then it is a success, never a 503 for a write that happened."""
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                self._call("transact_write_items", TransactItems=ops)
                return None
            except UnknownOutcome:
                if landed is None:
                    raise
                if self._resolve(landed):
                    return None
                raise NotApplied() from None
            except self._client.exceptions.TransactionCanceledException as exc:
                reasons: list[dict[str, Any]] = exc.response.get("CancellationReasons", [])
                codes = {r.get("Code") for r in reasons}
                if "TransactionConflict" in codes and "ConditionalCheckFailed" not in codes:
                    if attempt + 1 < TRANSACTION_ATTEMPTS:
                        _backoff(attempt)
                        continue
                    raise Contended() from exc
                return reasons
        raise AssertionError("unreachable")

    @staticmethod
    def _resolve(landed: Callable[[], bool]) -> bool:
        """Whether a write whose answer was lost is in the table. When the read fails too, the outcome
        stays unknown, and the client is told so (UnknownOutcome), not that nothing happened."""
        for attempt in range(RESOLVE_ATTEMPTS):
            try:
                return landed()
            except ServiceUnavailable:
                if attempt + 1 == RESOLVE_ATTEMPTS:
                    raise UnknownOutcome() from None
                _backoff(attempt)
        return False

    def _has_change(self, key: dict[str, str], change_id: str) -> Callable[[], bool]:
        """`landed` for a write that stamps `changeId` on the item at `key`."""

        def landed() -> bool:
            found = self._on_item("get_item", key, ConsistentRead=True)
            return stamped(found.get("Item"), change_id)

        return landed

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        params = {"TableName": self._table, **kwargs}
        while True:
            page = self._call("query", **params)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _on_item(self, operation: str, key: dict[str, str], **kwargs: Any) -> Any:
        """get_item, update_item or delete_item on the item at `key` (its PK and SK)."""
        return self._call(operation, TableName=self._table, Key=items.key(key), **kwargs)

    def _put(self, item: dict[str, Any], **kwargs: Any) -> Any:
        return self._call("put_item", TableName=self._table, Item=item, **kwargs)

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import ClientError, HTTPClientError
        from botocore.exceptions import ConnectionError as BotoConnectionError

        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _RETRYABLE:
                log.warning("dynamodb %s throttled or failed: %s", operation, exc.response["Error"]["Code"])
                raise ServiceUnavailable() from exc
            raise
        # ConnectionError: no connection (refused, connect timeout): nothing was sent. HTTPClientError: the
        # connection was closed, reset or cut mid-answer, or the read timed out (ConnectionClosedError,
        # ReadTimeoutError): a write may have been applied, which the caller finds out (UnknownOutcome).
        except BotoConnectionError as exc:
            log.warning("dynamodb %s unreachable: %s", operation, type(exc).__name__)
            raise ServiceUnavailable() from exc
        except HTTPClientError as exc:
            log.warning("dynamodb %s got no answer: %s", operation, type(exc).__name__)
            if operation in _WRITES:
                raise UnknownOutcome() from exc
            raise ServiceUnavailable() from exc


def new_change_id() -> str:
    """Stamped as `changeId` by a conditional write, so that when the write is refused it can tell from
    the old item (ALL_OLD) whether it refused itself: applied once, response lost, retried by botocore."""
    return secrets.token_urlsafe(12)


def failed(reason: dict[str, Any]) -> bool:
    return reason.get("Code") == "ConditionalCheckFailed"


def stamped(item: dict[str, Any] | None, change_id: str) -> bool:
    return bool(item) and (item or {}).get("changeId", {}).get("S") == change_id


class Contended(ServiceUnavailable):
    """TransactionConflict on every attempt: other transactions kept writing the same items."""


def _backoff(attempt: int) -> None:
    import random
    import time

    time.sleep(random.uniform(0.01, 0.05 * 2**attempt))  # full jitter: 10-50 ms, then up to 100, 200 ms
