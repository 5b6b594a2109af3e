"""The SPA: a private S3 bucket read only by CloudFront (origin access control), deep links, headers."""

from __future__ import annotations

from pathlib import Path

from infra import buckets, edge, waf
from infra.cfn import Json, get_att, ref, resource, sub

BUCKET = "SiteBucket"
DISTRIBUTION = "SiteDistribution"
SITE_ORIGIN = sub("https://${SiteDistribution.DomainName}")
# AWS managed cache policy "CachingOptimized": honours the objects' Cache-Control, gzip/brotli keys.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
REWRITE_CODE = (Path(__file__).parent / "spa_rewrite.js").read_text()

# The SPA calls the API on its own origin, under /api/* (infra/edge.py).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests"
)


def _bucket_policy() -> Json:
    # ListBucket: a missing file is a plain 404, not a 403 (no error page is
    # mapped: the distribution also serves the API, whose 403s and 404s are its own).
    cloudfront_reads = {
        "Sid": "CloudFrontReadsThroughOriginAccessControl",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": buckets.resources_of(BUCKET),
        "Condition": {
            "StringEquals": {
                "AWS:SourceArn": sub(
                    "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${SiteDistribution}"
                )
            }
        },
    }
    return buckets.tls_only_policy(BUCKET, cloudfront_reads)


def _headers_policy() -> Json:
    return resource(
        "AWS::CloudFront::ResponseHeadersPolicy",
        {
            "ResponseHeadersPolicyConfig": {
                "Name": sub("${AWS::StackName}-site-headers"),
                "SecurityHeadersConfig": {
                    "StrictTransportSecurity": {
                        "AccessControlMaxAgeSec": 63072000,
                        "IncludeSubdomains": True,
                        "Override": True,
                    },
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": True},
                    "ReferrerPolicy": {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": True},
                    "ContentSecurityPolicy": {"ContentSecurityPolicy": sub(CONTENT_SECURITY_POLICY), "Override": True},
                },
                "CustomHeadersConfig": {
                    "Items": [
                        {
                            "Header": "Permissions-Policy",
                            "Value": "camera=(), microphone=(), geolocation=(), payment=()",
                            "Override": True,
                        },
                        {"Header": "Cross-Origin-Opener-Policy", "Value": "same-origin", "Override": True},
                    ]
                },
            }
        },
    )


def _behaviour(rewrite: bool) -> Json:
    behaviour: Json = {
        "TargetOriginId": "site",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": ["GET", "HEAD"],
        "CachedMethods": ["GET", "HEAD"],
        "Compress": True,
        "CachePolicyId": CACHING_OPTIMIZED,
        "ResponseHeadersPolicyId": ref("SiteHeadersPolicy"),
    }
    if rewrite:
        function = get_att("SiteRewriteFunction", "FunctionMetadata.FunctionARN")
        behaviour["FunctionAssociations"] = [{"EventType": "viewer-request", "FunctionARN": function}]
    return behaviour


def _distribution() -> Json:
    return resource(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": {
                "Enabled": True,
                "Comment": sub("${AWS::StackName} web app"),
                "DefaultRootObject": "index.html",
                "HttpVersion": "http2and3",
                "IPV6Enabled": True,
                "PriceClass": ref("PriceClass"),
                "WebACLId": waf.site_web_acl_id(),
                "Origins": [
                    {
                        "Id": "site",
                        "DomainName": get_att(BUCKET, "RegionalDomainName"),
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                        "OriginAccessControlId": get_att("SiteOriginAccessControl", "Id"),
                    },
                    edge.origin(),
                ],
                "DefaultCacheBehavior": _behaviour(rewrite=True),
                # Hashed, immutable bundles: no rewrite, so a missing chunk is a 404, not index.html.
                "CacheBehaviors": [
                    {"PathPattern": "/assets/*", **_behaviour(rewrite=False)},
                    *edge.behaviours(ref("SiteHeadersPolicy")),
                ],
            }
        },
    )


def resources() -> Json:
    return {
        BUCKET: buckets.private_bucket(),
        "SiteBucketPolicy": _bucket_policy(),
        "SiteOriginAccessControl": resource(
            "AWS::CloudFront::OriginAccessControl",
            {
                "OriginAccessControlConfig": {
                    "Name": sub("${AWS::StackName}-site"),
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            },
        ),
        "SiteRewriteFunction": resource(
            "AWS::CloudFront::Function",
            {
                "Name": sub("${AWS::StackName}-spa-rewrite"),
                "AutoPublish": True,
                "FunctionCode": REWRITE_CODE,
                "FunctionConfig": {"Comment": "SPA deep links -> /index.html", "Runtime": "cloudfront-js-2.0"},
            },
        ),
        "SiteHeadersPolicy": _headers_policy(),
        DISTRIBUTION: _distribution(),
    }


def outputs() -> Json:
    return {
        "SiteUrl": {"Value": SITE_ORIGIN},
        "SiteBucketName": {"Value": ref(BUCKET)},
        "SiteDistributionId": {"Value": ref(DISTRIBUTION)},
    }
