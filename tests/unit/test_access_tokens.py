"""Client tokens: PyJWT, scoped in their claims, expiring on the service's clock, revocable by the secret."""

from dataclasses import replace
from datetime import timedelta

import jwt
import pytest

from chalicelib.domain import Booking, Status
from chalicelib.errors import Forbidden, Unauthorized
from chalicelib.services import access
from tests.conftest import NOW

SECRET = "unit-test-client-token-secret-32-bytes"
CLIENT = frozenset({access.BOOKING, access.EMAIL})
BOOKING = Booking(
    id="b-1",
    expert_id="exp-1",
    expert_name="Ada",
    slot_start=NOW + timedelta(days=1),
    slot_end=NOW + timedelta(days=1, hours=1),
    name="Grace",
    email="grace@example.com",
    phone="+442079460958",
    notes="",
    status=Status.PENDING,
    created_at=NOW,
    updated_at=NOW,
)


def test_a_booking_token_opens_its_booking_until_the_session_ends() -> None:
    token = access.booking_token(SECRET, BOOKING, NOW)
    grant = access.client_grant(SECRET, token, NOW + timedelta(hours=20))
    access.allow_booking(grant, BOOKING)
    with pytest.raises(Unauthorized, match="expired"):
        access.client_grant(SECRET, token, BOOKING.slot_end)


def test_a_booking_token_opens_no_other_booking_of_the_same_email_and_no_list() -> None:
    grant = access.client_grant(SECRET, access.booking_token(SECRET, BOOKING, NOW), NOW)
    with pytest.raises(Forbidden):
        access.allow_booking(grant, replace(BOOKING, id="b-2"))
    with pytest.raises(Forbidden):
        access.allow_email(grant, BOOKING.email)


def test_an_email_token_opens_every_booking_of_its_email_for_a_day() -> None:
    token, expires = access.email_token(SECRET, "Grace@Example.com", NOW)
    assert expires == NOW + timedelta(hours=24)
    grant = access.client_grant(SECRET, token, NOW)
    access.allow_email(grant, "grace@example.com")
    access.allow_booking(grant, replace(BOOKING, id="any"))
    with pytest.raises(Forbidden):
        access.allow_email(grant, "someone@example.com")
    with pytest.raises(Forbidden):
        access.allow_booking(grant, replace(BOOKING, email="someone@example.com"))
    with pytest.raises(Unauthorized, match="expired"):
        access.client_grant(SECRET, token, expires)


@pytest.mark.parametrize("kind", ["link", "verify"])
def test_link_tokens_are_not_bearer_tokens(kind: str) -> None:
    token = (
        access.link_token(SECRET, BOOKING.email, NOW)
        if kind == "link"
        else access.verification_token(SECRET, BOOKING, NOW)
    )
    with pytest.raises(Unauthorized, match="cannot be used here"):
        access.client_grant(SECRET, token, NOW)


def test_a_forged_scope_is_refused() -> None:
    claims = jwt.decode(access.booking_token(SECRET, BOOKING, NOW), options={"verify_signature": False})
    claims.update(scope="email", sub=BOOKING.email)
    forged = jwt.encode(claims, "guessed-secret-guessed-secret-guessed", algorithm="HS256")
    with pytest.raises(Unauthorized, match="not valid"):
        access.client_grant(SECRET, forged, NOW)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t + "x",
        lambda t: t.split(".")[0],
        lambda t: ".".join(t.split(".")[:2]) + ".",
        lambda t: "garbage",
        lambda t: "",
    ],
)
def test_tampered_tokens_are_refused(mutate) -> None:
    token, _ = access.email_token(SECRET, "ada@example.com", NOW)
    with pytest.raises(Unauthorized):
        access.client_grant(SECRET, mutate(token), NOW)


def test_alg_none_and_other_audiences_are_refused() -> None:
    claims = jwt.decode(access.email_token(SECRET, "a@example.com", NOW)[0], options={"verify_signature": False})
    with pytest.raises(Unauthorized):
        access.client_grant(SECRET, jwt.encode(claims, None, algorithm="none"), NOW)
    with pytest.raises(Unauthorized):
        access.client_grant(SECRET, jwt.encode({**claims, "aud": "someone-else"}, SECRET, algorithm="HS256"), NOW)


def test_rotating_the_secret_revokes_every_token() -> None:
    tokens = [access.booking_token(SECRET, BOOKING, NOW), access.email_token(SECRET, "a@example.com", NOW)[0]]
    for token in tokens:
        access.client_grant(SECRET, token, NOW)
        with pytest.raises(Unauthorized):
            access.client_grant("rotated-secret-rotated-secret-rotated", token, NOW)


def test_scopes_are_what_verify_accepts() -> None:
    link = access.link_token(SECRET, "A@Example.com", NOW)
    grant = access.verify(SECRET, link, NOW, scopes=frozenset({access.LINK}))
    assert (grant.scope, grant.subject) == ("link", "a@example.com")
    with pytest.raises(Unauthorized):
        access.verify(SECRET, link, NOW, scopes=frozenset({access.VERIFY}))
    with pytest.raises(Unauthorized, match="expired"):
        access.verify(SECRET, link, NOW + access.LINK_TTL, scopes=frozenset({access.LINK}))


def test_booking_and_verification_tokens_carry_no_address() -> None:
    # A JWT's claims are readable by whoever holds it: tokens that name a booking do not name its email.
    for token in (access.booking_token(SECRET, BOOKING, NOW), access.verification_token(SECRET, BOOKING, NOW)):
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["sub"] == BOOKING.id and "email" not in claims and BOOKING.email not in token
