"""Bearer credentials: Cognito ID tokens for admins, signed access tokens for clients.

This runs inside the route, so it behaves the same under `chalice local` (which does not
enforce Chalice's CognitoUserPoolAuthorizer), `chalice.test.Client` and Lambda.
"""

from __future__ import annotations

import threading
from typing import Any

from chalicelib.config import Settings
from chalicelib.errors import Forbidden, ServiceUnavailable, Unauthorized

ADMIN_GROUP = "admins"
JWKS_CACHE_SECONDS = 3600
_jwks_lock = threading.Lock()
_jwks_clients: dict[str, Any] = {}


def bearer(headers: Any) -> str:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Sign in first: this route needs a bearer token.")
    return token.strip()


def _jwks(url: str) -> Any:
    """One PyJWKClient per JWKS URL per container; it caches the keys."""
    from jwt import PyJWKClient

    with _jwks_lock:
        if url not in _jwks_clients:
            _jwks_clients[url] = PyJWKClient(url, cache_keys=True, lifespan=JWKS_CACHE_SECONDS, timeout=5)
        return _jwks_clients[url]


def admin_claims(headers: Any, settings: Settings) -> dict[str, Any]:
    """Verify a Cognito ID token: RS256 signature against the pool's JWKS, issuer, audience
    (the app client), expiry, token_use=id; then membership of the admins group.
    Missing or invalid token → 401; valid token without the group → 403."""
    import jwt

    token = bearer(headers)
    if not settings.cognito_user_pool_id or not settings.cognito_client_id:
        raise Unauthorized("Admin sign-in is not configured.")
    try:
        if jwt.get_unverified_header(token).get("alg") != "RS256":
            raise Unauthorized("The admin token is not valid.")
        key = _jwks(settings.cognito_jwks_url).get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            audience=settings.cognito_client_id,
            issuer=settings.cognito_issuer,
            options={"require": ["exp", "iat", "iss", "aud", "token_use"]},
        )
    except jwt.PyJWKClientConnectionError as exc:
        raise ServiceUnavailable("Admin sign-in is briefly unavailable; retry shortly.") from exc
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The admin session has expired; sign in again.") from exc
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise Unauthorized("The admin token is not valid.") from exc
    if claims.get("token_use") != "id":
        raise Unauthorized("Use the ID token from /admin/session.")
    groups = claims.get("cognito:groups")
    # Exactly a member of the list: a string claim such as "notadmins" contains "admins" but is no list.
    if not isinstance(groups, list) or ADMIN_GROUP not in groups:
        raise Forbidden("This account is not an admin.")
    return claims
