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


@dataclass(frozen=True)
class Settings:
    table_name: str
    min_notice_minutes: int
    cancellation_cutoff_minutes: int
    catalog_ttl_seconds: int
    # Interim admin credential for PATCH /bookings/{id}/status until Cognito
    # verification lands (issue 3). Empty means "refuse every request".
    admin_api_secret: str
    # Signs client access tokens; from SSM/environment in production, generated per local run.
    client_token_secret: str
    cors_origin: str

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            table_name=env.get("TABLE_NAME") or "ExpertBooking",
            min_notice_minutes=_int(env, "MIN_NOTICE_MINUTES", 60, 0, 7 * 24 * 60),
            cancellation_cutoff_minutes=_int(env, "CANCELLATION_CUTOFF_MINUTES", 120, 0, 30 * 24 * 60),
            # The catalog cache must stay short-lived (issue 2: at most 60 s).
            catalog_ttl_seconds=_int(env, "CATALOG_TTL_SECONDS", 30, 0, 60),
            admin_api_secret=env.get("ADMIN_API_SECRET", ""),
            client_token_secret=env.get("CLIENT_TOKEN_SECRET", ""),
            cors_origin=env.get("CORS_ORIGIN") or "*",
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
