"""Deploy a packaged stage to AWS with the AWS CLI, create an admin, or tear the stage down.

    python -m scripts.deploy deploy  --stage prod --sender bookings@example.com [--dry-run]
    python -m scripts.deploy admin   --stage prod --username alice@example.com [--dry-run]
    python -m scripts.deploy destroy --stage prod [--dry-run]

`deploy` expects `make package` output in build/<stage>/ and the built SPA in frontend/dist/.
--dry-run prints every AWS command instead of running it (reads answer with placeholders).
Secrets never appear on a command line: they go through a private temporary file (file://).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chalicelib.auth import ADMIN_GROUP
from infra.template import secret_parameter_name

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "frontend" / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"  # hashed file names under assets/
# The site's distribution forwards /api/* to the API (infra/edge.py): same origin, so no CORS preflights.
SAME_ORIGIN_API = "/api"
REVALIDATE = "no-cache"  # index.html, config.js: always revalidated, so a deploy shows at once


class CommandFailed(RuntimeError):
    pass


def _cli() -> str:
    found = shutil.which("aws")
    if not found:
        raise CommandFailed("The AWS CLI (`aws`) is not installed or not on PATH.")
    return found


class Aws:
    """Runs `aws ... --region R`; subclasses replace _execute (dry run, tests)."""

    def __init__(self, region: str):
        self.region = region

    def __call__(self, *args: str, capture: bool = False) -> str:
        return self._execute(["aws", *args, "--region", self.region], capture)

    def _execute(self, command: list[str], capture: bool) -> str:
        done = subprocess.run([_cli(), *command[1:]], capture_output=capture, text=True, check=False)
        if done.returncode != 0:
            raise CommandFailed(f"{shlex.join(command)} failed:\n{done.stderr if capture else ''}")
        return done.stdout if capture else ""

    def exists(self, *args: str) -> bool:
        try:
            self(*args, capture=True)
        except CommandFailed:
            return False
        return True

    def account(self) -> str:
        return self("sts", "get-caller-identity", "--query", "Account", "--output", "text", capture=True).strip()

    def outputs(self, stack: str) -> dict[str, str]:
        raw = self(
            "cloudformation", "describe-stacks", "--stack-name", stack,
            "--query", "Stacks[0].Outputs", "--output", "json", capture=True,
        )  # fmt: skip
        return {item["OutputKey"]: item["OutputValue"] for item in json.loads(raw)}


class DryRun(Aws):
    """Prints commands; existence checks say "missing" so a first deploy's steps all show."""

    OUTPUTS = (
        "EndpointURL", "ApiDomainName", "SiteUrl", "SiteBucketName", "SiteDistributionId", "TableName", "UserPoolId",
    )  # fmt: skip

    def _execute(self, command: list[str], capture: bool) -> str:
        print("+ " + shlex.join(command), flush=True)
        if "get-caller-identity" in command:
            return "<account-id>"
        if "describe-stacks" in command:
            return json.dumps([{"OutputKey": key, "OutputValue": f"<{key}>"} for key in self.OUTPUTS])
        if {"head-bucket", "get-parameter"} & set(command):
            raise CommandFailed("dry run")
        return ""


def stack_name(stage: str) -> str:
    return f"expert-booking-{stage}"


def config_js(api_url: str) -> str:
    """The SPA's runtime config (frontend/public/config.js is the local one)."""
    return f"window.__APP_CONFIG__ = {json.dumps({'apiBaseUrl': api_url.rstrip('/')})};\n"


@contextmanager
def private_file(text: str) -> Iterator[str]:
    """A file:// argument for the AWS CLI, readable only by us, deleted afterwards."""
    handle, path = tempfile.mkstemp(prefix="expert-booking-")
    try:
        with os.fdopen(handle, "w") as file:
            file.write(text)
        yield f"file://{path}"
    finally:
        os.unlink(path)


def ensure_secret(aws: Aws, name: str) -> None:
    """The client-token secret: created once with 256 random bits, never replaced (that would sign
    every client out). CloudFormation cannot create SecureString parameters, hence here."""
    if aws.exists("ssm", "get-parameter", "--name", name):
        return
    with private_file(secrets.token_urlsafe(32)) as value:
        aws("ssm", "put-parameter", "--name", name, "--type", "SecureString", "--value", value)


def upload_site(aws: Aws, bucket: str, config: Path, dist: Path = DIST) -> None:
    """Assets first, index.html last: a visitor never gets an index that names missing files.
    Old hashed assets stay, so pages loaded before the deploy keep working."""
    target = f"s3://{bucket}"
    aws("s3", "sync", str(dist / "assets"), f"{target}/assets", "--cache-control", IMMUTABLE)
    skip = ["--exclude", "assets/*", "--exclude", "index.html", "--exclude", "config.js"]
    aws("s3", "sync", str(dist), target, *skip, "--cache-control", REVALIDATE)
    last = [(config, "config.js", "application/javascript"), (dist / "index.html", "index.html", "text/html")]
    for source, key, kind in last:
        aws("s3", "cp", str(source), f"{target}/{key}", "--cache-control", REVALIDATE, "--content-type", kind)


def deploy(
    aws: Aws,
    stage: str,
    sender: str,
    *,
    artifact_bucket: str | None = None,
    overrides: tuple[str, ...] = (),
    out: Path | None = None,
    dist: Path = DIST,
) -> dict[str, str]:
    """Package → cloudformation deploy (twice the first time) → SPA with its config.js → invalidate."""
    out = out or ROOT / "build" / stage
    for needed, how in [(out / "sam.json", f"make package STAGE={stage}"), (dist / "index.html", "npm run build")]:
        if not needed.exists():
            raise CommandFailed(f"{needed} is missing: run `{how}` first")
    stack = stack_name(stage)
    bucket = artifact_bucket or f"expert-booking-artifacts-{aws.account()}-{aws.region}"
    if not aws.exists("s3api", "head-bucket", "--bucket", bucket):
        aws("s3", "mb", f"s3://{bucket}")
    secret = secret_parameter_name(stage)
    ensure_secret(aws, secret)
    packaged = out / "packaged.json"
    artifacts = ["--s3-bucket", bucket, "--s3-prefix", stack]
    template = ["--template-file", str(out / "sam.json"), "--output-template-file", str(packaged), "--use-json"]
    aws("cloudformation", "package", *template, *artifacts)
    parameters = [f"SenderEmail={sender}", f"ClientTokenSecretParameter={secret}", *overrides]
    options = ["--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND", "--no-fail-on-empty-changeset"]
    target = ["--template-file", str(packaged), "--stack-name", stack, *artifacts]

    def stack_deploy(api_domain: str) -> dict[str, str]:
        with_api = [*parameters, f"ApiOriginDomain={api_domain}"]
        aws("cloudformation", "deploy", *target, *options, "--parameter-overrides", *with_api)
        return aws.outputs(stack)

    # The distribution learns the API's host from a parameter (infra/edge.py): known from the stack's
    # outputs once it exists; a first deploy (or a replaced API) needs a second pass to put it behind /api/*.
    known = existing_outputs(aws, stack).get("ApiDomainName", "")
    outputs = stack_deploy(known)
    if outputs["ApiDomainName"] != known:
        outputs = stack_deploy(outputs["ApiDomainName"])
    config = out / "config.js"
    config.write_text(config_js(SAME_ORIGIN_API))
    upload_site(aws, outputs["SiteBucketName"], config, dist)
    aws("cloudfront", "create-invalidation", "--distribution-id", outputs["SiteDistributionId"], "--paths", "/*")
    return outputs


def existing_outputs(aws: Aws, stack: str) -> dict[str, str]:
    """The stack's outputs, or nothing before its first deploy."""
    if not aws.exists("cloudformation", "describe-stacks", "--stack-name", stack):
        return {}
    return aws.outputs(stack)


def create_admin(aws: Aws, stage: str, username: str) -> str:
    """An admin in the `admins` group with a generated permanent password (returned)."""
    pool = aws.outputs(stack_name(stage))["UserPoolId"]
    user = ["--user-pool-id", pool, "--username", username]
    password = f"{secrets.token_urlsafe(15)}-Aa1"  # meets the pool's policy: 12+, upper, lower, digit
    aws("cognito-idp", "admin-create-user", *user, "--message-action", "SUPPRESS")
    with private_file(password) as value:
        aws("cognito-idp", "admin-set-user-password", *user, "--password", value, "--permanent")
    aws("cognito-idp", "admin-add-user-to-group", *user, "--group-name", ADMIN_GROUP)
    return password


def destroy(aws: Aws, stage: str) -> dict[str, str]:
    """Empty the site bucket and delete the stack. The table (DeletionPolicy Retain, deletion
    protection) and the SSM secret stay; the caller prints how to remove them."""
    stack = stack_name(stage)
    outputs = aws.outputs(stack)
    aws("s3", "rm", f"s3://{outputs['SiteBucketName']}", "--recursive")
    aws("cloudformation", "delete-stack", "--stack-name", stack)
    aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", stack)
    return outputs


def _region(given: str | None, dry_run: bool) -> str:
    region = given or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not region and not dry_run:
        found = subprocess.run([_cli(), "configure", "get", "region"], capture_output=True, text=True, check=False)
        region = found.stdout.strip()
    if not region and not dry_run:
        raise CommandFailed("No AWS region: pass --region or set AWS_REGION.")
    return region or "us-east-1"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["deploy", "admin", "destroy"])
    parser.add_argument("--stage", default="prod", choices=["dev", "prod"])
    parser.add_argument("--region")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--sender", help="deploy: verified SES sender address (SES_SENDER)")
    parser.add_argument("--artifact-bucket", help="deploy: S3 bucket for the Lambda zip (created if missing)")
    parser.add_argument("--parameter", action="append", default=[], help="deploy: extra Key=Value stack parameter")
    parser.add_argument("--username", help="admin: the new admin's username")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    try:
        region = _region(args.region, args.dry_run)
        aws = (DryRun if args.dry_run else Aws)(region)
        if args.action == "deploy":
            if not args.sender:
                raise CommandFailed("deploy needs --sender (make deploy SES_SENDER=you@example.com)")
            outputs = deploy(
                aws, args.stage, args.sender, artifact_bucket=args.artifact_bucket, overrides=tuple(args.parameter)
            )
            print(f"\n  Web app: {outputs['SiteUrl']}\n  API:     {outputs['SiteUrl']}{SAME_ORIGIN_API}")
            print(f"  (direct: {outputs['EndpointURL']})\n")
            print(f"  SES sends only once {args.sender} is verified: open the link AWS just emailed to it.")
            print(f"  Create an admin:  make admin STAGE={args.stage} ADMIN_USERNAME=you@example.com")
            print(f"  Check the API:    make smoke BASE_URL={outputs['EndpointURL']}")
        elif args.action == "admin":
            if not args.username:
                raise CommandFailed("admin needs --username (make admin ADMIN_USERNAME=...)")
            password = create_admin(aws, args.stage, args.username)
            print(f"\n  Admin {args.username} / {password}\n  (shown once; sign in on the web app's Admin page)")
        else:
            outputs = destroy(aws, args.stage)
            table, secret = outputs["TableName"], secret_parameter_name(args.stage)
            print(f"\nStack deleted. Kept on purpose: table {table} and SSM parameter {secret}. To remove them:")
            print(
                f"  aws dynamodb update-table --region {region} --table-name {table} --no-deletion-protection-enabled"
            )
            print(f"  aws dynamodb delete-table --region {region} --table-name {table}")
            print(f"  aws ssm delete-parameter --region {region} --name {secret}")
    except CommandFailed as exc:
        sys.exit(str(exc))
    if args.dry_run:
        print("\n(dry run: the commands above were printed, nothing was changed)")


if __name__ == "__main__":
    main()
