"""Admin token verification: forged, expired, foreign and non-admin tokens are refused.

Tokens are verified against the JWKS that moto_server serves over HTTP. Some cases need a
token signed by the pool's own key with chosen claims: moto signs every pool with one
private key, shipped in its package, which these tests load to mint them.
"""

from __future__ import annotations

import base64
import gzip
import json
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jwt
import moto.cognitoidp
import pytest
from chalice.test import Client
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import app as app_module
from chalicelib import aws, deps
from chalicelib.config import Settings
from chalicelib.db.repository import DynamoRepository
from chalicelib.services import access
from devstack import provision
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, id_token

POOL_KEY = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"


@pytest.fixture
def client(dynamo_repo: DynamoRepository, settings: Settings) -> Iterator[Client]:
    deps.override(repository=dynamo_repo, settings=settings)
    with Client(app_module.app) as test_client:
        yield test_client
    deps.reset()


def pool_key() -> Any:
    jwk = json.loads(gzip.decompress(POOL_KEY.read_bytes()))
    return jwt.PyJWK(jwk).key


def claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": settings.cognito_issuer,
        "aud": settings.cognito_client_id,
        "token_use": "id",
        "iat": now,
        "exp": now + 3600,
        "cognito:username": "admin",
        "cognito:groups": ["admins"],
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def mint(payload: dict[str, Any], key: Any = None, alg: str = "RS256") -> str:
    return jwt.encode(payload, key or pool_key(), algorithm=alg, headers={"kid": "dummy"})


def status_of(client: Client, token: str | None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = client.http.get("/admin/bookings", headers=headers)
    return response.status_code, response.json_body["error"]["code"] if response.status_code >= 400 else ""


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_the_real_admin_succeeds(client: Client, admin_token: str) -> None:
    assert status_of(client, admin_token) == (200, "")


def test_a_token_minted_with_the_pool_key_and_good_claims_succeeds(client: Client, settings: Settings) -> None:
    # Guards the tests below: they fail for the one property they change, not for the minting.
    assert status_of(client, mint(claims(settings))) == (200, "")


def test_a_signed_in_user_outside_the_admins_group_is_forbidden(client: Client, cognito: dict[str, str]) -> None:
    token = id_token(cognito["COGNITO_CLIENT_ID"], "plain", USER_PASSWORD)
    assert status_of(client, token) == (403, "forbidden")


@pytest.mark.parametrize("groups", ["notadmins", "admins-readonly", "admins,x", ["notadmins"], [], None])
def test_the_admins_group_must_be_an_exact_list_member(client: Client, settings: Settings, groups: Any) -> None:
    # A string claim "notadmins" contains "admins" as a substring; only list membership counts.
    assert status_of(client, mint(claims(settings, **{"cognito:groups": groups}))) == (403, "forbidden")


def test_missing_and_malformed_credentials(client: Client) -> None:
    assert status_of(client, None) == (401, "unauthorized")
    for bad in ("", "not-a-jwt", "a.b.c", "Bearer"):
        assert status_of(client, bad)[0] == 401
    basic = client.http.get("/admin/bookings", headers={"Authorization": "Basic YWRtaW46cGFzcw=="})
    assert basic.status_code == 401


def test_alg_none_is_refused(client: Client, settings: Settings) -> None:
    token = f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': 'dummy'})}.{b64(claims(settings))}."
    assert status_of(client, token) == (401, "unauthorized")


def test_hs256_signed_with_the_public_key_is_refused(client: Client, settings: Settings) -> None:
    public_pem = (
        pool_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = b64({"alg": "HS256", "typ": "JWT", "kid": "dummy"})
    body = b64(claims(settings))
    import hashlib
    import hmac

    signature = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    token = f"{header}.{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    assert status_of(client, token) == (401, "unauthorized")


def test_a_token_signed_with_another_key_is_refused(client: Client, settings: Settings) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert status_of(client, mint(claims(settings), key=stranger)) == (401, "unauthorized")


def test_tampered_claims_are_refused(client: Client, cognito: dict[str, str]) -> None:
    token = id_token(cognito["COGNITO_CLIENT_ID"], "plain", USER_PASSWORD)
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["cognito:groups"] = ["admins"]
    assert status_of(client, f"{header}.{b64(data)}.{signature}") == (401, "unauthorized")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"exp": int(time.time()) - 10}, "expired"),
        ({"exp": None}, "no expiry"),
        ({"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}, "another pool"),
        ({"aud": "another-client"}, "another client"),
        ({"token_use": "access"}, "an access token"),
        ({"token_use": None}, "no token_use"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_claims_must_match_this_pool_and_client(
    client: Client, settings: Settings, change: dict[str, Any], why: str
) -> None:
    assert status_of(client, mint(claims(settings, **change))) == (401, "unauthorized"), why


def test_real_tokens_from_another_pool_or_client_are_refused(client: Client, cognito: dict[str, str]) -> None:
    other_pool = provision.cognito("admin", ADMIN_PASSWORD)
    assert status_of(client, id_token(other_pool["COGNITO_CLIENT_ID"], "admin", ADMIN_PASSWORD))[0] == 401
    idp = aws.client("cognito-idp")
    second = idp.create_user_pool_client(
        UserPoolId=cognito["COGNITO_USER_POOL_ID"], ClientName="other", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    assert status_of(client, id_token(second, "admin", ADMIN_PASSWORD))[0] == 401


def _concrete(path: str) -> str:
    return (
        path.replace("{start}", "2026-03-21T09:00:00Z").replace("{expert_id}", "exp-1").replace("{booking_id}", "abc")
    )


def test_every_admin_route_is_guarded(client: Client, cognito: dict[str, str]) -> None:
    """From the route declarations, so a new admin route cannot be missed: no token 401, a signed-in
    non-admin 403, a client's own token 401 (another kind of credential)."""
    plain = id_token(cognito["COGNITO_CLIENT_ID"], "plain", USER_PASSWORD)
    client_token, _ = access.email_token(deps.client_token_secret(), "someone@example.com", datetime.now(timezone.utc))
    admin_routes = [op for op in app_module.operations if op.auth == "admin"]
    assert len(admin_routes) >= 8
    for op in admin_routes:
        method, path = op.method.upper(), _concrete(op.path)
        for token, expected in ((None, 401), (plain, 403), (client_token, 401)):
            headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
            response = client.http.request(method, path, headers=headers, body=b"{}")
            assert response.status_code == expected, (method, path, expected)


def test_admin_session_signs_in_and_refuses_bad_credentials(client: Client) -> None:
    ok = client.http.post(
        "/admin/session",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"username": "admin", "password": ADMIN_PASSWORD}),
    )
    assert ok.status_code == 200 and ok.json_body["expiresAt"].endswith("Z")
    assert status_of(client, ok.json_body["token"]) == (200, "")
    for username, password in (("admin", "wrong-password"), ("nobody", "whatever-123")):
        bad = client.http.post(
            "/admin/session",
            headers={"Content-Type": "application/json"},
            body=json.dumps({"username": username, "password": password}),
        )
        assert (bad.status_code, bad.json_body["error"]["code"]) == (401, "invalid_credentials")
    empty = client.http.post("/admin/session", headers={"Content-Type": "application/json"}, body="{}")
    assert empty.status_code == 400


def test_an_admin_with_an_authenticator_app_signs_in_in_two_steps(client: Client, cognito: dict[str, str]) -> None:
    """Production pools have MFA on: the password step answers a challenge, the code step a token."""
    idp, pool = aws.client("cognito-idp"), cognito["COGNITO_USER_POOL_ID"]
    idp.admin_create_user(UserPoolId=pool, Username="totp-admin", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="totp-admin", Password=ADMIN_PASSWORD, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=pool, Username="totp-admin", GroupName="admins")
    tokens = idp.initiate_auth(
        ClientId=cognito["COGNITO_CLIENT_ID"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "totp-admin", "PASSWORD": ADMIN_PASSWORD},
    )["AuthenticationResult"]
    idp.associate_software_token(AccessToken=tokens["AccessToken"])
    idp.verify_software_token(AccessToken=tokens["AccessToken"], UserCode="123456")
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool, Username="totp-admin", SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )

    def post(body: dict[str, str]) -> Any:
        return client.http.post("/admin/session", headers={"Content-Type": "application/json"}, body=json.dumps(body))

    first = post({"username": "totp-admin", "password": ADMIN_PASSWORD})
    assert first.status_code == 200 and first.json_body["mfaRequired"] is True and "token" not in first.json_body
    session = first.json_body["session"]
    assert post({"username": "totp-admin", "session": session}).status_code == 400  # the code is required
    assert post({"username": "totp-admin", "session": session, "code": "12ab56"}).status_code == 400
    bogus = post({"username": "totp-admin", "session": "x" * 40, "code": "123456"})
    assert (bogus.status_code, bogus.json_body["error"]["code"]) == (401, "invalid_credentials")
    second = post({"username": "totp-admin", "session": session, "code": "123456"})
    assert second.status_code == 200, second.json_body
    assert status_of(client, second.json_body["token"]) == (200, "")
