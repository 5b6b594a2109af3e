"""The merge template adapts to what Chalice generated: with and without the stream consumer."""

from __future__ import annotations

from typing import Any

import pytest

from infra import api
from infra.template import merge_template


def generated(with_stream: bool) -> dict[str, Any]:
    """The shape of Chalice's own sam.json, reduced to what the merge template reads."""
    resources: dict[str, Any] = {
        "RestAPI": {
            "Type": "AWS::Serverless::Api",
            "Properties": {
                "DefinitionBody": {"paths": {"/health": {"get": {}, "options": {}}, "/bookings": {"post": {}}}}
            },
        },
        "APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {}},
        "ApiHandlerLogGroup": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
    }
    if with_stream:
        resources["SendBookingEmails"] = {
            "Type": "AWS::Serverless::Function",
            "Properties": {"Events": {"SendBookingEmailsDynamodbEventSource": {"Type": "DynamoDB", "Properties": {}}}},
        }
        resources["SendBookingEmailsLogGroup"] = {"Type": "AWS::Logs::LogGroup", "Properties": {}}
    return {"Resources": resources}


def test_without_a_stream_consumer_there_is_no_queue_and_no_event_override() -> None:
    merged = merge_template("prod", generated(with_stream=False))
    assert "EmailFailureQueue" not in merged["Resources"]
    assert "SendBookingEmails" not in merged["Resources"]
    assert "Events" not in merged["Resources"]["APIHandler"]["Properties"]


def test_with_a_stream_consumer_its_event_reads_this_tables_stream() -> None:
    merged = merge_template("prod", generated(with_stream=True))["Resources"]
    events = merged["SendBookingEmails"]["Properties"]["Events"]
    assert events["SendBookingEmailsDynamodbEventSource"]["Properties"]["Stream"] == {
        "Fn::GetAtt": ["BookingTable", "StreamArn"]
    }
    assert "EmailFailureQueue" in merged
    assert merged["SendBookingEmails"]["DependsOn"] == ["SendBookingEmailsLogGroup"]


def test_only_routes_with_a_preflight_get_the_cors_override() -> None:
    body = merge_template("prod", generated(with_stream=False))["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    assert set(body["paths"]) == {"/health"}  # an override for /bookings would create a broken OPTIONS method


def test_other_event_sources_are_refused_rather_than_left_unwired() -> None:
    template = generated(with_stream=True)
    template["Resources"]["SendBookingEmails"]["Properties"]["Events"]["Uploads"] = {"Type": "S3"}
    with pytest.raises(ValueError, match="only DynamoDB stream and schedule"):
        merge_template("prod", template)


def test_the_hold_sweep_runs_on_a_schedule_with_its_own_least_privilege_role(resources: dict[str, Any]) -> None:
    events = resources["ExpireUnverifiedHolds"]["Properties"]["Events"]
    assert [e["Type"] for e in events.values()] == ["Schedule"]
    assert next(iter(events.values()))["Properties"]["Schedule"] == "rate(1 minute)"
    statements = resources["ExpireUnverifiedHoldsRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])} == {
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }


def test_the_availability_roll_runs_hourly_and_may_only_add_slots(resources: dict[str, Any]) -> None:
    events = resources["RollAvailability"]["Properties"]["Events"]
    assert [e["Properties"]["Schedule"] for e in events.values()] == ["rate(1 hour)"]
    statements = resources["RollAvailabilityRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    actions = {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert "dynamodb:DeleteItem" not in actions and "dynamodb:Scan" not in actions
    (writes,) = [s for s in statements if "dynamodb:PutItem" in s["Action"]]
    assert writes["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == ["EXPERT#*"]


@pytest.mark.parametrize(
    ("logical_id", "name"), [("APIHandler", "api-handler"), ("SendBookingEmails", "send-booking-emails")]
)
def test_function_names_are_kebab_case(logical_id: str, name: str) -> None:
    assert api.function_name(logical_id) == name


def test_secret_parameter_default_is_per_stage() -> None:
    for stage in ("dev", "prod"):
        default = merge_template(stage, generated(False))["Parameters"]["ClientTokenSecretParameter"]["Default"]
        assert default == f"/expert-booking/{stage}/client-token-secret"
