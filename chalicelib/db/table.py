"""The table definition: the single source for the local stack, the tests and the template."""

from __future__ import annotations

from typing import Any

TTL_ATTRIBUTE = "expiresAt"
GSI1 = "GSI1"
GSI2 = "GSI2"
GSI3 = "GSI3"
GSI4 = "GSI4"  # sparse: unverified holds by expiry
INDEXES = (GSI1, GSI2, GSI3, GSI4)


def _index(name: str) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": f"{name}PK", "KeyType": "HASH"},
            {"AttributeName": f"{name}SK", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }


def definition(table_name: str) -> dict[str, Any]:
    """Arguments for DynamoDB CreateTable (also rendered into CloudFormation)."""
    attributes = ["PK", "SK"] + [f"{index}{part}" for index in INDEXES for part in ("PK", "SK")]
    return {
        "TableName": table_name,
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [_index(index) for index in INDEXES],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }


def create(client: Any, table_name: str) -> bool:
    """Create the table if missing and wait for it. Returns True when it was created."""
    try:
        client.create_table(**definition(table_name))
    except client.exceptions.ResourceInUseException:
        return False
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 50})
    client.update_time_to_live(
        TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
    )
    return True
