"""Each sign-in flow, as Cognito runs it (localapi/cognitoidp/signin.py, localapi/cognitoidp/pretoken.py), against
every operation of the manifest through the local gateway (its Cognito authorizer, then the real handler): the token
works on the operations it should and is refused (401 at the gateway, 403 in the handler) on the others.

Two pools, as two deployments: `essentials`, with the pre token generation trigger of the kit (V2_0; the app clients
also allow USER_PASSWORD_AUTH here, the opt-in), and `lite`, without a trigger and with Terraform's default flows,
where InitiateAuth tokens keep `aws.cognito.signin.user.admin` only, which breaks every client. Tokens come from moto's
Cognito in server mode; the handlers run in-process against the same moto server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jwt
import pytest

from localapi.apigateway import document
from localapi.apigateway.events import IncomingRequest
from localapi.apigateway.gateway import Gateway
from localapi.backends.stack import MotoStack
from localapi.cognitoidp.authorizer import TokenIssuer, Verifier
from localapi.cognitoidp.signin import (
    INITIATE_AUTH_SCOPE,
    LOCAL_PASSWORD,
    SignInError,
    UserPool,
    code_challenge,
    ensure_operator,
)
from tests.conftest import create_secret, create_table, kit_environment, read_event

if TYPE_CHECKING:
    from collections.abc import Iterator

ROUTES = json.loads((Path(__file__).parents[2] / "api" / "routes.json").read_text())
OPERATIONS = {op: spec for op, spec in ROUTES["operations"].items() if not spec["public"]}
ADMIN_SCOPE = "api/accounts.admin"
ADMIN_OPERATIONS = {op for op, spec in OPERATIONS.items() if ADMIN_SCOPE in spec["scopes"]}
END_USER_OPERATIONS = set(OPERATIONS) - ADMIN_OPERATIONS
TRIGGER = ROUTES["triggers"]["pre_token_generation"]["handler"]


class Pool:
    """One deployment's user pool, its emulated sign-in flows and its region's gateway."""

    def __init__(self, stack: MotoStack, setup: TokenIssuer) -> None:
        self.setup = setup
        self.cognito = stack.client("cognito-idp", setup.region)
        self.flows = setup.user_pool(self.cognito)
        self.gateway = Gateway(document.load(), Verifier(setup.jwks_url, setup.issuer), setup.region)

    def end_user(self, username: str) -> str:
        """A new ordinary user, registered as the app registers one (sign-up, confirmed)."""
        self.setup.end_user_token(self.cognito, username, None, "code")
        return username

    def operator(self, username: str) -> str:
        for group in self.setup.groups:
            ensure_operator(self.cognito, self.setup.pool_id, username, LOCAL_PASSWORD, group)
        return username

    def sign_in(self, client: str, username: str, flow: str, scopes: list[str] | None = None) -> dict[str, Any]:
        app = self.setup.app_client() if client == "app" else self.setup.operator_client()
        return self.setup.sign_in(self.cognito, app, username, LOCAL_PASSWORD, flow, scopes, self.flows)

    def refresh(self, client: str, tokens: dict[str, Any]) -> dict[str, Any]:
        app = self.setup.app_client() if client == "app" else self.setup.operator_client()
        return self.flows.refresh(app, tokens["RefreshToken"], app.secret)

    def status(self, token: str, operation_id: str) -> int:
        """The status the operation's sample request gets with `token` through the gateway."""
        sample = read_event(operation_id)
        headers = [(k, v) for k, v in sample["headers"].items() if k.lower() not in ("authorization", "host")]
        query = [(k, v) for k, v in (sample.get("queryStringParameters") or {}).items()]
        body = (sample.get("body") or "").encode()
        request = IncomingRequest(
            sample["httpMethod"],
            sample["path"],
            query,
            [("Host", "127.0.0.1"), ("Authorization", f"Bearer {token}"), *headers],
            body,
            "203.0.113.7",
        )
        return self.gateway.handle(request).status

    def works_on(self, token: str) -> set[str]:
        """The operations `token` may use: neither refused (401, 403) nor failed (5xx)."""
        statuses = {op: self.status(token, op) for op in OPERATIONS}
        assert not [s for s in statuses.values() if s >= 500], statuses
        return {op for op, status in statuses.items() if status not in (401, 403)}


@pytest.fixture(scope="module")
def pools() -> Iterator[dict[str, Pool]]:
    stack = MotoStack().start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            environment = {
                "AWS_ENDPOINT_URL": stack.endpoint,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_REGION": "us-east-1",
                **kit_environment("us-east-1"),
            }
            for name, value in environment.items():
                patch.setenv(name, value)
            create_table("us-east-1")
            create_secret("us-east-1")
            resource_server = ROUTES["resource_server"]
            essentials = stack.seed_cognito("us-east-1", resource_server, TRIGGER, allow_user_password_auth=True)
            lite = stack.seed_cognito("us-east-1", resource_server)
            yield {"essentials": Pool(stack, essentials), "lite": Pool(stack, lite)}
    finally:
        stack.stop()


def scopes_of(tokens: dict[str, Any]) -> set[str]:
    return set(jwt.decode(tokens["AccessToken"], options={"verify_signature": False})["scope"].split())


################################################################################
# The kit's pool (trigger, ESSENTIALS): every flow of the app works where it should
################################################################################


@pytest.mark.parametrize("flow", ["srp", "password", "code"])
def test_new_end_user_works_everywhere_but_the_admin_operation(pools: dict[str, Pool], flow: str) -> None:
    pool = pools["essentials"]
    tokens = pool.sign_in("app", pool.end_user(f"mallory-{flow}"), flow)

    assert ADMIN_SCOPE not in scopes_of(tokens)
    assert pool.works_on(tokens["AccessToken"]) == END_USER_OPERATIONS


@pytest.mark.parametrize("flow", ["srp", "password", "code"])
def test_refreshed_end_user_token_works_everywhere_but_the_admin_operation(pools: dict[str, Pool], flow: str) -> None:
    pool = pools["essentials"]
    refreshed = pool.refresh("app", pool.sign_in("app", pool.end_user(f"rita-{flow}"), flow))

    assert "RefreshToken" not in refreshed
    assert pool.works_on(refreshed["AccessToken"]) == END_USER_OPERATIONS


def test_narrow_managed_login_scopes_stay_narrow_after_refresh(pools: dict[str, Pool]) -> None:
    # GIVEN a code + PKCE session that asked for one scope: the trigger adds nothing, on sign-in or refresh
    pool = pools["essentials"]
    tokens = pool.sign_in("app", pool.end_user("nina"), "code", ["api/items.read"])
    refreshed = pool.refresh("app", tokens)

    assert scopes_of(tokens) == scopes_of(refreshed) == {"api/items.read"}
    assert pool.works_on(refreshed["AccessToken"]) == {"get_item", "list_items"}


@pytest.mark.parametrize("flow", ["srp", "code"])
def test_operator_token_works_only_on_the_admin_operation(pools: dict[str, Pool], flow: str) -> None:
    pool = pools["essentials"]
    tokens = pool.sign_in("operator", pool.operator(f"olga-{flow}"), flow)
    refreshed = pool.refresh("operator", tokens)

    for token in (tokens, refreshed):
        assert jwt.decode(token["AccessToken"], options={"verify_signature": False})["cognito:groups"] == ["operators"]
        assert pool.works_on(token["AccessToken"]) == ADMIN_OPERATIONS


################################################################################
# Escalation: no end user gets the operator scope, by any flow
################################################################################


def test_app_client_refuses_to_grant_the_operator_scope(pools: dict[str, Pool]) -> None:
    pool = pools["essentials"]
    user = pool.end_user("mallory")
    for asked in (["api/accounts.admin"], ["api/items.read", "api/accounts.admin"]):
        with pytest.raises(SignInError, match="invalid_scope"):
            pool.sign_in("app", user, "code", asked)


def test_asking_the_trigger_for_the_operator_scope_gets_nothing(pools: dict[str, Pool]) -> None:
    # GIVEN an end user who puts the operator scope in every ClientMetadata key the trigger could read
    pool = pools["essentials"]
    app = pool.setup.app_client()
    metadata = {"scope": ADMIN_SCOPE, "scopes": ADMIN_SCOPE, "scopesToAdd": ADMIN_SCOPE, "group": "operators"}
    tokens = pool.flows.initiate_auth(app, "USER_SRP_AUTH", pool.end_user("mallet"), LOCAL_PASSWORD, None, metadata)

    assert ADMIN_SCOPE not in scopes_of(tokens)
    assert pool.works_on(tokens["AccessToken"]) == END_USER_OPERATIONS


@pytest.mark.parametrize("flow", ["srp", "password", "code"])
def test_operators_group_member_on_the_app_client_gets_no_operator_scope(pools: dict[str, Pool], flow: str) -> None:
    # GIVEN a member of the operators group signing in through the mobile app (and refreshing there)
    pool = pools["essentials"]
    tokens = pool.sign_in("app", pool.operator(f"oscar-{flow}"), flow)
    refreshed = pool.refresh("app", tokens)

    for token in (tokens, refreshed):
        assert ADMIN_SCOPE not in scopes_of(token)
        assert pool.works_on(token["AccessToken"]) == END_USER_OPERATIONS


@pytest.mark.parametrize("flow", ["srp", "code"])
def test_end_user_holding_the_operator_client_secret_gets_no_operator_scope(pools: dict[str, Pool], flow: str) -> None:
    # GIVEN an ordinary user who got hold of the operator client's secret; managed login grants the scope
    # from the client's list, and the trigger suppresses it outside the group
    pool = pools["essentials"]
    tokens = pool.sign_in("operator", pool.end_user(f"eve-{flow}"), flow)

    assert ADMIN_SCOPE not in scopes_of(tokens)
    assert pool.works_on(tokens["AccessToken"]) == set()


def test_without_the_trigger_the_handler_still_refuses_the_scope_outside_the_group(pools: dict[str, Pool]) -> None:
    # GIVEN a pool without the trigger, where the operator client's code flow grants an ordinary user the scope
    pool = pools["lite"]
    tokens = pool.sign_in("operator", pool.end_user("eve"), "code")
    assert ADMIN_SCOPE in scopes_of(tokens)

    # THEN the gateway lets it through and the admin handler refuses it: 403 (cognito:groups)
    assert {pool.status(tokens["AccessToken"], op) for op in ADMIN_OPERATIONS} == {403}


def test_the_admin_operation_refuses_every_end_user_token(pools: dict[str, Pool]) -> None:
    # GIVEN every token an ordinary user (or an operator on the app client) can get: each flow, its refresh,
    # through the app client or with the operator client's secret
    pool = pools["essentials"]
    tokens = []
    for client, flows in (("app", ("srp", "password", "code")), ("operator", ("srp", "code"))):
        for flow in flows:
            for user in (pool.end_user(f"ursula-{client}-{flow}"), pool.operator(f"otto-{flow}")):
                if client == "operator" and user.startswith("otto"):
                    continue  # an operator on the operator client is the one token that may pass
                signed_in = pool.sign_in(client, user, flow)
                tokens += [signed_in["AccessToken"], pool.refresh(client, signed_in)["AccessToken"]]

    # THEN the admin operation refuses each of them
    assert len(tokens) == 16
    assert {pool.status(token, op) for token in tokens for op in ADMIN_OPERATIONS} <= {401, 403}


################################################################################
# A LITE pool (no trigger): InitiateAuth tokens carry no custom scope, as on AWS
################################################################################


@pytest.mark.parametrize("client", ["app", "operator"])
def test_without_the_trigger_initiate_auth_tokens_fail_everywhere(pools: dict[str, Pool], client: str) -> None:
    pool = pools["lite"]
    user = pool.operator("lois") if client == "operator" else pool.end_user("lou")
    tokens = pool.sign_in(client, user, "srp")
    refreshed = pool.refresh(client, tokens)

    for token in (tokens, refreshed):
        assert scopes_of(token) == {INITIATE_AUTH_SCOPE}
        assert pool.works_on(token["AccessToken"]) == set()


def test_without_the_trigger_managed_login_still_grants_the_client_scopes(pools: dict[str, Pool]) -> None:
    pool = pools["lite"]
    tokens = pool.sign_in("app", pool.end_user("lou"), "code")
    assert pool.works_on(tokens["AccessToken"]) == END_USER_OPERATIONS


################################################################################
# What each client allows, and what Cognito checks
################################################################################


def test_a_flow_the_client_does_not_allow_is_refused(pools: dict[str, Pool]) -> None:
    # GIVEN Terraform's default clients (USER_PASSWORD_AUTH is opt-in)
    pool = pools["lite"]
    with pytest.raises(SignInError, match="InvalidParameterException: USER_PASSWORD_AUTH flow not enabled"):
        pool.sign_in("app", pool.end_user("lou"), "password")


def test_initiate_auth_takes_no_scopes(pools: dict[str, Pool]) -> None:
    pool = pools["essentials"]
    with pytest.raises(ValueError, match="takes no scopes"):
        pool.sign_in("app", pool.end_user("nina"), "srp", ["api/items.read"])


def test_operator_client_needs_its_secret(pools: dict[str, Pool]) -> None:
    pool = pools["essentials"]
    client = pool.setup.operator_client()
    user = pool.operator("olga")
    with pytest.raises(SignInError, match="NotAuthorizedException: Unable to verify secret hash"):
        pool.flows.initiate_auth(client, "USER_SRP_AUTH", user, LOCAL_PASSWORD, client_secret=None)
    code = pool.flows.authorize(client, user, LOCAL_PASSWORD, code_challenge("v" * 43))
    with pytest.raises(SignInError, match="invalid_client"):
        pool.flows.token(client, code, "v" * 43, client_secret=None)


def test_wrong_password_is_refused(pools: dict[str, Pool]) -> None:
    pool = pools["essentials"]
    with pytest.raises(SignInError, match="NotAuthorizedException: Incorrect username or password"):
        pool.flows.initiate_auth(pool.setup.app_client(), "USER_SRP_AUTH", pool.end_user("nina"), "wrong-Passw0rd!")


def test_refresh_token_of_another_client_is_refused(pools: dict[str, Pool]) -> None:
    pool = pools["essentials"]
    tokens = pool.sign_in("app", pool.end_user("nina"), "srp")
    operator = pool.setup.operator_client()
    with pytest.raises(SignInError, match="NotAuthorizedException: Invalid Refresh Token"):
        pool.flows.refresh(operator, tokens["RefreshToken"], operator.secret)


def test_code_is_bound_to_the_pkce_verifier_and_single_use(pools: dict[str, Pool]) -> None:
    pool = pools["essentials"]
    login = UserPool(pool.cognito, pool.setup.pool_id, pool.setup.region)
    app, setup = pool.setup.app_client(), pool.setup
    code = login.authorize(app, setup.username, setup.password, code_challenge("right" * 10))
    with pytest.raises(SignInError, match="invalid_grant"):
        login.token(app, code, "wrong" * 10)
    code = login.authorize(app, setup.username, setup.password, code_challenge("right" * 10))
    assert login.token(app, code, "right" * 10)["AccessToken"]
    with pytest.raises(SignInError, match="invalid_grant"):
        login.token(app, code, "right" * 10)
