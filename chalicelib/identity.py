"""Admin sign-in against the Cognito user pool (InitiateAuth, USER_PASSWORD_AUTH; then the TOTP step)."""

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
_BAD_CODE = {"CodeMismatchException", "ExpiredCodeException", "InvalidParameterException"}


@dataclass(frozen=True)
class AdminSession:
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class MfaChallenge:
    """The password was right; Cognito wants the TOTP code (production pools have MFA on)."""

    session: str


def sign_in(settings: Settings, username: str, password: str, now: datetime) -> AdminSession | MfaChallenge:
    result = _cognito(
        settings,
        "initiate_auth",
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return _outcome(result, now)


def answer_mfa(settings: Settings, username: str, session: str, code: str, now: datetime) -> AdminSession:
    """The second step: the code from the admin's authenticator app for the session of the first."""
    result = _cognito(
        settings,
        "respond_to_auth_challenge",
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=session,
        ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code},
        # Cognito answers an unknown or used session with NotAuthorized; moto with ResourceNotFound.
        refused_also=frozenset({"ResourceNotFoundException"}),
    )
    outcome = _outcome(result, now)
    if isinstance(outcome, MfaChallenge):
        raise InvalidCredentials("The code was not accepted; sign in again.")
    return outcome


def _cognito(
    settings: Settings, operation: str, refused_also: frozenset[str] = frozenset(), **params: object
) -> dict[str, object]:
    from botocore.exceptions import BotoCoreError, ClientError

    if not settings.cognito_client_id:
        raise ServiceUnavailable("Admin sign-in is not configured.")
    try:
        result: dict[str, object] = getattr(aws.client("cognito-idp"), operation)(
            ClientId=settings.cognito_client_id, **params
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in _REFUSED:
            raise InvalidCredentials("The username or password is wrong.") from exc
        if code in _BAD_CODE or code in refused_also:
            raise InvalidCredentials("The code is wrong or has expired; sign in again.") from exc
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc
    return result


def _outcome(result: dict[str, object], now: datetime) -> AdminSession | MfaChallenge:
    tokens = result.get("AuthenticationResult")
    if isinstance(tokens, dict):
        return AdminSession(str(tokens["IdToken"]), now + timedelta(seconds=int(tokens["ExpiresIn"])))
    if result.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
        return MfaChallenge(str(result["Session"]))
    if result.get("ChallengeName") == "MFA_SETUP":
        raise InvalidCredentials("This account must set up its authenticator app first (README: Admin MFA).")
    # Another challenge such as NEW_PASSWORD_REQUIRED: not supported by this sign-in.
    raise InvalidCredentials("This account must finish setting its password first.")
