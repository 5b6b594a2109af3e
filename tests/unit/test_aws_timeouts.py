"""chalicelib/aws.py: 2 s to answer on AWS; the local stack's AWS_READ_TIMEOUT_SECONDS for its slower emulators,
but never for the readiness probe, which must give up within seconds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import aws
from chalicelib.config import ConfigError, get_settings
from devstack.local_stack import LOCAL_READ_TIMEOUT_SECONDS

READ_TIMEOUT = "AWS_READ_TIMEOUT_SECONDS"


@pytest.fixture(autouse=True)
def fresh_clients() -> Iterator[None]:
    aws.reset()
    get_settings.cache_clear()  # the settings are read once per process: read them again here
    yield
    aws.reset()
    get_settings.cache_clear()


def test_without_the_setting_a_call_has_two_seconds_to_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(READ_TIMEOUT, raising=False)
    assert aws.client("dynamodb").meta.config.read_timeout == 2
    assert aws.client("dynamodb").meta.config.connect_timeout == 1


def test_the_local_stacks_setting_applies_to_every_client_but_the_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(READ_TIMEOUT, LOCAL_READ_TIMEOUT_SECONDS)
    assert aws.client("dynamodb").meta.config.read_timeout == float(LOCAL_READ_TIMEOUT_SECONDS) > 2
    assert aws.client("ses").meta.config.read_timeout == float(LOCAL_READ_TIMEOUT_SECONDS)
    assert aws.client("dynamodb", probe=True).meta.config.read_timeout == 2


@pytest.mark.parametrize("raw", ["soon", "0", "0.5", "61", "nan"])
def test_a_bad_setting_fails_fast(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(READ_TIMEOUT, raw)
    with pytest.raises(ConfigError, match="AWS_READ_TIMEOUT_SECONDS"):
        aws.client("dynamodb")
