"""The Cognito user-pool authorizer of API Gateway, against moto's Cognito (server mode).

Verification is what API Gateway does with a COGNITO_USER_POOLS authorizer: RS256 signature by a key
of the pool's JWKS (served by moto at /<pool-id>/.well-known/jwks.json), issuer = the pool, not
expired; a method with OAuth scopes needs an *access* token holding at least one of them, a method
without scopes needs an *id* token. Every failure is a 401 (UNAUTHORIZED), as on AWS.

Tokens come from the sign-in flows as Cognito runs them: localapi/cognitoidp/signin.py.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any, Final

import jwt

from localapi.cognitoidp import signin
from localapi.cognitoidp.signin import AppClient, Trigger, UserPool

EXPIRED_MESSAGE: Final = "The incoming token has expired"
UNAUTHORIZED_MESSAGE: Final = "Unauthorized"


FLOWS: Final = {"srp": "USER_SRP_AUTH", "password": "USER_PASSWORD_AUTH", "code": "code"}
"""`make token FLOW=`: InitiateAuth USER_SRP_AUTH (Amplify's default), USER_PASSWORD_AUTH, or code + PKCE."""


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
    """The mobile app client (signin.AppClient.to_dict): end-user scopes only; SRP, refresh, code + PKCE."""
    operator: dict[str, Any] | None
    """The operator client (confidential), when the contract reserves scopes to a group."""
    groups: tuple[str, ...]
    trigger: dict[str, Any] | None = None
    """The pool's pre token generation trigger (signin.Trigger.to_dict); None as in a LITE pool."""

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
        if self.operator is None:
            raise LookupError("the contract reserves no scope to a group: there is no operator client")
        return AppClient.from_dict(self.operator)

    def user_pool(self, cognito: Any) -> UserPool:
        """The pool's sign-in flows as Cognito runs them (with its trigger, if it has one)."""
        trigger = Trigger.from_dict(self.trigger) if self.trigger else None
        return UserPool(cognito, self.pool_id, self.region, trigger)

    def sign_in(
        self,
        cognito: Any,
        client: AppClient,
        username: str,
        password: str,
        flow: str,
        scopes: list[str] | None = None,
        pool: UserPool | None = None,
    ) -> dict[str, Any]:
        """The token response `flow` (srp, password or code) yields through `client`."""
        if flow not in FLOWS:
            raise ValueError(f"unknown flow {flow!r}: one of {', '.join(FLOWS)}")
        pool = pool or self.user_pool(cognito)
        if flow == "code":
            return pool.sign_in_with_pkce(client, username, password, scopes)
        if scopes is not None:
            raise ValueError(f"{FLOWS[flow]} (InitiateAuth) takes no scopes: ask for scopes with the code flow")
        return pool.initiate_auth(client, FLOWS[flow], username, password, client.secret)

    def end_user_token(
        self, cognito: Any, username: str | None = None, scopes: list[str] | None = None, flow: str | None = None
    ) -> str:
        """The access token the mobile app's sign-in yields for the demo user, or for `username`, registered as an
        ordinary user if new. `flow` defaults to USER_SRP_AUTH (the Amplify default), or code + PKCE when asking
        for `scopes` (InitiateAuth takes none)."""
        app = self.app_client()
        password = self.password if username is None else signin.LOCAL_PASSWORD
        if username is not None:
            signin.ensure_end_user(cognito, self.pool_id, app, username, password)
        chosen = flow or ("code" if scopes is not None else "srp")
        tokens = self.sign_in(cognito, app, username or self.username, password, chosen, scopes)
        return str(tokens["AccessToken"])

    def operator_token(
        self, cognito: Any, username: str, scopes: list[str] | None = None, flow: str | None = None
    ) -> str:
        """The access token of operator `username` (put in the operators group) from the operator client, through
        the operators' tooling's flow (code + PKCE with the client secret) unless `flow` says otherwise."""
        client = self.operator_client()
        for group in self.groups:
            signin.ensure_operator(cognito, self.pool_id, username, signin.LOCAL_PASSWORD, group)
        tokens = self.sign_in(cognito, client, username, signin.LOCAL_PASSWORD, flow or "code", scopes)
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
