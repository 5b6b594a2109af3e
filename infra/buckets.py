"""The private S3 buckets' shared parts (the site's and the catalog snapshot's): no public access, SSE-S3,
owner-enforced, and a bucket policy that refuses plain HTTP."""

from __future__ import annotations

from infra.cfn import Json, get_att, ref, resource, sub


def private_bucket() -> Json:
    return resource(
        "AWS::S3::Bucket",
        {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        },
    )


def resources_of(bucket: str) -> list[Json]:
    """The bucket's ARN and its objects' ARN pattern, as a policy statement's Resource."""
    return [get_att(bucket, "Arn"), sub(f"${{{bucket}.Arn}}/*")]


def tls_only_policy(bucket: str, *statements: Json) -> Json:
    """The bucket's policy: the given statements, then a deny of every request not made over TLS."""
    deny_plain_http = {
        "Sid": "DenyPlainHttp",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": resources_of(bucket),
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return resource(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": ref(bucket),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [*statements, deny_plain_http]},
        },
    )
