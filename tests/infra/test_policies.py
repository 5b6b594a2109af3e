"""Least privilege: the Lambda roles allow exactly the AWS calls the code makes, on this stack's resources."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from chalicelib.db import keys
from infra import cfn

ROOT = Path(__file__).resolve().parents[2]
TABLE_RESOURCES = [{"Fn::GetAtt": [cfn.TABLE, "Arn"]}, {"Fn::Sub": "${BookingTable.Arn}/index/*"}]
# Calls that need no IAM permission: InitiateAuth is authorised by the app client, not by IAM.
NO_IAM_NEEDED = {"cognito-idp:InitiateAuth"}
# Only the local seed bulk-loads slots; no Lambda may.
NOT_FOR_LAMBDA = {"dynamodb:BatchWriteItem"}


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def actions_in_code() -> set[str]:
    """Every AWS action chalicelib calls: DynamoDB through the db modules (transaction items need
    their own action each), the rest through aws.client("<service>").<operation>(...)."""
    repository = "".join(path.read_text() for path in sorted((ROOT / "chalicelib" / "db").glob("*.py")))
    found = {f"dynamodb:{camel(op)}" for op in re.findall(r'_(?:call|on_item)\(\s*"(\w+)"', repository)}
    found |= {f"dynamodb:{kind}Item" for kind in re.findall(r'\{"(Put|Update|Delete|ConditionCheck)":', repository)}
    found.discard("dynamodb:TransactWriteItems")  # not an IAM action: the items above are
    for path in [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]:
        for service, op in re.findall(r'aws\.client\("([\w-]+)"\)\.(\w+)\(', path.read_text()):
            found.add(f"{service}:{camel(op)}")
    return found


def role_statements(resources: dict[str, Any], role: str) -> list[dict[str, Any]]:
    if role not in resources:
        pytest.skip(f"no {role} in the template (the app has no such function)")
    (policy,) = resources[role]["Properties"]["Policies"]
    statements: list[dict[str, Any]] = policy["PolicyDocument"]["Statement"]
    return statements


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def granted(statements: list[dict[str, Any]], service: str | None = None) -> set[str]:
    found = {a for s in statements if s["Effect"] == "Allow" for a in as_list(s["Action"])}
    return {a for a in found if service is None or a.startswith(f"{service}:")}


def roles(resources: dict[str, Any]) -> dict[str, Any]:
    return {name: res for name, res in resources.items() if res["Type"] == "AWS::IAM::Role"}


def test_chalice_made_one_role_per_function_from_the_hand_written_policies(resources: dict[str, Any]) -> None:
    functions = {n for n, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert len(roles(resources)) == len(functions)
    assert "DefaultRole" not in resources  # autogen_policy is off


def test_no_role_allows_a_wildcard_action_or_resource(resources: dict[str, Any]) -> None:
    for name, role in roles(resources).items():
        (policy,) = role["Properties"]["Policies"]
        assert "ManagedPolicyArns" not in role["Properties"], name
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            assert "NotAction" not in statement and "NotResource" not in statement
            for action in as_list(statement["Action"]):
                assert "*" not in action, f"{name}: {action}"
            for resource in as_list(statement["Resource"]):
                assert resource != "*", name
                text = resource if isinstance(resource, str) else str(next(iter(resource.values())))
                assert not re.search(r":(dynamodb|ses|ssm|sqs|logs):\*", text), f"{name}: {text}"


def test_the_roles_together_allow_every_call_the_code_makes(resources: dict[str, Any]) -> None:
    allowed = set().union(*(granted(role_statements(resources, name)) for name in roles(resources)))
    missing = actions_in_code() - allowed - NO_IAM_NEEDED - NOT_FOR_LAMBDA
    assert not missing, f"the code calls {sorted(missing)}; grant them in .chalice/policy-*.json"


def test_api_role_allows_exactly_the_table_actions_the_repository_uses(resources: dict[str, Any]) -> None:
    statements = role_statements(resources, "ApiHandlerRole")
    used = {a for a in actions_in_code() if a.startswith("dynamodb:")} - NOT_FOR_LAMBDA
    assert granted(statements, "dynamodb") == used
    assert "dynamodb:Scan" not in used
    (table_statement,) = [s for s in statements if "dynamodb:Query" in as_list(s["Action"])]
    assert table_statement["Resource"] == TABLE_RESOURCES
    assert granted(statements, "ses") == granted(statements, "cognito-idp") == set()  # emails go via the stream


def test_secret_is_readable_only_as_the_one_parameter_through_ssm(resources: dict[str, Any]) -> None:
    for name in roles(resources):
        statements = role_statements(resources, name)
        for statement in statements:
            if "ssm:GetParameter" in as_list(statement["Action"]):
                assert statement["Resource"]["Fn::Sub"].endswith(":parameter${ClientTokenSecretParameter}")
            if "kms:Decrypt" in as_list(statement["Action"]):
                condition = statement["Condition"]["StringEquals"]
                assert condition["kms:ViaService"] == {"Fn::Sub": "ssm.${AWS::Region}.amazonaws.com"}
                assert "kms:EncryptionContext:PARAMETER_ARN" in condition


def test_email_role_reads_the_stream_sends_as_the_sender_and_writes_only_markers(resources: dict[str, Any]) -> None:
    statements = role_statements(resources, "SendBookingEmailsRole")
    by_action = {a: s for s in statements for a in as_list(s["Action"])}
    for action in ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"):
        assert by_action[action]["Resource"] == {"Fn::GetAtt": [cfn.TABLE, "StreamArn"]}
    assert granted(statements, "ses") == {"ses:SendRawEmail"}
    assert by_action["ses:SendRawEmail"]["Resource"]["Fn::Sub"].endswith(":identity/${SenderEmail}")
    for write in ("dynamodb:PutItem", "dynamodb:UpdateItem"):
        condition = by_action[write]["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
        assert condition == [keys.email_marker("any")["PK"].split("#")[0] + "#*"]
    assert "dynamodb:DeleteItem" not in granted(statements)
    assert by_action["sqs:SendMessage"]["Resource"] == {"Fn::GetAtt": ["EmailFailureQueue", "Arn"]}


def test_each_role_writes_logs_only_to_its_own_function_group(resources: dict[str, Any]) -> None:
    for function in [r for r in resources.values() if r["Type"] == "AWS::Serverless::Function"]:
        role = function["Properties"]["Role"]["Fn::GetAtt"][0]
        name = function["Properties"]["FunctionName"]["Fn::Sub"]
        (logs,) = [s for s in role_statements(resources, role) if "logs:PutLogEvents" in as_list(s["Action"])]
        assert logs["Resource"]["Fn::Sub"].endswith(f":log-group:/aws/lambda/{name}:*")
