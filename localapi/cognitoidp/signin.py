"""Sign-in flows as Amazon Cognito runs them, on moto: what each flow puts in the access token.

moto 5.2.5 checks passwords and issues RS256 tokens (with `cognito:groups`), but has no managed login, no
/oauth2/authorize and /oauth2/token endpoints, runs no Lambda trigger, and writes
`scope: aws.cognito.signin.user.admin` into every access token. `UserPool` adds what Cognito does on top:

- InitiateAuth USER_SRP_AUTH, USER_PASSWORD_AUTH (API sign-in): refused unless the app client allows the flow
  (ExplicitAuthFlows: `InvalidParameterException ... flow not enabled for this client`); a confidential client must
  present its secret (SECRET_HASH). The access token's scope is `aws.cognito.signin.user.admin` only: "InitiateAuth
  or AdminInitiate don't return custom scopes in the access token"
  (https://repost.aws/knowledge-center/api-calls-access-tokens-custom-scopes) unless the pool's pre token generation
  trigger adds some (cognitoidp/pretoken.py, TokenGeneration_Authentication). USER_SRP_AUTH is emulated at the level
  of "password verified, tokens issued": the SRP exchange itself (SRP_A, the PASSWORD_VERIFIER challenge and its
  signature) and the MFA and new-password challenges are not.
- InitiateAuth REFRESH_TOKEN_AUTH, and /oauth2/token grant_type=refresh_token: new access and id tokens for the
  session the refresh token belongs to (its client; the scopes of its sign-in), then the trigger
  (TokenGeneration_RefreshTokens), which sees the session's scopes, not what a previous trigger added.
- Authorization code + PKCE (managed login): the requested scopes must all be on the app client's
  AllowedOAuthScopes, else `invalid_scope`; none requested means all of them
  (https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html, `scope`). The code is
  single-use and bound to the client and to the S256 challenge; a confidential client must present its secret
  (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html). The trigger runs as
  TokenGeneration_HostedAuth with the granted scopes.
Tokens are moto's, with the resulting claims, signed again with moto's user-pool key (the private half of the JWKS
moto serves), so the gateway verifies them like any moto token. Without a trigger (a LITE pool) nothing adds scopes.
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

from localapi.cognitoidp import pretoken
from localapi.cognitoidp.pretoken import SignInError, Trigger

__all__ = ["AppClient", "SignInError", "Trigger", "UserPool"]

MOTO_PRIVATE_JWK: Final = "cognitoidp/resources/jwks-private.json.gz"
INITIATE_AUTH_SCOPE: Final = "aws.cognito.signin.user.admin"
MOTO_SIGN_IN: Final = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
"""The flow the emulation itself uses to check the password in moto (what Cognito does for the user)."""
SIGN_IN_FLOWS: Final = ("USER_SRP_AUTH", "USER_PASSWORD_AUTH")


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
    if client.secret is None:
        raise ValueError(f"client {client.client_id} has no secret")
    digest = hmac.new(client.secret.encode(), (username + client.client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def code_challenge(verifier: str) -> str:
    """The S256 PKCE challenge of `verifier` (RFC 7636 section 4.2)."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _signed(token: str, claims: dict[str, Any]) -> str:
    return jwt.encode(
        claims, moto_signing_key(), algorithm="RS256", headers={"kid": jwt.get_unverified_header(token)["kid"]}
    )


@dataclass
class _Session:
    client_id: str
    username: str
    scopes: list[str]
    """The scopes of the sign-in: aws.cognito.signin.user.admin (API sign-in) or the granted OAuth scopes."""


@dataclass
class UserPool:
    """One user pool as Cognito runs it over moto's (`trigger`: its pre token generation trigger, if any).

    Codes and refresh-token sessions live in this object, as they live in Cognito."""

    cognito: Any
    pool_id: str
    region: str
    trigger: Trigger | None = None
    _codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _sessions: dict[str, _Session] = field(default_factory=dict)

    # ---- what Cognito does before issuing tokens -------------------------------------------------------------

    def _check_secret(self, client: AppClient, client_secret: str | None) -> None:
        if client.secret is not None and not hmac.compare_digest(client.secret, client_secret or ""):
            raise SignInError("NotAuthorizedException", f"Unable to verify secret hash for client {client.client_id}")

    def _password_tokens(self, client: AppClient, username: str, password: str) -> dict[str, Any]:
        parameters = {"USERNAME": username, "PASSWORD": password}
        if client.secret is not None:
            parameters["SECRET_HASH"] = secret_hash(client, username)
        try:
            answer = self.cognito.admin_initiate_auth(
                UserPoolId=self.pool_id,
                ClientId=client.client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters=parameters,
            )
        except (self.cognito.exceptions.NotAuthorizedException, self.cognito.exceptions.UserNotFoundException):
            raise SignInError("NotAuthorizedException", "Incorrect username or password.") from None
        if "AuthenticationResult" not in answer:
            raise SignInError("NotEmulated", f"the {answer.get('ChallengeName')} challenge is not emulated")
        result: dict[str, Any] = answer["AuthenticationResult"]
        return result

    def _issue(
        self,
        source: str,
        client: AppClient,
        tokens: dict[str, Any],
        scopes: list[str],
        client_metadata: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """`tokens` (moto's) with the session's `scopes`, after the trigger if the pool has one."""
        access = _claims(tokens["AccessToken"])
        if access["scope"] != INITIATE_AUTH_SCOPE:
            raise RuntimeError("moto changed its access token scope: re-check this emulation")
        access["scope"] = " ".join(scopes)
        identity = _claims(tokens["IdToken"])
        if self.trigger is not None:
            username = str(access["username"])
            user = self.cognito.admin_get_user(UserPoolId=self.pool_id, Username=username)
            attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
            attributes["cognito:user_status"] = user["UserStatus"]
            sent = pretoken.event(
                source,
                self.region,
                self.pool_id,
                client.client_id,
                username,
                attributes,
                list(access.get("cognito:groups", [])),
                scopes,
                client_metadata,
            )
            details = pretoken.invoke(self.trigger, sent)
            access = pretoken.apply(access, details, access=True)
            identity = pretoken.apply(identity, details, access=False)
        return {
            **tokens,
            "AccessToken": _signed(tokens["AccessToken"], access),
            "IdToken": _signed(tokens["IdToken"], identity),
        }

    def _remember(self, client: AppClient, tokens: dict[str, Any], scopes: list[str]) -> None:
        if "RefreshToken" in tokens:
            username = str(_claims(tokens["AccessToken"])["username"])
            self._sessions[tokens["RefreshToken"]] = _Session(client.client_id, username, scopes)

    # ---- InitiateAuth ---------------------------------------------------------------------------------------

    def initiate_auth(
        self,
        client: AppClient,
        flow: str,
        username: str,
        password: str,
        client_secret: str | None = None,
        client_metadata: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """InitiateAuth USER_SRP_AUTH or USER_PASSWORD_AUTH: the AuthenticationResult (see the module docstring)."""
        if flow not in SIGN_IN_FLOWS:
            raise ValueError(f"{flow} is not a sign-in flow this emulation runs: {', '.join(SIGN_IN_FLOWS)}")
        if "ALLOW_" + flow not in client.auth_flows:
            raise SignInError("InvalidParameterException", f"{flow} flow not enabled for this client")
        self._check_secret(client, client_secret)
        scopes = [INITIATE_AUTH_SCOPE]
        tokens = self._issue(
            "TokenGeneration_Authentication",
            client,
            self._password_tokens(client, username, password),
            scopes,
            client_metadata,
        )
        self._remember(client, tokens, scopes)
        return tokens

    def refresh(self, client: AppClient, refresh_token: str, client_secret: str | None = None) -> dict[str, Any]:
        """InitiateAuth REFRESH_TOKEN_AUTH (or /oauth2/token grant_type=refresh_token): new access and id tokens."""
        if "ALLOW_REFRESH_TOKEN_AUTH" not in client.auth_flows:
            raise SignInError("InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client")
        self._check_secret(client, client_secret)
        session = self._sessions.get(refresh_token)
        if session is None or session.client_id != client.client_id:
            raise SignInError("NotAuthorizedException", "Invalid Refresh Token")
        answer = self.cognito.admin_initiate_auth(
            UserPoolId=self.pool_id,
            ClientId=client.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
        return self._issue("TokenGeneration_RefreshTokens", client, answer["AuthenticationResult"], session.scopes)

    # ---- managed login: /oauth2/authorize and /oauth2/token ------------------------------------------------

    def authorize(
        self, client: AppClient, username: str, password: str, challenge: str, scopes: list[str] | None = None
    ) -> str:
        """The authorization code after the user signs in at managed login (response_type=code, S256)."""
        requested = list(client.allowed_scopes) if scopes is None else list(scopes)
        refused = sorted(set(requested) - set(client.allowed_scopes))
        if refused:
            raise SignInError("invalid_scope", f"the app client may not grant {', '.join(refused)}")
        tokens = self._password_tokens(client, username, password)
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
        tokens = self._issue("TokenGeneration_HostedAuth", client, pending["tokens"], pending["scopes"])
        self._remember(client, tokens, pending["scopes"])
        return tokens

    def sign_in_with_pkce(
        self, client: AppClient, username: str, password: str, scopes: list[str] | None = None
    ) -> dict[str, Any]:
        """The whole code + PKCE flow a mobile app runs (a fresh verifier each time); the token response."""
        verifier = secrets.token_urlsafe(48)
        code = self.authorize(client, username, password, code_challenge(verifier), scopes)
        return self.token(client, code, verifier, client.secret)


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
