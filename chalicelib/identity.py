"""Admin sign-in against the Cognito user pool (InitiateAuth, USER_PASSWORD_AUTH)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib import aws
from chalicelib.config import Settings
from chalicelib.errors import InvalidCredentials, ServiceUnavailable

_REFUSED = {
    "NotAuthorizedException",
    "UserNotFoundException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
}


@dataclass(frozen=True)
class AdminSession:
    token: str
    expires_at: datetime


def sign_in(settings: Settings, username: str, password: str, now: datetime) -> AdminSession:
    from botocore.exceptions import BotoCoreError, ClientError

    if not settings.cognito_client_id:
        raise ServiceUnavailable("Admin sign-in is not configured.")
    try:
        result = aws.client("cognito-idp").initiate_auth(
            ClientId=settings.cognito_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _REFUSED:
            raise InvalidCredentials("The username or password is wrong.") from exc
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc
    tokens = result.get("AuthenticationResult")
    if not tokens:  # a challenge such as NEW_PASSWORD_REQUIRED: not supported by this sign-in
        raise InvalidCredentials("This account must finish setting its password first.")
    return AdminSession(tokens["IdToken"], now + timedelta(seconds=int(tokens["ExpiresIn"])))
