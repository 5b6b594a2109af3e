from datetime import timedelta

import pytest

from chalicelib.errors import Unauthorized
from chalicelib.services import access
from tests.conftest import NOW

SECRET = "s3cret"


def test_a_token_verifies_to_its_lower_cased_email() -> None:
    token = access.issue(SECRET, "Ada@Example.com", NOW, timedelta(hours=1))
    assert access.verify(SECRET, token, NOW) == "ada@example.com"


def test_expired_tokens_are_refused() -> None:
    token = access.issue(SECRET, "ada@example.com", NOW, timedelta(hours=1))
    with pytest.raises(Unauthorized, match="expired"):
        access.verify(SECRET, token, NOW + timedelta(hours=1))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t + "x",
        lambda t: t.split(".")[0],
        lambda t: "." + t.split(".")[1],
        lambda t: t.replace(t[0], "A" if t[0] != "A" else "B", 1),
        lambda t: "garbage",
    ],
)
def test_tampered_tokens_are_refused(mutate) -> None:
    token = access.issue(SECRET, "ada@example.com", NOW, timedelta(hours=1))
    with pytest.raises(Unauthorized):
        access.verify(SECRET, mutate(token), NOW)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = access.issue("other", "ada@example.com", NOW, timedelta(hours=1))
    with pytest.raises(Unauthorized):
        access.verify(SECRET, token, NOW)
