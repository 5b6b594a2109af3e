"""Experts: create (conditional), update only the fields sent, read one, list the catalog (GSI1)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from chalicelib.db import items, keys
from chalicelib.db.dynamo import Table
from chalicelib.db.table import GSI1
from chalicelib.domain import (
    Expert,
)
from chalicelib.errors import (
    Conflict,
    NotApplied,
    UnknownOutcome,
)

log = logging.getLogger(__name__)


class ExpertTable(Table):
    def create_expert(self, expert: Expert) -> None:
        """Put a new expert (the id is random, so an existing item means this put already landed and
        botocore retried it after a lost response: that is success, anything else is a conflict)."""
        try:
            self._call(
                "put_item",
                TableName=self._table,
                Item=items.expert_item(expert),
                ConditionExpression="attribute_not_exists(PK)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except UnknownOutcome:
            if not self._resolve(lambda: self.get_expert(expert.id) == expert):
                raise NotApplied() from None
        except self._client.exceptions.ConditionalCheckFailedException as exc:
            old = exc.response.get("Item")  # compared as an expert: DynamoDB may write numbers differently
            if not old or items.expert_from(old) != expert:
                raise Conflict("An expert with this id exists.") from exc

    def update_expert(self, expert_id: str, changes: Mapping[str, Any]) -> Expert | None:
        """Set only the given fields, without reading first, so a concurrent edit of other fields is
        kept; returns the stored expert, or None when there is none."""
        if not changes:
            return self.get_expert(expert_id)
        attributes = list(items.expert_attributes(expert_id, changes).items())
        try:
            found = self._call(
                "update_item",
                TableName=self._table,
                Key=items.key(keys.expert(expert_id)),
                UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(attributes))),
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={f"#a{i}": name for i, (name, _) in enumerate(attributes)},
                ExpressionAttributeValues={f":v{i}": value for i, (_, value) in enumerate(attributes)},
                ReturnValues="ALL_NEW",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return None
        return items.expert_from(found["Attributes"])

    def get_expert(self, expert_id: str) -> Expert | None:
        found = self._call("get_item", TableName=self._table, Key=items.key(keys.expert(expert_id)))
        return items.expert_from(found["Item"]) if "Item" in found else None

    def list_experts(self) -> list[Expert]:
        pages = self._query(
            IndexName=GSI1,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.CATALOG}},
        )
        return [items.expert_from(item) for item in pages]
