"""The reminder function (issue 12) in the packaged template: every 5 minutes, with its own role that
reads the all-bookings index and experts, writes only email markers and sends as the sender."""

from __future__ import annotations

from typing import Any

from chalicelib.db import keys
from infra import cfn
from tests.infra.test_policies import as_list, granted, role_statements


def test_reminders_run_every_five_minutes_with_a_least_privilege_role(resources: dict[str, Any]) -> None:
    events = resources["SendSessionReminders"]["Properties"]["Events"]
    assert [e["Type"] for e in events.values()] == ["Schedule"]
    assert next(iter(events.values()))["Properties"]["Schedule"] == "rate(5 minutes)"
    statements = role_statements(resources, "SendSessionRemindersRole")
    assert granted(statements) == {
        "dynamodb:Query",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "ses:SendRawEmail",
        "ssm:GetParameter",
        "kms:Decrypt",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
    by_action = {a: s for s in statements for a in as_list(s["Action"])}
    assert by_action["dynamodb:Query"]["Resource"] == {"Fn::Sub": "${BookingTable.Arn}/index/GSI3"}
    assert by_action["dynamodb:GetItem"]["Resource"] == {"Fn::GetAtt": [cfn.TABLE, "Arn"]}
    leading = {
        action: by_action[action]["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
        for action in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
    }
    marker = keys.email_marker("any")["PK"].split("#")[0] + "#*"
    assert leading == {
        "dynamodb:GetItem": [keys.expert("any")["PK"].split("#")[0] + "#*"],
        "dynamodb:PutItem": [marker],
        "dynamodb:UpdateItem": [marker],
    }
    assert by_action["ses:SendRawEmail"]["Resource"]["Fn::Sub"].endswith(":identity/${SenderEmail}")


def test_the_offsets_are_a_stack_parameter_the_function_reads(template: dict[str, Any]) -> None:
    parameter = template["Parameters"]["ReminderOffsetsMinutes"]
    assert (parameter["Type"], parameter["Default"]) == ("String", "1440,60")
    variables = template["Resources"]["SendSessionReminders"]["Properties"]["Environment"]["Variables"]
    assert variables["REMINDER_OFFSETS_MINUTES"] == {"Ref": "ReminderOffsetsMinutes"}
