"""scripts/deploy.py without AWS: the commands it runs, in order, and what never appears on them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scripts import deploy

OUTPUTS = {
    "EndpointURL": "https://abc123.execute-api.eu-west-1.amazonaws.com/api/",
    "ApiDomainName": "abc123.execute-api.eu-west-1.amazonaws.com",
    "SiteUrl": "https://d111.cloudfront.net",
    "SiteBucketName": "expert-booking-prod-sitebucket-1",
    "SiteDistributionId": "E2EXAMPLE",
    "TableName": "expert-booking-prod",
    "UserPoolId": "eu-west-1_abc",
}


class Recorder(deploy.Aws):
    """Answers reads with canned values and records every command; `files` keeps file:// contents."""

    def __init__(self, existing: frozenset[str] = frozenset(), new_stack: bool = False):
        super().__init__("eu-west-1")
        self.commands: list[list[str]] = []
        self.files: list[str] = []
        self.existing = existing
        self.stack_missing = new_stack  # until the first `cloudformation deploy`

    def _execute(self, command: list[str], capture: bool) -> str:
        self.commands.append(command)
        self.files += [Path(a.removeprefix("file://")).read_text() for a in command if a.startswith("file://")]
        verb = command[2]
        if verb == "deploy":
            self.stack_missing = False
        if verb == "describe-stacks" and self.stack_missing:
            raise deploy.CommandFailed("Stack with id expert-booking-prod does not exist")
        if verb in self.existing or verb not in {
            "get-caller-identity",
            "describe-stacks",
            "head-bucket",
            "get-parameter",
        }:
            return ""
        if verb == "get-caller-identity":
            return "123456789012\n"
        if verb == "describe-stacks":
            return json.dumps([{"OutputKey": k, "OutputValue": v} for k, v in OUTPUTS.items()])
        raise deploy.CommandFailed("not found")

    def verbs(self) -> list[str]:
        return [" ".join(c[1:3]) for c in self.commands]


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    out, dist = tmp_path / "build", tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    out.mkdir()
    (out / "sam.json").write_text("{}")
    (dist / "index.html").write_text("<!doctype html>")
    return out, dist


def run_deploy(aws: Recorder, built: tuple[Path, Path]) -> dict[str, str]:
    out, dist = built
    return deploy.deploy(aws, "prod", "bookings@example.com", overrides=("ApiRateLimit=20",), out=out, dist=dist)


def test_first_deploy_creates_bucket_and_secret_then_deploys_and_uploads_in_order(built: tuple[Path, Path]) -> None:
    aws = Recorder()
    run_deploy(aws, built)
    assert aws.verbs() == [
        "sts get-caller-identity",
        "s3api head-bucket",
        "s3 mb",
        "ssm get-parameter",
        "ssm put-parameter",
        "cloudformation package",
        "cloudformation describe-stacks",  # does the stack exist (yes: it knows its API's host)
        "cloudformation describe-stacks",
        "cloudformation deploy",
        "cloudformation describe-stacks",
        "s3 sync",
        "s3 sync",
        "s3 cp",
        "s3 cp",
        "cloudfront create-invalidation",
    ]
    assert all(c[-2:] == ["--region", "eu-west-1"] for c in aws.commands)
    assert "s3://expert-booking-artifacts-123456789012-eu-west-1" in aws.commands[2]


def test_stack_is_deployed_with_capabilities_and_parameters(built: tuple[Path, Path]) -> None:
    aws = Recorder()
    run_deploy(aws, built)
    (command,) = [c for c in aws.commands if c[1:3] == ["cloudformation", "deploy"]]
    assert command[command.index("--stack-name") + 1] == "expert-booking-prod"
    assert {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"} <= set(command)
    parameters = command[command.index("--parameter-overrides") + 1 : -2]
    assert parameters == [
        "SenderEmail=bookings@example.com",
        "ClientTokenSecretParameter=/expert-booking/prod/client-token-secret",
        "ApiRateLimit=20",
        "ApiOriginDomain=abc123.execute-api.eu-west-1.amazonaws.com",
    ]


def test_a_new_stack_is_deployed_again_to_put_its_api_behind_the_site(built: tuple[Path, Path]) -> None:
    aws = Recorder(new_stack=True)
    run_deploy(aws, built)
    deploys = [c for c in aws.commands if c[1:3] == ["cloudformation", "deploy"]]
    domains = [next(a for a in c if a.startswith("ApiOriginDomain=")) for c in deploys]
    assert domains == ["ApiOriginDomain=", "ApiOriginDomain=abc123.execute-api.eu-west-1.amazonaws.com"]
    assert aws.verbs().index("s3 sync") > aws.commands.index(deploys[-1])  # the SPA after the API is behind it


def test_secret_is_random_and_never_on_a_command_line(built: tuple[Path, Path]) -> None:
    aws = Recorder()
    run_deploy(aws, built)
    (secret,) = aws.files
    assert len(secret) >= 40  # 32 random bytes, base64url
    assert not any(secret in argument for command in aws.commands for argument in command)
    (put,) = [c for c in aws.commands if "put-parameter" in c]
    assert put[put.index("--type") + 1] == "SecureString"


def test_an_existing_secret_and_bucket_are_left_alone(built: tuple[Path, Path]) -> None:
    aws = Recorder(existing=frozenset({"get-parameter", "head-bucket"}))
    run_deploy(aws, built)
    assert "ssm put-parameter" not in aws.verbs() and "s3 mb" not in aws.verbs()


def test_spa_gets_its_config_and_index_html_goes_last(built: tuple[Path, Path]) -> None:
    aws = Recorder()
    run_deploy(aws, built)
    uploads = [c for c in aws.commands if c[1] == "s3" and c[2] in ("sync", "cp")]
    assert uploads[0][3].endswith("assets") and deploy.IMMUTABLE in uploads[0]
    assert uploads[-2][4] == "s3://expert-booking-prod-sitebucket-1/config.js"
    assert uploads[-1][4] == "s3://expert-booking-prod-sitebucket-1/index.html"
    assert all(deploy.REVALIDATE in c for c in uploads[1:])
    config = (built[0] / "config.js").read_text()
    assert config == 'window.__APP_CONFIG__ = {"apiBaseUrl": "/api"};\n'  # same origin: no CORS preflight


def test_deploy_refuses_to_start_without_a_package(built: tuple[Path, Path]) -> None:
    (built[0] / "sam.json").unlink()
    aws = Recorder()
    with pytest.raises(deploy.CommandFailed, match="make package STAGE=prod"):
        run_deploy(aws, built)
    assert aws.commands == []


def test_admin_gets_a_strong_password_that_stays_off_the_command_line() -> None:
    aws = Recorder()
    password = deploy.create_admin(aws, "prod", "alice@example.com")
    assert len(password) >= 12 and re.search("[a-z]", password) and re.search("[A-Z]", password)
    assert re.search("[0-9]", password)
    assert aws.files == [password]
    assert not any(password in argument for command in aws.commands for argument in command)
    assert aws.commands[-1][aws.commands[-1].index("--group-name") + 1] == "admins"


def test_destroy_empties_the_site_bucket_before_deleting_the_stack() -> None:
    aws = Recorder()
    deploy.destroy(aws, "prod")
    assert aws.verbs() == [
        "cloudformation describe-stacks",
        "s3 rm",
        "cloudformation delete-stack",
        "cloudformation wait",
    ]


def test_dry_run_prints_commands_and_changes_nothing(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, dist = built
    deploy.deploy(deploy.DryRun("eu-west-1"), "prod", "bookings@example.com", out=out, dist=dist)
    printed = capsys.readouterr().out
    assert "+ aws cloudformation deploy" in printed and "+ aws s3 cp" in printed
    assert "put-parameter" in printed  # a dry run shows the first deploy's steps
