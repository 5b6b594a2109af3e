"""Credential checks for protected routes.

Interim (issue 2): the admin credential is a bearer token equal to ADMIN_API_SECRET.
With no secret configured every request is refused. Cognito verification replaces this
in the admin-identity issue.
"""

from __future__ import annotations

import hmac

from chalicelib.errors import Unauthorized


def bearer(headers: dict[str, str]) -> str:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Sign in first: this route needs a bearer token.")
    return token.strip()


def require_admin(headers: dict[str, str], secret: str) -> None:
    token = bearer(headers)
    if not secret or not hmac.compare_digest(token.encode(), secret.encode()):
        raise Unauthorized("The admin credential is not valid.")
