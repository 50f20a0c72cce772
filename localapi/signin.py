"""Sign-in flows as Amazon Cognito runs them, on moto: what each flow puts in the access token.

moto 5.2.5 checks passwords and issues RS256 tokens (with `cognito:groups`), but has no managed login,
no /oauth2/authorize and /oauth2/token endpoints, and writes `scope: aws.cognito.signin.user.admin`
into every access token. This module adds what Cognito does on top, and nothing more:

- InitiateAuth (USER_SRP_AUTH, USER_PASSWORD_AUTH): refused unless the app client
  allows the flow (ExplicitAuthFlows, `InvalidParameterException`); allowed, the access token is
  moto's, scope `aws.cognito.signin.user.admin` only: "InitiateAuth or AdminInitiate don't return
  custom scopes in the access token" (https://repost.aws/knowledge-center/api-calls-access-tokens-custom-scopes).
- Authorization code + PKCE (managed login, /oauth2/authorize then /oauth2/token): the requested scopes
  must all be on the app client's AllowedOAuthScopes, else `invalid_scope`; none requested means all of
  them (https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html, `scope`).
  The code is single-use and bound to the client and to the S256 code challenge; a confidential client
  must present its secret (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html).
  The access token is moto's, with the granted scopes, signed again with moto's user-pool key (the
  private half of the JWKS moto serves), so the gateway verifies it like any moto token.

There is no pre-token-generation trigger here, as in the kit's Terraform: no flow adds scopes otherwise.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Final

import jwt

MOTO_PRIVATE_JWK: Final = "cognitoidp/resources/jwks-private.json.gz"
INITIATE_AUTH_SCOPE: Final = "aws.cognito.signin.user.admin"
MOTO_SIGN_IN: Final = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
"""The flow the emulation itself uses to check the password in moto (what managed login does for the user)."""


class SignInError(Exception):
    """Cognito refused: `code` is its error (`invalid_scope`, `invalid_grant`, `InvalidParameterException`...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True)
class AppClient:
    """One app client as terraform/modules/global/cognito.tf declares it."""

    client_id: str
    allowed_scopes: tuple[str, ...]
    auth_flows: tuple[str, ...]
    """ExplicitAuthFlows of the real client (moto's copy also allows MOTO_SIGN_IN for the emulation)."""
    secret: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "client_id": self.client_id,
            "allowed_scopes": list(self.allowed_scopes),
            "auth_flows": list(self.auth_flows),
            "secret": self.secret,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AppClient:
        """Inverse of to_dict."""
        return cls(data["client_id"], tuple(data["allowed_scopes"]), tuple(data["auth_flows"]), data.get("secret"))


def moto_signing_key() -> Any:
    """The private key moto signs every user-pool token with (kid `dummy`)."""
    data = resources.files("moto").joinpath(MOTO_PRIVATE_JWK).read_bytes()
    return jwt.PyJWK(json.loads(gzip.decompress(data))).key


def secret_hash(client: AppClient, username: str) -> str:
    """SECRET_HASH of a confidential client: Base64(HMAC-SHA256(secret, username + client id))."""
    assert client.secret is not None
    digest = hmac.new(client.secret.encode(), (username + client.client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def code_challenge(verifier: str) -> str:
    """The S256 PKCE challenge of `verifier` (RFC 7636 section 4.2)."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _moto_tokens(cognito: Any, pool_id: str, client: AppClient, username: str, password: str) -> dict[str, Any]:
    parameters = {"USERNAME": username, "PASSWORD": password}
    if client.secret is not None:
        parameters["SECRET_HASH"] = secret_hash(client, username)
    result: dict[str, Any] = cognito.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=parameters
    )["AuthenticationResult"]
    return result


def initiate_auth(
    cognito: Any, pool_id: str, client: AppClient, username: str, password: str, flow: str = "USER_PASSWORD_AUTH"
) -> dict[str, Any]:
    """The tokens InitiateAuth returns for a sign-in `flow` (USER_SRP_AUTH is emulated by its password check).

    REFRESH_TOKEN_AUTH is not emulated: whether InitiateAuth keeps the scopes of a refresh token that
    managed login issued is not documented; the app refreshes at /oauth2/token, which keeps them.
    """
    if flow not in ("USER_SRP_AUTH", "USER_PASSWORD_AUTH"):
        raise ValueError(f"{flow} is not a sign-in flow this emulation runs")
    if "ALLOW_" + flow not in client.auth_flows:
        raise SignInError("InvalidParameterException", f"{flow} flow not enabled for this client")
    tokens = _moto_tokens(cognito, pool_id, client, username, password)
    claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    assert claims["scope"] == INITIATE_AUTH_SCOPE, "moto changed: re-check this emulation"
    return tokens


@dataclass
class ManagedLogin:
    """/oauth2/authorize and /oauth2/token of one user pool (codes live in this object)."""

    cognito: Any
    pool_id: str
    _codes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def authorize(
        self, client: AppClient, username: str, password: str, challenge: str, scopes: list[str] | None = None
    ) -> str:
        """The authorization code after the user signs in at managed login (response_type=code, S256)."""
        requested = list(client.allowed_scopes) if scopes is None else list(scopes)
        refused = sorted(set(requested) - set(client.allowed_scopes))
        if refused:
            raise SignInError("invalid_scope", f"the app client may not grant {', '.join(refused)}")
        tokens = _moto_tokens(self.cognito, self.pool_id, client, username, password)
        code = secrets.token_urlsafe(24)
        self._codes[code] = {"client": client.client_id, "challenge": challenge, "scopes": requested, "tokens": tokens}
        return code

    def token(self, client: AppClient, code: str, verifier: str, client_secret: str | None = None) -> dict[str, Any]:
        """POST /oauth2/token grant_type=authorization_code: the tokens, access token with the granted scopes."""
        if client.secret is not None and not hmac.compare_digest(client.secret, client_secret or ""):
            raise SignInError("invalid_client", "client secret missing or wrong")
        pending = self._codes.pop(code, None)  # single use
        if pending is None or pending["client"] != client.client_id:
            raise SignInError("invalid_grant", "unknown, used or foreign authorization code")
        if not hmac.compare_digest(code_challenge(verifier), pending["challenge"]):
            raise SignInError("invalid_grant", "code_verifier does not match the code_challenge")
        tokens = pending["tokens"]
        access = tokens["AccessToken"]
        claims = jwt.decode(access, options={"verify_signature": False})
        claims["scope"] = " ".join(pending["scopes"])
        kid = jwt.get_unverified_header(access)["kid"]
        signed = jwt.encode(claims, moto_signing_key(), algorithm="RS256", headers={"kid": kid})
        return {**tokens, "AccessToken": signed}


def sign_in_with_pkce(
    cognito: Any, pool_id: str, client: AppClient, username: str, password: str, scopes: list[str] | None = None
) -> dict[str, Any]:
    """The whole code + PKCE flow a mobile app runs (a fresh verifier each time); the token response."""
    login = ManagedLogin(cognito, pool_id)
    verifier = secrets.token_urlsafe(48)
    code = login.authorize(client, username, password, code_challenge(verifier), scopes)
    return login.token(client, code, verifier, client.secret)


LOCAL_PASSWORD: Final = "Local-Passw0rd!"
"""Password of the users `make token` / `make operator-token` create (the local stack only)."""


def _exists(cognito: Any, pool_id: str, username: str) -> bool:
    try:
        cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    except cognito.exceptions.UserNotFoundException:
        return False
    return True


def ensure_end_user(cognito: Any, pool_id: str, client: AppClient, username: str, password: str) -> None:
    """An ordinary user, registered as the app registers one: SignUp, then confirmed (the emailed code)."""
    if _exists(cognito, pool_id, username):
        return
    extra = {"SecretHash": secret_hash(client, username)} if client.secret else {}
    cognito.sign_up(ClientId=client.client_id, Username=username, Password=password, **extra)
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)


def ensure_operator(cognito: Any, pool_id: str, username: str, password: str, group: str) -> None:
    """An operator: created (or found) and added to `group` by an administrator (AdminAddUserToGroup)."""
    if not _exists(cognito, pool_id, username):
        cognito.admin_create_user(
            UserPoolId=pool_id, Username=username, TemporaryPassword="Temp-" + password, MessageAction="SUPPRESS"
        )
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
