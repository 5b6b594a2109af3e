"""The API behind the web app's CloudFront distribution, on the same origin under /api/* (issue 14).

- Same origin: the SPA calls `/api/...` (config.js from scripts/deploy.py), so no CORS preflight per poll.
  Chalice's stage is named `api` (.chalice/config.json), so CloudFront forwards /api/experts unchanged to
  https://<id>.execute-api.<region>.amazonaws.com/api/experts, the stage `api`'s /experts resource.
- Public reads (/api/experts*, /api/categories*) are cached at the edge for as long as the API's own
  Cache-Control says (chalicelib/http.py: slots s-maxage=1, catalog 30 s), query strings in the key.
  CloudFront answers a viewer's If-None-Match from its copy and revalidates with the origin's ETag, so a
  popular expert's pollers cost the origin about one request per second per edge location.
- Everything else under /api/* (tokens, writes) is never cached: CachingDisabled with the managed
  AllViewerExceptHostHeader request policy (Authorization and the other viewer headers reach the API,
  plus CloudFront-Viewer-Address; Host stays API Gateway's own, which it needs to route).
- CloudFront adds a secret header to every request it forwards; only with it does the API believe
  CloudFront-Viewer-Address (chalicelib/clientip.py), and WAF counts such requests per viewer at the
  edge instead of per edge server at the API (infra/waf.py).

API Gateway's host is a stack parameter, not a reference: the functions already depend on the
distribution (APP_BASE_URL, CORS_ORIGIN), so a reference back would be a cycle. scripts/deploy.py
deploys once, reads the ApiDomainName output and deploys again with ApiOriginDomain set; later deploys
pass it from the start.
"""

from __future__ import annotations

from chalicelib.clientip import ORIGIN_HEADER
from infra.cfn import Json, ref, sub

CONDITION = "ApiBehindSite"
ORIGIN_ID = "api"
ORIGIN_SECRET = "OriginVerifySecret"  # noqa: S105 (a logical id, not a secret)
READ_CACHE_POLICY = "ApiReadCachePolicy"
PUBLIC_READS = ("/api/experts*", "/api/categories*")
# Writes under a public-read prefix: matched first, so they reach the API uncached (the waitlist's POSTs).
UNCACHED_UNDER_READS = ("/api/experts/*/waitlist*",)
MAX_EDGE_SECONDS = 60  # the longest the edge keeps a public read, whatever the API asks for
# AWS managed policies (stable ids).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]


def origin_secret() -> Json:
    """The secret's value, resolved by CloudFormation when it deploys (never in the template's text)."""
    return sub("{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}")


def parameters() -> Json:
    return {
        "ApiOriginDomain": {
            "Type": "String",
            "Default": "",
            "AllowedPattern": r"^$|^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com$",
            "Description": "This stack's API Gateway host (the ApiDomainName output); scripts/deploy.py sets it.",
        }
    }


def conditions() -> Json:
    return {CONDITION: {"Fn::Not": [{"Fn::Equals": [ref("ApiOriginDomain"), ""]}]}}


def resources() -> Json:
    return {
        ORIGIN_SECRET: {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Description": "Header value CloudFront adds to API requests (X-Origin-Verify).",
                "GenerateSecretString": {"PasswordLength": 40, "ExcludePunctuation": True},
            },
        },
        READ_CACHE_POLICY: {
            "Type": "AWS::CloudFront::CachePolicy",
            "Properties": {
                "CachePolicyConfig": {
                    "Name": sub("${AWS::StackName}-api-public-reads"),
                    "Comment": "Public API reads: the origin's Cache-Control decides (no header: not cached).",
                    "MinTTL": 0,
                    "DefaultTTL": 0,
                    "MaxTTL": MAX_EDGE_SECONDS,
                    "ParametersInCacheKeyAndForwardedToOrigin": {
                        "EnableAcceptEncodingGzip": True,
                        "EnableAcceptEncodingBrotli": True,
                        "QueryStringsConfig": {"QueryStringBehavior": "all"},
                        "HeadersConfig": {"HeaderBehavior": "none"},
                        "CookiesConfig": {"CookieBehavior": "none"},
                    },
                }
            },
        },
    }


def origin() -> Json:
    found = {
        "Id": ORIGIN_ID,
        "DomainName": ref("ApiOriginDomain"),
        "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]},
        "OriginCustomHeaders": [{"HeaderName": ORIGIN_HEADER, "HeaderValue": origin_secret()}],
    }
    return {"Fn::If": [CONDITION, found, ref("AWS::NoValue")]}


def behaviours(headers_policy: Json) -> list[Json]:
    """First match wins: writes under a public-read prefix, the public reads, then the rest of /api/*; all
    before the SPA's default."""
    common = {"TargetOriginId": ORIGIN_ID, "ViewerProtocolPolicy": "https-only", "Compress": True}
    common["ResponseHeadersPolicyId"] = headers_policy
    reads = [
        {
            "PathPattern": pattern,
            **common,
            "AllowedMethods": ["GET", "HEAD", "OPTIONS"],
            "CachedMethods": ["GET", "HEAD"],
            "CachePolicyId": ref(READ_CACHE_POLICY),
        }
        for pattern in PUBLIC_READS
    ]
    rest = {
        "PathPattern": "/api/*",
        **common,
        "AllowedMethods": ALL_METHODS,
        "CachedMethods": ["GET", "HEAD"],
        "CachePolicyId": CACHING_DISABLED,
        "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST,
    }
    writes = [{**rest, "PathPattern": pattern} for pattern in UNCACHED_UNDER_READS]
    return [{"Fn::If": [CONDITION, behaviour, ref("AWS::NoValue")]} for behaviour in [*writes, *reads, rest]]


def outputs() -> Json:
    return {"ApiDomainName": {"Value": sub("${RestAPI}.execute-api.${AWS::Region}.amazonaws.com")}}
