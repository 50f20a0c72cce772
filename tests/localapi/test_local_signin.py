"""Each sign-in flow, as Cognito runs it (localapi/signin.py), against every operation of the manifest:
the token it yields passes the gateway's authorizer (localapi.cognito.Verifier) and the handler's own
check on the operations it should, and is refused (401 at the gateway, 403 in the handler) on the others.

Tokens come from moto's Cognito in server mode; the handlers then run in-process against the same moto
server (their standard-library client speaks HTTP, which mock_aws would not see), with the token's claims
put in the event as a REST API's authorizer puts them.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jwt
import pytest

from localapi.cognito import AuthorizationError, TokenIssuer, Verifier, event_claims
from localapi.signin import INITIATE_AUTH_SCOPE, LOCAL_PASSWORD, AppClient, SignInError, initiate_auth
from localapi.stack import MotoStack
from tests.conftest import SECRET_ID, TABLE_NAME, create_secret, create_table, read_event

if TYPE_CHECKING:
    from collections.abc import Iterator

ROUTES = json.loads((Path(__file__).parents[2] / "api" / "routes.json").read_text())
OPERATIONS = {op: spec for op, spec in ROUTES["operations"].items() if not spec["public"]}
ADMIN_OPERATIONS = {op for op, spec in OPERATIONS.items() if "api/accounts.admin" in spec["scopes"]}


@pytest.fixture(scope="module")
def pool() -> Iterator[tuple[MotoStack, TokenIssuer, Any]]:
    stack = MotoStack().start()
    try:
        setup = stack.seed_cognito("us-east-1", ROUTES["resource_server"])
        yield stack, setup, stack.client("cognito-idp", setup.region)
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def resources(pool: tuple[MotoStack, TokenIssuer, Any]) -> str:
    """The API's table and secret in the pool's moto server; returns its endpoint."""
    stack = pool[0]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL", stack.endpoint)
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
            patch.setenv(name, value)
        create_table("us-east-1")
        create_secret("us-east-1")
    return stack.endpoint


@pytest.fixture(scope="module")
def verifier(pool: tuple[MotoStack, TokenIssuer, Any]) -> Verifier:
    return Verifier(pool[1].jwks_url, pool[1].issuer)


def outcome(verifier: Verifier, endpoint: str, token: str, operation_id: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """The status the request with `token` gets: 401 from the gateway, else the handler's."""
    from lambdas import aws

    try:
        claims = verifier.authorize(f"Bearer {token}", tuple(OPERATIONS[operation_id]["scopes"]))
    except AuthorizationError:
        return 401
    event = read_event(operation_id)
    event["requestContext"]["authorizer"] = {"claims": event_claims(claims)}
    environment = {"TABLE_NAME": TABLE_NAME, "SECRET_ID": SECRET_ID, "AWS_DEFAULT_REGION": "us-east-1"}
    for name, value in {**environment, "AWS_ENDPOINT_URL": endpoint}.items():
        monkeypatch.setenv(name, value)
    aws.reset()
    try:
        handler = importlib.import_module(f"lambdas.handlers.{operation_id}").handler
        return int(handler(event, None)["statusCode"])
    finally:
        aws.reset()


def allowed(status: int) -> bool:
    return status not in (401, 403) and status < 500


def test_app_sign_in_new_user_works_everywhere_but_the_admin_operation(
    pool, verifier, resources, monkeypatch, aws_credentials
):
    _, setup, cognito = pool
    # GIVEN a brand-new, self-registered user signing in through the mobile app (code + PKCE)
    token = setup.end_user_token(cognito, "mallory", None)
    assert "api/accounts.admin" not in jwt.decode(token, options={"verify_signature": False})["scope"]

    results = {op: outcome(verifier, resources, token, op, monkeypatch) for op in OPERATIONS}

    assert {op for op, status in results.items() if allowed(status)} == set(OPERATIONS) - ADMIN_OPERATIONS
    assert {results[op] for op in ADMIN_OPERATIONS} == {401}


def test_app_sign_in_asking_for_the_operator_scope_is_refused(pool):
    _, setup, cognito = pool
    with pytest.raises(SignInError, match="invalid_scope"):
        setup.end_user_token(cognito, "mallory", ["api/accounts.admin"])
    with pytest.raises(SignInError, match="invalid_scope"):
        setup.end_user_token(cognito, "mallory", ["api/items.read", "api/accounts.admin"])


def test_app_sign_in_with_fewer_scopes_works_only_where_they_suffice(
    pool, verifier, resources, monkeypatch, aws_credentials
):
    _, setup, cognito = pool
    token = setup.end_user_token(cognito, "mallory", ["api/items.read"])

    results = {op: outcome(verifier, resources, token, op, monkeypatch) for op in OPERATIONS}

    assert {op for op, status in results.items() if allowed(status)} == {"get_item", "list_items"}


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_initiate_auth_is_refused_by_the_app_client(pool, flow):
    _, setup, cognito = pool
    with pytest.raises(SignInError, match=f"InvalidParameterException: {flow} flow not enabled"):
        initiate_auth(cognito, setup.pool_id, setup.app_client(), setup.username, setup.password, flow)


@pytest.mark.parametrize("flow", ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
def test_initiate_auth_token_has_no_custom_scope_and_fails_everywhere(
    pool, verifier, resources, monkeypatch, aws_credentials, flow
):
    _, setup, cognito = pool
    # GIVEN an app client that did allow InitiateAuth (what the kit used to deploy)
    app = setup.app_client()
    permissive = AppClient(app.client_id, app.allowed_scopes, ("ALLOW_" + flow, "ALLOW_REFRESH_TOKEN_AUTH"))
    token = initiate_auth(cognito, setup.pool_id, permissive, setup.username, setup.password, flow)["AccessToken"]

    assert jwt.decode(token, options={"verify_signature": False})["scope"] == INITIATE_AUTH_SCOPE
    assert {outcome(verifier, resources, token, op, monkeypatch) for op in OPERATIONS} == {401}


def test_operator_sign_in_works_only_on_the_admin_operation(pool, verifier, resources, monkeypatch, aws_credentials):
    _, setup, cognito = pool
    token = setup.operator_token(cognito, "olga")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["cognito:groups"] == ["operators"]

    results = {op: outcome(verifier, resources, token, op, monkeypatch) for op in OPERATIONS}

    assert {op for op, status in results.items() if allowed(status)} == ADMIN_OPERATIONS


def test_end_user_through_the_operator_client_is_refused_by_the_handler(
    pool, verifier, resources, monkeypatch, aws_credentials
):
    _, setup, cognito = pool
    # GIVEN an ordinary user who got hold of the operator client's secret and signed in through it
    setup.end_user_token(cognito, "eve", None)
    client = setup.operator_client()
    from localapi.signin import sign_in_with_pkce

    token = sign_in_with_pkce(cognito, setup.pool_id, client, "eve", LOCAL_PASSWORD)["AccessToken"]
    assert "api/accounts.admin" in jwt.decode(token, options={"verify_signature": False})["scope"]

    # THEN the gateway lets the scope through but the handler checks the group: 403
    assert {op: outcome(verifier, resources, token, op, monkeypatch) for op in ADMIN_OPERATIONS} == dict.fromkeys(
        ADMIN_OPERATIONS, 403
    )


def test_operator_client_needs_its_secret(pool):
    _, setup, cognito = pool
    from localapi.signin import ManagedLogin, code_challenge

    login = ManagedLogin(cognito, setup.pool_id)
    client = setup.operator_client()
    setup.operator_token(cognito, "olga")
    code = login.authorize(client, "olga", LOCAL_PASSWORD, code_challenge("v" * 43))
    with pytest.raises(SignInError, match="invalid_client"):
        login.token(client, code, "v" * 43, client_secret=None)


def test_code_is_bound_to_the_pkce_verifier_and_single_use(pool):
    _, setup, cognito = pool
    from localapi.signin import ManagedLogin, code_challenge

    login = ManagedLogin(cognito, setup.pool_id)
    app = setup.app_client()
    code = login.authorize(app, setup.username, setup.password, code_challenge("right" * 10))
    with pytest.raises(SignInError, match="invalid_grant"):
        login.token(app, code, "wrong" * 10)
    code = login.authorize(app, setup.username, setup.password, code_challenge("right" * 10))
    assert login.token(app, code, "right" * 10)["AccessToken"]
    with pytest.raises(SignInError, match="invalid_grant"):
        login.token(app, code, "right" * 10)
