"""AWS WAFv2 on the API stage: per-IP rate limits, so one client can no longer starve the others and
the stage throttle (a global bucket) can be set for real traffic (issue 9).

Rate-based rules count requests per source IP over 60 s: all requests, the write routes (POST and
PATCH: booking, magic links, verification), and admin sign-in. AWS's Known Bad Inputs rule group
(Log4j and similar payloads) runs first; WAF logs go to a log group of their own.

Behind the site's distribution (issue 14) the API sees edge servers' addresses, so the same rules run on
the distribution's web ACL (us-east-1 only, a CloudFront rule) and the API's count only direct calls.
"""

from __future__ import annotations

from chalicelib.clientip import ORIGIN_HEADER
from infra import edge
from infra.cfn import Json, get_att, ref, sub

WEB_ACL = "ApiWebAcl"
SITE_WEB_ACL = "SiteWebAcl"
# CloudFront's web ACLs must live in us-east-1: the site's is made only when the stack is there.
SITE_CONDITION = "InUsEast1"
STAGE = "api"  # .chalice/config.json api_gateway_stage


def _visibility(name: str) -> Json:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name}


def _match(field: Json, value: str | Json, constraint: str) -> Json:
    return {
        "ByteMatchStatement": {
            "FieldToMatch": field,
            "PositionalConstraint": constraint,
            "SearchString": value,
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }


def _per_ip(name: str, priority: int, limit: str, scope: Json | None = None) -> Json:
    statement: Json = {"Limit": ref(limit), "AggregateKeyType": "IP", "EvaluationWindowSec": 60}
    if scope is not None:
        statement["ScopeDownStatement"] = scope
    return {
        "Name": name,
        "Priority": priority,
        "Action": {"Block": {"CustomResponse": {"ResponseCode": 429}}},
        "Statement": {"RateBasedStatement": statement},
        "VisibilityConfig": _visibility(name),
    }


def _via_cloudfront() -> Json:
    """Requests the site's distribution forwarded: they carry its secret header (infra/edge.py)."""
    return _match({"SingleHeader": {"Name": ORIGIN_HEADER.lower()}}, edge.origin_secret(), "EXACTLY")


def _as_is(scope: Json | None) -> Json | None:
    return scope


def _direct_only(scope: Json | None) -> Json | None:
    """At the API, a request through CloudFront comes from an edge server's address, which many visitors
    share: those are counted per visitor by the distribution's own web ACL instead."""
    direct = {"NotStatement": {"Statement": _via_cloudfront()}}
    return direct if scope is None else {"AndStatement": {"Statements": [scope, direct]}}


def _rules(at_api: bool = True) -> list[Json]:
    """The API stage's rules (at_api) or the distribution's, which sees each visitor's own address."""
    writes = {
        "OrStatement": {
            "Statements": [_match({"Method": {}}, "POST", "EXACTLY"), _match({"Method": {}}, "PATCH", "EXACTLY")]
        }
    }
    # The same path at both: CloudFront forwards /api/* unchanged and the stage is named api.
    sign_in = _match({"UriPath": {}}, f"/{STAGE}/admin/session", "EXACTLY")
    scope = _direct_only if at_api else _as_is
    return [
        {
            "Name": "KnownBadInputs",
            "Priority": 0,
            "OverrideAction": {"None": {}},
            "Statement": {
                "ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesKnownBadInputsRuleSet"}
            },
            "VisibilityConfig": _visibility("KnownBadInputs"),
        },
        _per_ip("SignInPerIp", 1, "WafSignInLimit", scope(sign_in)),
        _per_ip("WritesPerIp", 2, "WafWriteLimit", scope(writes)),
        _per_ip("RequestsPerIp", 3, "WafRequestLimit", scope(None)),
    ]


def parameters() -> Json:
    def per_minute(default: int, what: str) -> Json:
        text = f"{what} one IP may send per minute before WAF answers 429 (10 to 100000)."
        return {"Type": "Number", "Default": default, "MinValue": 10, "MaxValue": 100000, "Description": text}

    return {
        "WafRequestLimit": per_minute(600, "Requests"),
        "WafWriteLimit": per_minute(30, "Write requests (POST, PATCH)"),
        "WafSignInLimit": per_minute(10, "Admin sign-in attempts"),
    }


def resources() -> Json:
    stage_arn = {
        "Fn::Join": [
            "",
            [
                "arn:",
                ref("AWS::Partition"),
                ":apigateway:",
                ref("AWS::Region"),
                "::/restapis/",
                ref("RestAPI"),
                "/stages/",
                ref("RestAPI.Stage"),  # SAM's reference to the stage it creates: waits for it
            ],
        ]
    }
    return {
        WEB_ACL: {
            "Type": "AWS::WAFv2::WebACL",
            "Properties": {
                "Name": sub("${AWS::StackName}-api"),
                "Scope": "REGIONAL",
                "DefaultAction": {"Allow": {}},
                "Rules": _rules(),
                "VisibilityConfig": _visibility("ExpertBookingApi"),
            },
        },
        "ApiWebAclAssociation": {
            "Type": "AWS::WAFv2::WebACLAssociation",
            "Properties": {"ResourceArn": stage_arn, "WebACLArn": get_att(WEB_ACL, "Arn")},
        },
        "ApiWebAclLogs": {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {"LogGroupName": sub("aws-waf-logs-${AWS::StackName}"), "RetentionInDays": 90},
        },
        "ApiWebAclLogging": {
            "Type": "AWS::WAFv2::LoggingConfiguration",
            "Properties": {
                "ResourceArn": get_att(WEB_ACL, "Arn"),
                "LogDestinationConfigs": [get_att("ApiWebAclLogs", "Arn")],
                # Logged requests keep no credentials.
                "RedactedFields": [
                    {"SingleHeader": {"Name": "authorization"}},
                    {"SingleHeader": {"Name": ORIGIN_HEADER.lower()}},
                ],
            },
        },
    }


def conditions() -> Json:
    return {SITE_CONDITION: {"Fn::Equals": [ref("AWS::Region"), "us-east-1"]}}


def site_web_acl_id() -> Json:
    """The distribution's WebACLId: the site's web ACL where it can exist, none elsewhere."""
    return {"Fn::If": [SITE_CONDITION, get_att(SITE_WEB_ACL, "Arn"), ref("AWS::NoValue")]}


def site_resources() -> Json:
    """The distribution (web app and /api/*): the API's rules, counted per visitor address."""
    rules = _rules(at_api=False)
    return {
        SITE_WEB_ACL: {
            "Type": "AWS::WAFv2::WebACL",
            "Condition": SITE_CONDITION,
            "Properties": {
                "Name": sub("${AWS::StackName}-site"),
                "Scope": "CLOUDFRONT",
                "DefaultAction": {"Allow": {}},
                "Rules": rules,
                "VisibilityConfig": _visibility("ExpertBookingSite"),
            },
        }
    }
