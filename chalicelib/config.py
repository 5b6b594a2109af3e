"""Settings read once from the environment; bad values fail fast at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


class ConfigError(RuntimeError):
    pass


def _int(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _offsets(env: dict[str, str], name: str, default: str) -> tuple[int, ...]:
    """Comma-separated minutes before a session's start (issue 12 reminders), largest first."""
    raw = (env.get(name) or default).replace(" ", "")
    try:
        found = [int(part) for part in raw.split(",")]
    except ValueError as exc:
        raise ConfigError(f"{name} must be comma-separated whole minutes, e.g. 1440,60; got {raw!r}") from exc
    if not all(1 <= value <= 7 * 24 * 60 for value in found) or len(set(found)) != len(found):
        raise ConfigError(f"{name} must list distinct minutes between 1 and 10080, got {raw!r}")
    return tuple(sorted(found, reverse=True))


@dataclass(frozen=True)
class Settings:
    table_name: str
    min_notice_minutes: int
    cancellation_cutoff_minutes: int
    catalog_ttl_seconds: int
    # Seconds an AWS call may take to answer (chalicelib/aws.py): 2 on AWS; the local stack gives its slower
    # emulators longer, or their slow answers are taken for lost ones (retried writes, 503s AWS would not give).
    aws_read_timeout_seconds: int
    # The S3 bucket of the catalog snapshot (issue 14); empty: containers Query the catalog index.
    catalog_bucket: str
    # How long a container answers slots polls from memory (0 turns the micro-cache off), in ms.
    slots_cache_ms: int
    # A new booking holds its slot this long until its email is verified; 0 turns verification off.
    unverified_hold_minutes: int
    # Unverified holds allowed at a time per email and per source IP; 0 means no limit.
    max_unverified_holds: int
    # Signs client access tokens: CLIENT_TOKEN_SECRET directly (local runs generate one), or
    # the SSM SecureString named by CLIENT_TOKEN_SECRET_PARAM (production), read once per container.
    # Reminder emails go this many minutes before a confirmed session starts (largest first).
    reminder_offsets_minutes: tuple[int, ...]
    client_token_secret: str
    client_token_secret_param: str
    cors_origin: str
    # CloudFront sends it on every request it forwards; only then is CloudFront-Viewer-Address trusted.
    origin_verify_secret: str
    cognito_region: str
    cognito_user_pool_id: str
    cognito_client_id: str
    # Overridable for the local stack, where moto serves the pool's JWKS.
    cognito_jwks_url: str
    ses_sender: str
    app_base_url: str
    # Only needed when Chalice packages the stream consumer; the template supplies the real ARN.
    table_stream_arn: str

    @property
    def cognito_issuer(self) -> str:
        return f"https://cognito-idp.{self.cognito_region}.amazonaws.com/{self.cognito_user_pool_id}"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        region = env.get("COGNITO_REGION") or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
        pool = env.get("COGNITO_USER_POOL_ID", "")
        return cls(
            table_name=env.get("TABLE_NAME") or "ExpertBooking",
            min_notice_minutes=_int(env, "MIN_NOTICE_MINUTES", 60, 0, 7 * 24 * 60),
            cancellation_cutoff_minutes=_int(env, "CANCELLATION_CUTOFF_MINUTES", 120, 0, 30 * 24 * 60),
            # The catalog cache must stay short-lived (issue 2: at most 60 s).
            catalog_ttl_seconds=_int(env, "CATALOG_TTL_SECONDS", 30, 0, 60),
            aws_read_timeout_seconds=_int(env, "AWS_READ_TIMEOUT_SECONDS", 2, 1, 60),
            catalog_bucket=env.get("CATALOG_BUCKET", ""),
            slots_cache_ms=_int(env, "SLOTS_CACHE_MS", 1000, 0, 1000),
            unverified_hold_minutes=_int(env, "UNVERIFIED_HOLD_MINUTES", 15, 0, 24 * 60),
            max_unverified_holds=_int(env, "MAX_UNVERIFIED_HOLDS", 3, 0, 1000),
            reminder_offsets_minutes=_offsets(env, "REMINDER_OFFSETS_MINUTES", "1440,60"),
            client_token_secret=env.get("CLIENT_TOKEN_SECRET", ""),
            client_token_secret_param=env.get("CLIENT_TOKEN_SECRET_PARAM", ""),
            cors_origin=env.get("CORS_ORIGIN") or "*",
            origin_verify_secret=env.get("ORIGIN_VERIFY_SECRET", ""),
            cognito_region=region,
            cognito_user_pool_id=pool,
            cognito_client_id=env.get("COGNITO_CLIENT_ID", ""),
            cognito_jwks_url=env.get("COGNITO_JWKS_URL")
            or f"https://cognito-idp.{region}.amazonaws.com/{pool}/.well-known/jwks.json",
            ses_sender=env.get("SES_SENDER") or "bookings@example.com",
            app_base_url=(env.get("APP_BASE_URL") or "http://127.0.0.1:8080").rstrip("/"),
            table_stream_arn=env.get("TABLE_STREAM_ARN")
            or "arn:aws:dynamodb:us-east-1:000000000000:table/ExpertBooking/stream/placeholder",
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
