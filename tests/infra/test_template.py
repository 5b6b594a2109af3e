"""The packaged production template: cfn-lint clean, and the security-relevant properties hold."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

from chalicelib.auth import ADMIN_GROUP
from chalicelib.clientip import ORIGIN_HEADER
from chalicelib.db import table
from chalicelib.http import CATALOG_CACHE_CONTROL, SLOTS_CACHE_CONTROL
from infra import cfn, edge, site

SITE_ORIGIN = {"Fn::Sub": "https://${SiteDistribution.DomainName}"}
QUOTED_SITE_ORIGIN = {"Fn::Sub": "'https://${SiteDistribution.DomainName}'"}
LAMBDA_ENV = {
    "TABLE_NAME",
    "MIN_NOTICE_MINUTES",
    "CANCELLATION_CUTOFF_MINUTES",
    "CATALOG_TTL_SECONDS",
    "CORS_ORIGIN",
    "CLIENT_TOKEN_SECRET_PARAM",
    "COGNITO_USER_POOL_ID",
    "COGNITO_CLIENT_ID",
    "COGNITO_REGION",
    "SES_SENDER",
    "APP_BASE_URL",
}


def of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: res for name, res in resources.items() if res["Type"] == kind}


def test_cfn_lint_reports_no_errors_or_warnings(packaged: Path) -> None:
    linter = Path(sys.executable).parent / "cfn-lint"
    done = subprocess.run([str(linter), str(packaged / "sam.json")], capture_output=True, text=True, check=False)
    assert done.returncode & 0b110 == 0, done.stdout + done.stderr  # bit 2: errors, bit 4: warnings


# -- data ------------------------------------------------------------------------------------------


def test_table_is_rendered_from_the_code_definition(resources: dict[str, Any]) -> None:
    properties = resources[cfn.TABLE]["Properties"]
    expected = table.definition("any")
    for key in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode"):
        assert properties[key] == expected[key], key
    assert properties["StreamSpecification"] == {"StreamViewType": expected["StreamSpecification"]["StreamViewType"]}


def test_table_is_protected_encrypted_and_recoverable(resources: dict[str, Any]) -> None:
    resource = resources[cfn.TABLE]
    properties = resource["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert properties["SSESpecification"]["SSEEnabled"] is True
    assert properties["TimeToLiveSpecification"] == {"AttributeName": table.TTL_ATTRIBUTE, "Enabled": True}
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"


def test_a_definition_argument_the_template_cannot_render_fails_the_build() -> None:
    with pytest.raises(ValueError, match="SSESpecification"):
        cfn.table_properties({**table.definition("t"), "SSESpecification": {"Enabled": False}})


# -- web app -----------------------------------------------------------------------------------------


def test_site_bucket_is_private_and_encrypted(resources: dict[str, Any]) -> None:
    properties = resources[site.BUCKET]["Properties"]
    assert set(properties["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(properties["PublicAccessBlockConfiguration"]) == 4
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    rule = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert "WebsiteConfiguration" not in properties  # no public website endpoint


def test_only_this_distribution_may_read_the_bucket(resources: dict[str, Any]) -> None:
    statements = resources["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1
    assert allows[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allows[0]["Action"] == ["s3:GetObject", "s3:ListBucket"]  # read only; a missing file is a 404
    source = allows[0]["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.endswith(":distribution/${SiteDistribution}")
    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert denies and denies[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def unless_no_api(item: dict[str, Any]) -> dict[str, Any]:
    """An origin or behaviour that exists once the stack knows its API's host (infra/edge.py)."""
    condition, present, absent = item["Fn::If"]
    assert (condition, absent) == (edge.CONDITION, {"Ref": "AWS::NoValue"})
    found: dict[str, Any] = present
    return found


def site_behaviours(config: dict[str, Any]) -> list[dict[str, Any]]:
    return [b if "Fn::If" not in b else unless_no_api(b) for b in config["CacheBehaviors"]]


def test_cloudfront_uses_origin_access_control_https_and_security_headers(resources: dict[str, Any]) -> None:
    config = resources[site.DISTRIBUTION]["Properties"]["DistributionConfig"]
    origin, api = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert unless_no_api(api)["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert (
        resources["SiteOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    )
    for behaviour in [config["DefaultCacheBehavior"], *site_behaviours(config)]:
        expected = "https-only" if behaviour["TargetOriginId"] == edge.ORIGIN_ID else "redirect-to-https"
        assert behaviour["ViewerProtocolPolicy"] == expected  # a redirected POST would lose its body
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "SiteHeadersPolicy"}
    # An error page would replace the API's own 403s and 404s (its error envelope) with index.html.
    assert "CustomErrorResponses" not in config
    headers = resources["SiteHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert "ContentTypeOptions" in headers
    csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in csp
    assert "connect-src 'self';" in csp  # the API is on the same origin


def test_deep_links_are_rewritten_to_index_html_by_the_default_behaviour(resources: dict[str, Any]) -> None:
    config = resources[site.DISTRIBUTION]["Properties"]["DistributionConfig"]
    (association,) = config["DefaultCacheBehavior"]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    assert association["FunctionARN"]["Fn::GetAtt"][0] == "SiteRewriteFunction"
    code = resources["SiteRewriteFunction"]["Properties"]["FunctionCode"]
    assert code == (Path(site.__file__).parent / "spa_rewrite.js").read_text()


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_rewrite_function_serves_routes_and_passes_files() -> None:
    code = (Path(site.__file__).parent / "spa_rewrite.js").read_text()
    uris = ["/", "/experts/abc", "/admin/bookings", "/my-bookings", "/assets/index-1a2b.js", "/config.js"]
    script = code + f"\nconsole.log(JSON.stringify({json.dumps(uris)}.map(u => handler({{request: {{uri: u}}}}).uri)))"
    done = subprocess.run([str(NODE), "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == ["/index.html"] * 4 + ["/assets/index-1a2b.js", "/config.js"]


# -- API behind the distribution (issue 14) ---------------------------------------------------------------

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS managed policy ids
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def api_behaviours(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    config = resources[site.DISTRIBUTION]["Properties"]["DistributionConfig"]
    return {b["PathPattern"]: b for b in site_behaviours(config) if b["TargetOriginId"] == edge.ORIGIN_ID}


def seconds(cache_control: str, directive: str) -> int:
    (value,) = [part.split("=")[1] for part in cache_control.split(", ") if part.startswith(directive + "=")]
    return int(value)


def test_the_api_is_the_sites_origin_for_api_paths_which_reach_the_stage_unchanged(
    template: dict[str, Any], resources: dict[str, Any]
) -> None:
    config = resources[site.DISTRIBUTION]["Properties"]["DistributionConfig"]
    api = unless_no_api(config["Origins"][1])
    assert api["DomainName"] == {"Ref": "ApiOriginDomain"} and "OriginPath" not in api
    # /api/experts is forwarded as is: the stage is named api, so it reaches the stage's /experts.
    stage = json.loads((Path(cfn.__file__).parent.parent / ".chalice" / "config.json").read_text())
    assert stage["stages"]["prod"]["api_gateway_stage"] == "api"
    assert list(api_behaviours(resources)) == [
        "/api/experts/*/waitlist*",
        "/api/experts*",
        "/api/categories*",
        "/api/*",
    ]  # first match wins
    assert template["Outputs"]["ApiDomainName"]["Value"] == {
        "Fn::Sub": "${RestAPI}.execute-api.${AWS::Region}.amazonaws.com"
    }
    pattern = template["Parameters"]["ApiOriginDomain"]["AllowedPattern"]
    assert re.fullmatch(pattern, "abc123.execute-api.eu-west-1.amazonaws.com")
    assert re.fullmatch(pattern, "") and not re.fullmatch(pattern, "evil.example.com")
    assert template["Conditions"][edge.CONDITION] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "ApiOriginDomain"}, ""]}]}


def test_public_reads_are_cached_by_query_string_for_as_long_as_the_api_says(resources: dict[str, Any]) -> None:
    behaviours = api_behaviours(resources)
    policy = resources["ApiReadCachePolicy"]["Properties"]["CachePolicyConfig"]
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["QueryStringsConfig"] == {"QueryStringBehavior": "all"}  # ?from=&days=&tz=, ?q=&page=
    # No header in the key: If-None-Match is answered by CloudFront from its copy (and sent to the API
    # with the copy's ETag when it revalidates); Authorization never reaches these routes.
    assert key["HeadersConfig"] == {"HeaderBehavior": "none"}
    assert key["CookiesConfig"] == {"CookieBehavior": "none"}
    # The API's Cache-Control decides; a response without one is not kept at all.
    assert policy["MinTTL"] == policy["DefaultTTL"] == 0
    for cache_control in (SLOTS_CACHE_CONTROL, CATALOG_CACHE_CONTROL):
        assert 0 < seconds(cache_control, "s-maxage") <= policy["MaxTTL"]
    for pattern in ("/api/experts*", "/api/categories*"):
        behaviour = behaviours[pattern]
        assert behaviour["CachePolicyId"] == {"Ref": "ApiReadCachePolicy"}
        assert set(behaviour["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS"}  # no write is ever cached here
        assert "OriginRequestPolicyId" not in behaviour


def test_every_route_the_edge_may_cache_is_a_public_read() -> None:
    import app

    def edge_caches(path: str) -> bool:  # first match wins, as in CloudFront
        if any(fnmatch(path, p) for p in edge.UNCACHED_UNDER_READS):
            return False
        return any(fnmatch(path, p) for p in edge.PUBLIC_READS)

    cached = [op for op in app.operations if edge_caches(f"/api{op.path}")]
    assert {op.path for op in cached} >= {"/experts", "/experts/{expert_id}", "/experts/{expert_id}/slots"}
    for op in cached:
        assert op.method == "get" and not op.secured, f"{op.method} {op.path} must not be cached at the edge"


def test_tokens_and_writes_under_api_are_never_cached_and_reach_the_api_whole(resources: dict[str, Any]) -> None:
    rest = api_behaviours(resources)["/api/*"]
    assert rest["CachePolicyId"] == CACHING_DISABLED
    # Authorization, Idempotency-Key, If-None-Match and CloudFront-Viewer-Address; Host stays API Gateway's.
    assert rest["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert {"POST", "PATCH", "DELETE", "GET"} <= set(rest["AllowedMethods"])


def test_cloudfront_proves_itself_to_the_api_with_a_generated_secret(resources: dict[str, Any]) -> None:
    config = resources[site.DISTRIBUTION]["Properties"]["DistributionConfig"]
    reference = {"Fn::Sub": "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}"}
    (header,) = unless_no_api(config["Origins"][1])["OriginCustomHeaders"]
    assert header == {"HeaderName": ORIGIN_HEADER, "HeaderValue": reference}
    generated = resources["OriginVerifySecret"]["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= 32
    for function in of_type(resources, "AWS::Serverless::Function").values():
        assert function["Properties"]["Environment"]["Variables"]["ORIGIN_VERIFY_SECRET"] == reference
    assert reference["Fn::Sub"] not in json.dumps(resources["SiteHeadersPolicy"])


# -- API -----------------------------------------------------------------------------------------------


def test_api_stage_is_throttled(template: dict[str, Any], resources: dict[str, Any]) -> None:
    api = resources["RestAPI"]["Properties"]
    settings = {(s["ResourcePath"], s["HttpMethod"]): s for s in api["MethodSettings"]}
    everything = settings[("/*", "*")]
    for key in ("ThrottlingRateLimit", "ThrottlingBurstLimit"):
        parameter = template["Parameters"][everything[key]["Ref"]]
        assert 0 < parameter["Default"] <= parameter["MaxValue"]
    paths = api["DefinitionBody"]["paths"]
    assert ("/~1bookings", "POST") in settings  # booking costs writes: tighter than reads
    for path, method in settings:
        if path != "/*":  # each setting names a route the API has (API Gateway rejects others)
            assert method.lower() in paths[path[1:].replace("~1", "/")]


def test_cors_allows_only_the_web_app_origin(resources: dict[str, Any]) -> None:
    body = resources["RestAPI"]["Properties"]["DefinitionBody"]
    preflights = [methods["options"] for methods in body["paths"].values() if "options" in methods]
    assert preflights
    for options in preflights:
        parameters = options["x-amazon-apigateway-integration"]["responses"]["default"]["responseParameters"]
        assert parameters["method.response.header.Access-Control-Allow-Origin"] == QUOTED_SITE_ORIGIN
    for response in body["x-amazon-apigateway-gateway-responses"].values():
        assert (
            response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"] == QUOTED_SITE_ORIGIN
        )
    assert "'*'" not in json.dumps(body)
    for function in of_type(resources, "AWS::Serverless::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["CORS_ORIGIN"] == variables["APP_BASE_URL"] == SITE_ORIGIN


def test_functions_get_their_settings_from_this_stack_and_no_secret(resources: dict[str, Any]) -> None:
    for name, function in of_type(resources, "AWS::Serverless::Function").items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert set(variables) >= LAMBDA_ENV, name
        assert variables["TABLE_NAME"] == {"Ref": cfn.TABLE}
        assert not {"CLIENT_TOKEN_SECRET", "ADMIN_API_SECRET", "AWS_ENDPOINT_URL"} & set(variables), name


def test_every_function_logs_to_its_own_group_with_retention(resources: dict[str, Any]) -> None:
    functions = of_type(resources, "AWS::Serverless::Function")
    groups = {n: g for n, g in of_type(resources, "AWS::Logs::LogGroup").items() if n != "ApiWebAclLogs"}
    assert len(groups) == len(functions) >= 1
    for name, group in groups.items():
        (owner,) = [f for f, res in functions.items() if res.get("DependsOn") == [name]]
        function_name = functions[owner]["Properties"]["FunctionName"]["Fn::Sub"]
        assert group["Properties"]["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/{function_name}"}
        assert group["Properties"]["RetentionInDays"] >= 14


# -- identity and email -----------------------------------------------------------------------------------


def test_cognito_admins_are_created_by_an_operator_and_sign_in_through_the_api(resources: dict[str, Any]) -> None:
    pool = resources["UserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    client = resources["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False
    assert "ALLOW_USER_PASSWORD_AUTH" in client["ExplicitAuthFlows"]
    assert resources["AdminsGroup"]["Properties"]["GroupName"] == ADMIN_GROUP
    assert resources["SenderIdentity"]["Properties"] == {"EmailIdentity": {"Ref": "SenderEmail"}}
    assert (pool["MfaConfiguration"], pool["EnabledMfas"]) == ("ON", ["SOFTWARE_TOKEN_MFA"])


def test_waf_limits_each_ip_on_the_api_stage(resources: dict[str, Any]) -> None:
    acl = resources["ApiWebAcl"]["Properties"]
    assert (acl["Scope"], acl["DefaultAction"]) == ("REGIONAL", {"Allow": {}})
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    assert set(rules) == {"KnownBadInputs", "SignInPerIp", "WritesPerIp", "RequestsPerIp"}
    for name in ("SignInPerIp", "WritesPerIp", "RequestsPerIp"):
        statement = rules[name]["Statement"]["RateBasedStatement"]
        assert statement["AggregateKeyType"] == "IP"  # the client's address, never a header it can set
        assert rules[name]["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
        # Through CloudFront the address is an edge server's, shared by many visitors: the API counts only
        # direct calls, the distribution's web ACL counts the rest per visitor.
        scope = statement["ScopeDownStatement"]
        direct = scope if "NotStatement" in scope else scope["AndStatement"]["Statements"][1]
        secret = direct["NotStatement"]["Statement"]["ByteMatchStatement"]
        assert secret["FieldToMatch"] == {"SingleHeader": {"Name": ORIGIN_HEADER.lower()}}
        assert secret["SearchString"] == edge.origin_secret() and secret["PositionalConstraint"] == "EXACTLY"
    sign_in = rules["SignInPerIp"]["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["AndStatement"]
    assert sign_in["Statements"][0]["ByteMatchStatement"]["SearchString"] == "/api/admin/session"
    association = resources["ApiWebAclAssociation"]["Properties"]
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    assert {"Ref": "RestAPI"} in association["ResourceArn"]["Fn::Join"][1]
    site = resources["SiteWebAcl"]
    assert (site["Condition"], site["Properties"]["Scope"]) == ("InUsEast1", "CLOUDFRONT")
    at_edge = {rule["Name"]: rule for rule in site["Properties"]["Rules"]}
    assert set(at_edge) == set(rules)
    edge_sign_in = at_edge["SignInPerIp"]["Statement"]["RateBasedStatement"]["ScopeDownStatement"]
    assert edge_sign_in["ByteMatchStatement"]["SearchString"] == "/api/admin/session"  # same path at the edge
    assert "ScopeDownStatement" not in at_edge["RequestsPerIp"]["Statement"]["RateBasedStatement"]
    web_acl = resources["SiteDistribution"]["Properties"]["DistributionConfig"]["WebACLId"]
    assert web_acl == {"Fn::If": ["InUsEast1", {"Fn::GetAtt": ["SiteWebAcl", "Arn"]}, {"Ref": "AWS::NoValue"}]}
    logging = resources["ApiWebAclLogging"]["Properties"]
    redacted = [{"SingleHeader": {"Name": "authorization"}}, {"SingleHeader": {"Name": ORIGIN_HEADER.lower()}}]
    assert logging["RedactedFields"] == redacted


def test_email_consumer_reads_this_tables_stream_with_bounded_retries(emails: dict[str, Any]) -> None:
    (event,) = emails["Properties"]["Events"].values()
    properties = event["Properties"]
    assert event["Type"] == "DynamoDB"
    assert properties["Stream"] == {"Fn::GetAtt": [cfn.TABLE, "StreamArn"]}
    assert 0 < properties["MaximumRetryAttempts"] <= 20
    assert properties["BisectBatchOnFunctionError"] is True
    assert properties["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["EmailFailureQueue", "Arn"]}


def test_alarms_watch_errors_throttles_the_stream_and_failed_emails(resources: dict[str, Any]) -> None:
    found = {name: r["Properties"] for name, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"}
    functions = {n for n, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert {f"{name}ErrorsAlarm" for name in functions} <= set(found)
    assert {f"{name}ThrottlesAlarm" for name in functions} <= set(found)
    assert found["EmailStreamAgeAlarm"]["MetricName"] == "IteratorAge"
    assert found["EmailFailureQueueAlarm"]["Dimensions"][0]["Value"] == {
        "Fn::GetAtt": ["EmailFailureQueue", "QueueName"]
    }
    assert (found["EmailFailedAlarm"]["Namespace"], found["EmailFailedAlarm"]["MetricName"]) == (
        "ExpertBooking",
        "EmailFailed",
    )
    api = found["Api5xxAlarm"]
    assert api["Dimensions"][0]["Value"] == resources["RestAPI"]["Properties"]["Name"]
    assert all(alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] for alarm in found.values())
