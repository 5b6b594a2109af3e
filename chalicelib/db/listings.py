"""Booking lists: by expert or all (admin, GSI2/GSI3, cursor) and by client email (GSI1)."""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.db import items, keys
from chalicelib.db.dynamo import MAX_FILTERED_PAGES, Table
from chalicelib.db.table import GSI1, GSI2, GSI3
from chalicelib.domain import Booking, BookingQuery
from chalicelib.errors import ValidationFailed

log = logging.getLogger(__name__)


class ListingTable(Table):
    def list_bookings(self, query: BookingQuery) -> tuple[list[Booking], dict[str, str] | None]:
        """One page of bookings by start time, for one expert (GSI2) or all (GSI3)."""
        index, pk = (
            (GSI2, keys.expert_bookings_partition(query.expert_id)) if query.expert_id else (GSI3, keys.ALL_BOOKINGS)
        )
        low = keys.booking_order_bound(query.start) if query.start else "0"
        high = keys.booking_order_bound(query.end) + "#~" if query.end else "~"  # inclusive of `end`
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": f"{index}PK = :pk AND {index}SK BETWEEN :low AND :high",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":low": {"S": low}, ":high": {"S": high}},
        }
        if query.status is not None:
            params["FilterExpression"] = "#status = :status"
            params["ExpressionAttributeNames"] = {"#status": "status"}
            params["ExpressionAttributeValues"][":status"] = {"S": query.status.value}
        if query.cursor:
            if set(query.cursor) != {"PK", "SK", f"{index}PK", f"{index}SK"} or query.cursor[f"{index}PK"] != pk:
                raise ValidationFailed.field("cursor", "This cursor belongs to another listing; start again.")
            params["ExclusiveStartKey"] = items.key(query.cursor)
        found: list[Booking] = []
        for _ in range(MAX_FILTERED_PAGES):  # a status filter can leave pages short: read on, within bounds
            params["Limit"] = query.limit - len(found)
            page = self._call("query", **params)
            found += [items.booking_from(item) for item in page.get("Items", [])]
            last = page.get("LastEvaluatedKey")
            if last is None or len(found) >= query.limit:
                break
            params["ExclusiveStartKey"] = last
        cursor = {name: value["S"] for name, value in last.items()} if last else None
        return found, cursor

    def bookings_for_email(self, email: str) -> list[Booking]:
        found = self._query(
            IndexName=GSI1,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.client_partition(email)}},
        )
        return [items.booking_from(item) for item in found]
