"""Overrides for what `chalice package` generates: the Lambda functions, their stream, the REST API.

Everything here is computed from a first, unmerged `chalice package` run, so the overrides name
exactly the resources Chalice made (routes, functions, event sources) and nothing that is absent.
"""

from __future__ import annotations

import re

from infra.cfn import TABLE, Json, get_att, ref, sub
from infra.edge import origin_secret
from infra.site import SITE_ORIGIN

EMAIL_QUEUE = "EmailFailureQueue"
# Sign-in, booking and magic-link requests get a tighter limit than reads: they cost writes, emails
# or password guesses. Only routes the app has are listed (API Gateway rejects settings for others).
STRICT_ROUTES = [("POST", "/bookings"), ("POST", "/bookings/access-link"), ("POST", "/admin/session")]
STREAM_EVENT = {
    # Retries stop after 10 attempts or 6 h; a bad record is bisected out and parked in the queue
    # instead of blocking the emails behind it. Bookings are never affected: they are already written.
    "MaximumRetryAttempts": 10,
    "MaximumRecordAgeInSeconds": 6 * 3600,
    "BisectBatchOnFunctionError": True,
    "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": get_att(EMAIL_QUEUE, "Arn")}},
}
GATEWAY_ERRORS = {
    # API Gateway's own errors (throttling, unknown path, failures before the Lambda) in the app's
    # error envelope, with the CORS header so the SPA can read them.
    "THROTTLED": ("429", "too_many_requests", '"Too many requests; try again in a moment."'),
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found", '"No such route."'),
    "DEFAULT_4XX": (None, "bad_request", "$context.error.messageString"),
    "DEFAULT_5XX": (None, "service_unavailable", "$context.error.messageString"),
}


def function_name(logical_id: str) -> str:
    """APIHandler -> api-handler, SendBookingEmails -> send-booking-emails."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", logical_id).lower()


def environment() -> Json:
    """What chalicelib/config.py reads. Set here, not in .chalice/config.json, because the values are
    references to resources in this stack (and config.json's dev stage also feeds `chalice local`)."""
    return {
        "TABLE_NAME": ref(TABLE),
        "MIN_NOTICE_MINUTES": ref("MinNoticeMinutes"),
        "CANCELLATION_CUTOFF_MINUTES": ref("CancellationCutoffMinutes"),
        "CATALOG_TTL_SECONDS": ref("CatalogTtlSeconds"),
        "UNVERIFIED_HOLD_MINUTES": ref("UnverifiedHoldMinutes"),
        "MAX_UNVERIFIED_HOLDS": ref("MaxUnverifiedHolds"),
        "REMINDER_OFFSETS_MINUTES": ref("ReminderOffsetsMinutes"),
        "CORS_ORIGIN": SITE_ORIGIN,
        "APP_BASE_URL": SITE_ORIGIN,
        "CLIENT_TOKEN_SECRET_PARAM": ref("ClientTokenSecretParameter"),
        "COGNITO_USER_POOL_ID": ref("UserPool"),
        "COGNITO_CLIENT_ID": ref("UserPoolClient"),
        "COGNITO_REGION": ref("AWS::Region"),
        "SES_SENDER": ref("SenderEmail"),
        # Equally readable in the distribution's config; it only says "this request came through CloudFront".
        "ORIGIN_VERIFY_SECRET": origin_secret(),
    }


def _of_type(generated: Json, kind: str) -> dict[str, Json]:
    return {name: res for name, res in generated["Resources"].items() if res["Type"] == kind}


def _log_group_owner(log_group_id: str, functions: dict[str, Json]) -> str:
    # Chalice names the API's log group ApiHandlerLogGroup (and points it at a nonexistent
    # ${ApiHandler}); match the function case-insensitively and rewrite the name below.
    base = log_group_id.removesuffix("LogGroup").lower()
    return next(name for name in functions if name.lower() == base)


def function_overrides(generated: Json) -> Json:
    """Fixed names (so the policies can name their log groups exactly), log groups created first,
    environment, and the stream event source wired to this stack's table."""
    functions = _of_type(generated, "AWS::Serverless::Function")
    merged: Json = {}
    for log_group_id in _of_type(generated, "AWS::Logs::LogGroup"):
        owner = _log_group_owner(log_group_id, functions)
        name = f"${{AWS::StackName}}-{function_name(owner)}"
        merged[log_group_id] = {"Properties": {"LogGroupName": sub(f"/aws/lambda/{name}")}}
        merged[owner] = {"DependsOn": [log_group_id], "Properties": {"FunctionName": sub(name)}}
    for name, function in functions.items():
        properties = merged.setdefault(name, {}).setdefault("Properties", {})
        properties["Environment"] = {"Variables": environment()}
        events = function["Properties"].get("Events", {})
        if any(event["Type"] not in ("DynamoDB", "Schedule") for event in events.values()):
            raise ValueError(f"{name}: only DynamoDB stream and schedule events are wired by the template")
        streams = {
            key: {"Properties": {"Stream": get_att(TABLE, "StreamArn"), **STREAM_EVENT}}
            for key, event in events.items()
            if event["Type"] == "DynamoDB"
        }
        if streams:  # schedules (the hold sweep) stay as chalice package wrote them
            properties["Events"] = {**events, **streams}
    return merged


def has_stream_consumer(generated: Json) -> bool:
    return any(
        event["Type"] == "DynamoDB"
        for function in _of_type(generated, "AWS::Serverless::Function").values()
        for event in function["Properties"].get("Events", {}).values()
    )


def _resource_path(path: str) -> str:
    return "/" + path.replace("/", "~1")  # Stage MethodSettings encoding: /bookings -> /~1bookings


def _throttling(paths: Json) -> list[Json]:
    settings = [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": ref("ApiRateLimit"),
            "ThrottlingBurstLimit": ref("ApiBurstLimit"),
        }
    ]
    for method, path in STRICT_ROUTES:
        if method.lower() in paths.get(path, {}):
            settings.append(
                {
                    "ResourcePath": _resource_path(path),
                    "HttpMethod": method,
                    "ThrottlingRateLimit": ref("WriteRateLimit"),
                    "ThrottlingBurstLimit": ref("WriteBurstLimit"),
                }
            )
    return settings


def _gateway_responses() -> Json:
    origin = sub("'https://${SiteDistribution.DomainName}'")
    responses: Json = {}
    for kind, (status, code, message) in GATEWAY_ERRORS.items():
        body = '{"error": {"code": "%s", "message": %s}}' % (code, message)  # noqa: UP031 (braces in JSON)
        response: Json = {
            "responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": origin},
            "responseTemplates": {"application/json": body},
        }
        if status:
            response["statusCode"] = status
        responses[kind] = response
    return responses


def rest_api_overrides(generated: Json) -> Json:
    """Throttling, and CORS locked to the site's origin in every preflight and gateway error.

    Chalice bakes the preflight's Access-Control-Allow-Origin into the API definition when it
    packages (from CORS_ORIGIN at that moment); the site's domain is only known once CloudFront
    exists, so it is set here by reference for each route that has a preflight.
    """
    paths = generated["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    header = "method.response.header.Access-Control-Allow-Origin"
    origin = sub("'https://${SiteDistribution.DomainName}'")
    preflights = {
        path: {
            "options": {
                "x-amazon-apigateway-integration": {"responses": {"default": {"responseParameters": {header: origin}}}}
            }
        }
        for path, methods in paths.items()
        if "options" in methods
    }
    return {
        "RestAPI": {
            "Properties": {
                "Name": sub("${AWS::StackName}"),  # one name per stage, for its alarms (infra/alarms.py)
                "MethodSettings": _throttling(paths),
                "DefinitionBody": {"paths": preflights, "x-amazon-apigateway-gateway-responses": _gateway_responses()},
            }
        }
    }


def email_queue() -> Json:
    return {
        EMAIL_QUEUE: {
            "Type": "AWS::SQS::Queue",
            "Properties": {"MessageRetentionPeriod": 14 * 24 * 3600, "SqsManagedSseEnabled": True},
        }
    }
