"""The Cognito authorizer against moto's Cognito in server mode: real RS256 tokens, verified with its JWKS."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import jwt
import pytest

from localapi.backends.stack import MotoStack, TokenIssuer
from localapi.cognitoidp.authorizer import EXPIRED_MESSAGE, AuthorizationError, Verifier, event_claims
from localapi.cognitoidp.signin import SignInError, moto_signing_key

if TYPE_CHECKING:
    from collections.abc import Iterator

RESOURCE_SERVER = {
    "identifier": "api",
    "scopes": {"items.read": "Read items.", "items.write": "Create items.", "accounts.admin": "Operators."},
    "scope_groups": {"accounts.admin": "operators"},
    "sent_as": {
        "items.read": "api/items.read",
        "items.write": "api/items.write",
        "accounts.admin": "api/accounts.admin",
    },
}


@pytest.fixture(scope="module")
def pool() -> Iterator[tuple[MotoStack, TokenIssuer]]:
    stack = MotoStack().start()
    try:
        yield stack, stack.seed_cognito("eu-west-1", RESOURCE_SERVER)
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def verifier(pool: tuple[MotoStack, TokenIssuer]) -> Verifier:
    return Verifier(pool[1].jwks_url, pool[1].issuer)


def token(pool: tuple[MotoStack, TokenIssuer], scopes: list[str] | None = None) -> str:
    """A managed-login token (code + PKCE): this pool has no trigger, so only that flow carries the API's scopes."""
    stack, setup = pool
    return setup.end_user_token(stack.client("cognito-idp", setup.region), None, scopes, "code")


def moto_tokens(pool: tuple[MotoStack, TokenIssuer]) -> dict[str, Any]:
    stack, setup = pool
    client = stack.client("cognito-idp", setup.region)
    result: dict[str, Any] = client.admin_initiate_auth(
        UserPoolId=setup.pool_id,
        ClientId=setup.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": setup.username, "PASSWORD": setup.password},
    )["AuthenticationResult"]
    return result


def resign(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, moto_signing_key(), algorithm="RS256", headers={"kid": "dummy"})


def test_app_sign_in_keeps_moto_claims_and_grants_the_end_user_scopes(pool: tuple[MotoStack, TokenIssuer]) -> None:
    claims = jwt.decode(token(pool), options={"verify_signature": False})
    assert claims["scope"] == "api/items.read api/items.write"
    assert claims["token_use"] == "access"
    assert claims["client_id"] == pool[1].client_id
    assert claims["username"] == "demo"


def test_app_sign_in_refuses_the_operator_scope(pool: tuple[MotoStack, TokenIssuer]) -> None:
    with pytest.raises(SignInError, match="invalid_scope"):
        token(pool, ["api/accounts.admin"])


def test_verifier_accepts_bearer_and_raw_token(pool: tuple[MotoStack, TokenIssuer], verifier: Verifier) -> None:
    access = token(pool)
    assert verifier.authorize(f"Bearer {access}", ("api/items.read",))["sub"]
    assert verifier.authorize(access, ("api/items.read",))["sub"]


def test_verifier_needs_one_of_the_method_scopes(pool: tuple[MotoStack, TokenIssuer], verifier: Verifier) -> None:
    narrow = token(pool, ["api/items.read"])
    assert verifier.authorize(narrow, ("api/items.write", "api/items.read"))
    with pytest.raises(AuthorizationError, match="^Unauthorized$"):
        verifier.authorize(narrow, ("api/items.write",))


def test_verifier_refuses_moto_default_scope_for_scoped_method(
    pool: tuple[MotoStack, TokenIssuer], verifier: Verifier
) -> None:
    # GIVEN an access token exactly as moto issues it (scope aws.cognito.signin.user.admin)
    with pytest.raises(AuthorizationError):
        verifier.authorize(moto_tokens(pool)["AccessToken"], ("api/items.read",))


def test_verifier_refuses_id_token_for_scoped_method(pool: tuple[MotoStack, TokenIssuer], verifier: Verifier) -> None:
    with pytest.raises(AuthorizationError):
        verifier.authorize(moto_tokens(pool)["IdToken"], ("api/items.read",))


def test_verifier_accepts_id_token_for_method_without_scopes(
    pool: tuple[MotoStack, TokenIssuer], verifier: Verifier
) -> None:
    assert verifier.authorize(moto_tokens(pool)["IdToken"], ())["token_use"] == "id"


def test_verifier_reports_expired_token(pool: tuple[MotoStack, TokenIssuer], verifier: Verifier) -> None:
    claims = jwt.decode(token(pool), options={"verify_signature": False})
    claims.update(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    with pytest.raises(AuthorizationError, match=f"^{EXPIRED_MESSAGE}$"):
        verifier.authorize(resign(claims), ("api/items.read",))


def test_verifier_refuses_other_issuer(pool: tuple[MotoStack, TokenIssuer], verifier: Verifier) -> None:
    claims = jwt.decode(token(pool), options={"verify_signature": False})
    claims["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other"
    with pytest.raises(AuthorizationError):
        verifier.authorize(resign(claims), ("api/items.read",))


def test_verifier_refuses_tampered_payload(pool: tuple[MotoStack, TokenIssuer], verifier: Verifier) -> None:
    header, payload, signature = token(pool, ["api/items.read"]).split(".")
    forged = jwt.utils.base64url_encode(b'{"sub":"someone-else","scope":"api/items.write"}').decode()
    with pytest.raises(AuthorizationError):
        verifier.authorize(f"{header}.{forged}.{signature}", ("api/items.write",))


def test_verifier_refuses_token_signed_by_another_key(pool: tuple[MotoStack, TokenIssuer], verifier: Verifier) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    claims = jwt.decode(token(pool), options={"verify_signature": False})
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other, algorithm="RS256", headers={"kid": "dummy"})
    with pytest.raises(AuthorizationError):
        verifier.authorize(forged, ("api/items.read",))


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz"])
def test_verifier_refuses_missing_or_malformed_header(verifier: Verifier, header: str | None) -> None:
    with pytest.raises(AuthorizationError, match="^Unauthorized$"):
        verifier.authorize(header, ("api/items.read",))


def test_event_claims_are_strings_like_rest_api() -> None:
    claims = event_claims({"sub": "s", "exp": 0, "iat": 0, "cognito:groups": ["a", "b"], "email_verified": True})
    assert claims == {
        "sub": "s",
        "exp": "Thu Jan 01 00:00:00 UTC 1970",
        "iat": "Thu Jan 01 00:00:00 UTC 1970",
        "cognito:groups": "[a, b]",
        "email_verified": "true",
    }
