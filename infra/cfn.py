"""CloudFormation building blocks: intrinsic functions and the table rendered from its one definition."""

from __future__ import annotations

from typing import Any

from chalicelib.db import table

TABLE = "BookingTable"  # logical id; the policies in .chalice/ refer to it by this name
Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"Ref": name}


def get_att(name: str, attribute: str) -> Json:
    return {"Fn::GetAtt": [name, attribute]}


def sub(text: str) -> Json:
    return {"Fn::Sub": text}


def resource(resource_type: str, properties: Json) -> Json:
    return {"Type": resource_type, "Properties": properties}


# CreateTable arguments that CloudFormation takes under the same name and shape.
_SAME_SHAPE = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode")


def table_properties(definition: Json) -> Json:
    """AWS::DynamoDB::Table properties from CreateTable arguments, plus the production settings.

    Fails on any CreateTable argument it does not know, so the template cannot silently drift
    from chalicelib/db/table.py when someone adds one.
    """
    unknown = set(definition) - {*_SAME_SHAPE, "TableName", "StreamSpecification"}
    if unknown:
        raise ValueError(f"table definition has arguments the template does not render: {sorted(unknown)}")
    properties: Json = {key: definition[key] for key in _SAME_SHAPE if key in definition}
    stream = definition.get("StreamSpecification", {})
    if stream.get("StreamEnabled"):
        properties["StreamSpecification"] = {"StreamViewType": stream["StreamViewType"]}
    properties["TableName"] = ref("AWS::StackName")
    properties["TimeToLiveSpecification"] = {"AttributeName": table.TTL_ATTRIBUTE, "Enabled": True}
    properties["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    properties["DeletionProtectionEnabled"] = True
    properties["SSESpecification"] = {"SSEEnabled": True}  # KMS, AWS managed key aws/dynamodb
    return properties


def table_resource() -> Json:
    return {
        TABLE: {
            "Type": "AWS::DynamoDB::Table",
            # The data outlives the stack: deleting or replacing the stack keeps the table.
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": table_properties(table.definition("unused")),
        }
    }
