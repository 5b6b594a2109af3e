"""Admin identity (Cognito user pool, app client, `admins` group) and the SES sender identity."""

from __future__ import annotations

from chalicelib.auth import ADMIN_GROUP
from infra.cfn import Json, ref, sub


def _user_pool() -> Json:
    return {
        "Type": "AWS::Cognito::UserPool",
        "Properties": {
            "UserPoolName": sub("${AWS::StackName}-admins"),
            # Admins are created by an operator (scripts/deploy.py admin); nobody signs up.
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
            "UsernameConfiguration": {"CaseSensitive": False},
            "Policies": {
                "PasswordPolicy": {
                    "MinimumLength": 12,
                    "RequireLowercase": True,
                    "RequireUppercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                    "TemporaryPasswordValidityDays": 3,
                }
            },
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]},
            # Every admin signs in with a TOTP app too: POST /admin/session answers the password with
            # {"mfaRequired": true, "session"} and takes {username, session, code} next.
            "MfaConfiguration": "ON",
            "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
        },
    }


def _client() -> Json:
    return {
        "Type": "AWS::Cognito::UserPoolClient",
        "Properties": {
            "UserPoolId": ref("UserPool"),
            "ClientName": "booking-api",
            # The API calls InitiateAuth(USER_PASSWORD_AUTH) for the SPA: a public client, no secret.
            "GenerateSecret": False,
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
            "IdTokenValidity": 60,
            "AccessTokenValidity": 60,
            "RefreshTokenValidity": 1,
            "TokenValidityUnits": {"IdToken": "minutes", "AccessToken": "minutes", "RefreshToken": "days"},
        },
    }


def resources() -> Json:
    return {
        "UserPool": _user_pool(),
        "UserPoolClient": _client(),
        "AdminsGroup": {
            "Type": "AWS::Cognito::UserPoolGroup",
            "Properties": {
                "GroupName": ADMIN_GROUP,
                "UserPoolId": ref("UserPool"),
                "Description": "May confirm, complete and cancel bookings and manage experts and slots.",
            },
        },
        "SenderIdentity": {"Type": "AWS::SES::EmailIdentity", "Properties": {"EmailIdentity": ref("SenderEmail")}},
    }


def outputs() -> Json:
    return {"UserPoolId": {"Value": ref("UserPool")}, "UserPoolClientId": {"Value": ref("UserPoolClient")}}
