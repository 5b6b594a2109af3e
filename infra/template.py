"""The template merged into `chalice package` output: parameters, resources and outputs of the stack."""

from __future__ import annotations

from infra import alarms, api, catalog, cfn, edge, identity, site, waf
from infra.cfn import Json, get_att, ref


def secret_parameter_name(stage: str) -> str:
    """The SSM SecureString holding the client-token HMAC secret (made by scripts/deploy.py)."""
    return f"/expert-booking/{stage}/client-token-secret"


def _number(default: int, low: int, high: int, description: str) -> Json:
    return {"Type": "Number", "Default": default, "MinValue": low, "MaxValue": high, "Description": description}


def parameters(stage: str) -> Json:
    return {
        "SenderEmail": {
            "Type": "String",
            "AllowedPattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
            "Description": "Verified SES address the booking emails come from (SES_SENDER).",
        },
        "ClientTokenSecretParameter": {
            "Type": "String",
            "Default": secret_parameter_name(stage),
            "AllowedPattern": r"^(/[A-Za-z0-9_.-]+)+$",
            "Description": "Name of the SSM SecureString with the client-token secret (CLIENT_TOKEN_SECRET_PARAM).",
        },
        "MinNoticeMinutes": _number(60, 0, 7 * 24 * 60, "Earliest bookable start, in minutes from now."),
        "CancellationCutoffMinutes": _number(120, 0, 30 * 24 * 60, "Clients cannot cancel this close to the start."),
        "CatalogTtlSeconds": _number(30, 0, 60, "Lifetime of the expert catalog cached in each Lambda container."),
        "UnverifiedHoldMinutes": _number(
            15, 0, 1440, "Minutes a new booking holds its slot until its email is verified."
        ),
        "MaxUnverifiedHolds": _number(3, 0, 1000, "Unverified holds per email and per source IP (0: no limit)."),
        "ReminderOffsetsMinutes": {
            "Type": "String",
            "Default": "1440,60",
            "AllowedPattern": r"^\d{1,5}(,\d{1,5})*$",
            "Description": "Reminder emails this many minutes before a confirmed session (distinct, 1-10080).",
        },
        # WAF limits each IP (infra/waf.py), so the stage's global buckets are sized for all clients together.
        "ApiRateLimit": _number(500, 1, 10000, "Steady requests per second the API stage accepts."),
        "ApiBurstLimit": _number(1000, 1, 5000, "Burst of requests the API stage accepts."),
        "WriteRateLimit": _number(50, 1, 1000, "Requests per second for sign-in, booking and magic-link routes."),
        "WriteBurstLimit": _number(100, 1, 1000, "Burst for sign-in, booking and magic-link routes."),
        "PriceClass": {
            "Type": "String",
            "Default": "PriceClass_100",
            "AllowedValues": ["PriceClass_100", "PriceClass_200", "PriceClass_All"],
            "Description": "CloudFront edge locations (PriceClass_100: North America and Europe, cheapest).",
        },
    }


def merge_template(stage: str, generated: Json) -> Json:
    """What `chalice package --merge-template` merges into `generated` (Chalice's own template)."""
    resources: Json = {
        **cfn.table_resource(),
        **site.resources(),
        **edge.resources(),
        **identity.resources(),
        **catalog.with_bucket(api.function_overrides(generated)),
        **catalog.resources(),
        **api.rest_api_overrides(generated),
        **waf.resources(),
        **waf.site_resources(),
    }
    outputs: Json = {
        "TableName": {"Value": ref(cfn.TABLE)},
        "TableStreamArn": {"Value": get_att(cfn.TABLE, "StreamArn")},
        **site.outputs(),
        **edge.outputs(),
        **identity.outputs(),
        **catalog.outputs(),
    }
    if api.has_stream_consumer(generated):
        resources.update(api.email_queue())
        outputs["EmailFailureQueueUrl"] = {"Value": ref(api.EMAIL_QUEUE)}
    functions = {name for name, res in generated["Resources"].items() if res["Type"] == "AWS::Serverless::Function"}
    resources.update(alarms.resources(functions))
    outputs["AlarmTopicArn"] = {"Value": ref(alarms.TOPIC)}
    return {
        "Description": f"Expert Session Booking ({stage}): API, table, admin identity, email and web app.",
        "Parameters": {**parameters(stage), **edge.parameters(), **waf.parameters(), **alarms.parameters()},
        "Conditions": {**alarms.conditions(), **waf.conditions(), **edge.conditions()},
        "Resources": resources,
        "Outputs": outputs,
    }
