"""Create the local stack's resources: table, Cognito pool + admin, SES sender, the catalog snapshot's
bucket (S3 in moto); seed, and publish the catalog snapshot as the stream consumer keeps it.

    python -m devstack.provision TABLE SEED(0|1)

(env: AWS_ENDPOINT_URL, ADMIN_USERNAME, ADMIN_PASSWORD, SES_SENDER, CATALOG_BUCKET)
Prints a JSON object with the settings the API needs (pool and client ids, JWKS URL, stream ARN).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone

from chalicelib import aws, deps
from chalicelib.auth import ADMIN_GROUP
from chalicelib.config import get_settings
from chalicelib.db import table
from chalicelib.services import catalog_snapshot
from devstack.seed import seed


def cognito(username: str, password: str) -> dict[str, str]:
    idp = aws.client("cognito-idp")
    pool = idp.create_user_pool(
        PoolName="expert-booking-admins",
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
    )["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.create_group(GroupName=ADMIN_GROUP, UserPoolId=pool)
    idp.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username=username, Password=password, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=ADMIN_GROUP)
    endpoint = os.environ["AWS_ENDPOINT_URL"].rstrip("/")
    return {
        "COGNITO_USER_POOL_ID": pool,
        "COGNITO_CLIENT_ID": client,
        "COGNITO_JWKS_URL": f"{endpoint}/{pool}/.well-known/jwks.json",
    }


def main() -> None:
    table_name, with_seed = sys.argv[1], sys.argv[2] == "1"
    dynamodb = aws.client("dynamodb")
    table.create(dynamodb, table_name)
    stream = dynamodb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
    aws.client("ses").verify_email_identity(EmailAddress=get_settings().ses_sender)
    settings = cognito(os.environ.get("ADMIN_USERNAME") or "admin", os.environ["ADMIN_PASSWORD"])
    settings["TABLE_STREAM_ARN"] = stream
    if with_seed:
        counts = seed(deps.repository(), datetime.now(timezone.utc))
        print(f"seeded {counts}", file=sys.stderr)
    catalog_bucket()
    print(json.dumps(settings))


def catalog_bucket() -> None:
    """The bucket (as infra/catalog.py makes it), and a first snapshot of the experts the table holds: the
    stream worker starts after the seed, so it republishes only later changes. An empty table gets no
    snapshot, as after a deploy: the API reads the table until the first expert change publishes one."""
    snapshots = deps.catalog_snapshots()
    if snapshots is None:
        return
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=get_settings().catalog_bucket)
    s3.put_bucket_versioning(Bucket=get_settings().catalog_bucket, VersioningConfiguration={"Status": "Enabled"})
    if deps.repository().list_experts():
        catalog_snapshot.republish(snapshots, deps.repository(), [])


if __name__ == "__main__":
    main()
