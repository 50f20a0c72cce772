"""The Cognito user-pool authorizer of API Gateway, against moto's Cognito (server mode).

Verification is what API Gateway does with a COGNITO_USER_POOLS authorizer: RS256 signature by a key
of the pool's JWKS (served by moto at /<pool-id>/.well-known/jwks.json), issuer = the pool, not
expired; a method with OAuth scopes needs an *access* token holding at least one of them, a method
without scopes needs an *id* token. Every failure is a 401 (UNAUTHORIZED), as on AWS.

Tokens come from the sign-in flows as Cognito runs them: localapi/signin.py.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any, Final

import jwt

from localapi import signin
from localapi.signin import AppClient

EXPIRED_MESSAGE: Final = "The incoming token has expired"
UNAUTHORIZED_MESSAGE: Final = "Unauthorized"


@dataclass(frozen=True)
class TokenIssuer:
    """What a caller needs to sign in and what the gateways need to verify tokens."""

    region: str
    pool_id: str
    client_id: str
    username: str
    password: str
    scopes: tuple[str, ...]
    jwks_url: str
    issuer: str
    app: dict[str, Any]
    """The mobile app client (signin.AppClient.to_dict): end-user scopes only, code + PKCE."""
    operator: dict[str, Any] | None
    """The operator client (confidential), when the contract reserves scopes to a group."""
    groups: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenIssuer:
        """Inverse of to_dict."""
        return cls(**{**data, "scopes": tuple(data["scopes"]), "groups": tuple(data["groups"])})

    def app_client(self) -> AppClient:
        """The mobile app client."""
        return AppClient.from_dict(self.app)

    def operator_client(self) -> AppClient:
        """The operator client."""
        assert self.operator is not None, "the contract reserves no scope to a group"
        return AppClient.from_dict(self.operator)

    def end_user_token(self, cognito: Any, username: str | None = None, scopes: list[str] | None = None) -> str:
        """The access token the mobile app's sign-in (code + PKCE) yields for the demo user, or for
        `username`, registered as an ordinary user if new; all the app client may grant, or `scopes`."""
        app = self.app_client()
        password = self.password if username is None else signin.LOCAL_PASSWORD
        if username is not None:
            signin.ensure_end_user(cognito, self.pool_id, app, username, password)
        tokens = signin.sign_in_with_pkce(cognito, self.pool_id, app, username or self.username, password, scopes)
        return str(tokens["AccessToken"])

    def operator_token(self, cognito: Any, username: str, scopes: list[str] | None = None) -> str:
        """The access token of operator `username` (put in the operators group) from the operator client."""
        client = self.operator_client()
        for group in self.groups:
            signin.ensure_operator(cognito, self.pool_id, username, signin.LOCAL_PASSWORD, group)
        tokens = signin.sign_in_with_pkce(cognito, self.pool_id, client, username, signin.LOCAL_PASSWORD, scopes)
        return str(tokens["AccessToken"])


class AuthorizationError(Exception):
    """The request is not authorized; the message is what the gateway says."""


def issuer(region: str, pool_id: str) -> str:
    """The `iss` of the pool's tokens."""
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


@dataclass
class Verifier:
    """Checks bearer tokens against one user pool's JWKS."""

    jwks_url: str
    issuer: str

    def __post_init__(self) -> None:
        self._keys = jwt.PyJWKClient(self.jwks_url, cache_keys=True, lifespan=3600, timeout=5)

    def authorize(self, header: str | None, scopes: tuple[str, ...]) -> dict[str, Any]:
        """The verified claims of the Authorization header for a method needing `scopes`."""
        if not header or not header.strip():
            raise AuthorizationError(UNAUTHORIZED_MESSAGE)
        token = header.strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError:
            raise AuthorizationError(EXPIRED_MESSAGE) from None
        except (jwt.PyJWTError, ValueError):
            raise AuthorizationError(UNAUTHORIZED_MESSAGE) from None
        if scopes:
            granted = set(str(claims.get("scope", "")).split())
            if claims.get("token_use") != "access" or not granted.intersection(scopes):
                raise AuthorizationError(UNAUTHORIZED_MESSAGE)
        elif claims.get("token_use") != "id":
            raise AuthorizationError(UNAUTHORIZED_MESSAGE)
        return claims


def _java_date(epoch: Any) -> str:
    return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(int(epoch)))


def event_claims(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as a REST API puts them in requestContext.authorizer.claims: strings, dates for exp/iat."""
    out: dict[str, str] = {}
    for name, value in claims.items():
        if name in ("exp", "iat") and isinstance(value, int | float):
            out[name] = _java_date(value)
        elif isinstance(value, list):
            out[name] = "[" + ", ".join(str(v) for v in value) + "]"
        elif isinstance(value, bool):
            out[name] = str(value).lower()
        else:
            out[name] = str(value)
    return out
