"""The Cognito user-pool authorizer of API Gateway, against moto's Cognito (server mode).

Verification is what API Gateway does with a COGNITO_USER_POOLS authorizer: RS256 signature by a key
of the pool's JWKS (served by moto at /<pool-id>/.well-known/jwks.json), issuer = the pool, not
expired; a method with OAuth scopes needs an *access* token holding at least one of them, a method
without scopes needs an *id* token. Every failure is a 401 (UNAUTHORIZED), as on AWS.

Tokens with custom scopes (the workaround, stated plainly): moto 5.2.5 has no /oauth2/token
endpoint, no pre-token-generation trigger, and writes `scope: aws.cognito.signin.user.admin` into
every access token it issues (moto/cognitoidp/models.py, create_access_token). Real Cognito puts the
app client's allowed custom scopes into user access tokens issued by its OAuth endpoints. So
`issue_access_token` signs the user in through moto (InitiateAuth, USER_PASSWORD_AUTH), takes moto's
access token, replaces only its `scope` claim with the requested subset of the app client's
AllowedOAuthScopes, and signs it again with moto's own user-pool key (the private half of the JWKS
that moto serves, shipped inside the moto package). Every other claim is moto's; the verifier above
treats the result exactly like any moto token.
"""

from __future__ import annotations

import gzip
import json
import time
from dataclasses import asdict, dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

import jwt

if TYPE_CHECKING:
    from collections.abc import Iterable

MOTO_PRIVATE_JWK: Final = "cognitoidp/resources/jwks-private.json.gz"
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


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


def moto_signing_key() -> Any:
    """The private key moto signs every user-pool token with (kid `dummy`)."""
    data = resources.files("moto").joinpath(MOTO_PRIVATE_JWK).read_bytes()
    return jwt.PyJWK(json.loads(gzip.decompress(data))).key


def issue_access_token(
    cognito: Any, pool_id: str, client_id: str, username: str, password: str, scopes: Iterable[str] | None = None
) -> str:
    """An access token for the user carrying `scopes` (default: all the client may grant); see the module doc."""
    result = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]
    allowed = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"].get(
        "AllowedOAuthScopes", []
    )
    wanted = list(allowed) if scopes is None else list(scopes)
    refused = sorted(set(wanted) - set(allowed))
    if refused:
        raise AuthorizationError(f"the app client may not grant {', '.join(refused)} (allowed: {', '.join(allowed)})")
    token = result["AccessToken"]
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["scope"] = " ".join(wanted)
    return jwt.encode(claims, moto_signing_key(), algorithm="RS256", headers={"kid": header["kid"]})
