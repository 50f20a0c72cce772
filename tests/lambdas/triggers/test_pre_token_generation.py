"""The pre token generation trigger (V2_0) on the event shapes Cognito sends
(https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html):
tests/events/pre_token_generation.json is AWS's example event (InitiateAuth, TokenGeneration_Authentication)."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest

from lambdas.contract_types import SCOPE_GROUPS, SCOPES
from lambdas.runtime.log import JsonFormatter
from lambdas.triggers import pre_token_generation
from lambdas.triggers.pre_token_generation import API_SESSION_SCOPE, END_USER_SCOPES
from tests.conftest import read_event
from tests.lambdas import aws_calls

APP, OPERATOR = "app-client-id", "operator-client-id"
ADMIN = "api/accounts.admin"
OAUTH_SOURCES = ("TokenGeneration_HostedAuth", "TokenGeneration_RefreshTokens")
API_SOURCES = (
    "TokenGeneration_Authentication",
    "TokenGeneration_NewPasswordChallenge",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
)


@pytest.fixture(autouse=True)
def _clients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_CLIENT_ID", APP)
    monkeypatch.setenv("OPERATOR_CLIENT_ID", OPERATOR)


def event(
    client: str,
    source: str = "TokenGeneration_Authentication",
    scopes: list[str] | None = None,
    groups: list[str] | None = None,
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    sample = read_event("pre_token_generation")
    sample["triggerSource"] = source
    sample["callerContext"]["clientId"] = client
    sample["request"]["scopes"] = [API_SESSION_SCOPE] if scopes is None else scopes
    sample["request"]["groupConfiguration"]["groupsToOverride"] = groups or []
    if metadata is not None:
        sample["request"]["clientMetadata"] = metadata
    return sample


def invoke(sample: dict[str, Any]) -> dict[str, Any]:
    """As Lambda runs it: JSON in, JSON out; the AWS calls it makes are recorded (there must be none)."""
    with aws_calls.recording("triggers.pre_token_generation"):
        result = pre_token_generation.handler(json.loads(json.dumps(sample)), None)
    response: dict[str, Any] = json.loads(json.dumps(result))["response"]["claimsAndScopeOverrideDetails"]
    return response


def access(response: dict[str, Any]) -> tuple[set[str], set[str]]:
    details = response["accessTokenGeneration"]
    return set(details["scopesToAdd"]), set(details["scopesToSuppress"])


def test_pre_token_generation_scopes_come_from_the_contract() -> None:
    every = {scope for scopes in SCOPES.values() for scope in scopes}
    assert set(END_USER_SCOPES) == every - set(SCOPE_GROUPS)
    assert ADMIN in SCOPE_GROUPS
    assert ADMIN not in END_USER_SCOPES


@pytest.mark.parametrize("source", API_SOURCES)
def test_pre_token_generation_adds_every_end_user_scope_to_an_app_api_session(source: str) -> None:
    added, suppressed = access(invoke(event(APP, source)))
    assert added == set(END_USER_SCOPES)
    assert suppressed == set(SCOPE_GROUPS)


@pytest.mark.parametrize("source", OAUTH_SOURCES)
def test_pre_token_generation_adds_nothing_to_what_managed_login_granted(source: str) -> None:
    # GIVEN a managed-login session that asked for one scope (Cognito granted it from the client's list)
    added, suppressed = access(invoke(event(APP, source, scopes=["openid", "api/items.read"])))
    assert added == set()
    assert suppressed == set(SCOPE_GROUPS)


def test_pre_token_generation_never_gives_the_operator_scope_on_the_app_client() -> None:
    # GIVEN a member of the operators group signing in through the mobile app, asking in every way it can
    sample = event(APP, groups=["operators"], metadata={"scope": ADMIN, "scopes": ADMIN})
    added, suppressed = access(invoke(sample))
    assert ADMIN not in added
    assert ADMIN in suppressed


def test_pre_token_generation_suppresses_the_operator_scope_managed_login_granted_outside_the_group() -> None:
    # GIVEN an ordinary user who signed in through the operator client (with its secret) and got the scope
    added, suppressed = access(invoke(event(OPERATOR, "TokenGeneration_HostedAuth", scopes=["openid", ADMIN])))
    assert added == set()
    assert ADMIN in suppressed


def test_pre_token_generation_gives_an_operator_the_group_scope_on_the_operator_client() -> None:
    added, suppressed = access(invoke(event(OPERATOR, groups=["operators"])))
    assert added == {ADMIN}
    assert ADMIN not in suppressed


def test_pre_token_generation_keeps_an_operators_managed_login_scope() -> None:
    added, suppressed = access(invoke(event(OPERATOR, "TokenGeneration_HostedAuth", ["openid", ADMIN], ["operators"])))
    assert added == set()
    assert ADMIN not in suppressed


def test_pre_token_generation_gives_an_ordinary_user_nothing_on_the_operator_client() -> None:
    added, suppressed = access(invoke(event(OPERATOR, groups=["users"])))
    assert added == set()
    assert suppressed == set(SCOPE_GROUPS)


@pytest.mark.parametrize("client", ["another-client", ""])
def test_pre_token_generation_adds_nothing_for_another_client(client: str) -> None:
    added, suppressed = access(invoke(event(client, groups=["operators"])))
    assert added == set()
    assert suppressed == set(SCOPE_GROUPS)


@pytest.mark.parametrize("groups", [[], ["operators"], ["operators", "users"]])
def test_pre_token_generation_hands_the_groups_back_unchanged(groups: list[str]) -> None:
    # An empty or null groupOverrideDetails would drop cognito:groups, which the admin handler checks.
    assert invoke(event(OPERATOR, groups=groups))["groupOverrideDetails"] == {
        "groupsToOverride": groups,
        "iamRolesToOverride": [],
        "preferredRole": None,
    }


def test_pre_token_generation_reads_the_sample_event_as_aws_documents_it() -> None:
    # GIVEN AWS's example event unchanged (its client is neither of ours)
    response = invoke(read_event("pre_token_generation"))
    assert access(response) == (set(), set(SCOPE_GROUPS))


def test_pre_token_generation_logs_its_decision_as_one_json_line() -> None:
    logger = logging.getLogger("lambdas.triggers.pre_token_generation")
    (handler,) = [h for h in logger.handlers if isinstance(h.formatter, JsonFormatter)]
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(io.StringIO())
    try:
        invoke(event(APP))
        written = handler.stream.getvalue()
    finally:
        handler.setStream(previous)
    (line,) = [json.loads(text) for text in written.splitlines()]
    assert line["message"] == "scopes decided"
    assert line["user"] == "JaneDoe"
    assert line["decision"]["client"] == "app"
    assert line["decision"]["session"] == "api"
    assert line["decision"]["scopesToAdd"] == list(END_USER_SCOPES)


def test_pre_token_generation_without_the_app_client_id_fails_the_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_CLIENT_ID")
    with pytest.raises(RuntimeError, match="APP_CLIENT_ID is not set"):
        pre_token_generation.handler(event(APP), None)


@pytest.mark.parametrize("broken", [{}, {"request": None}, {"request": {"scopes": "x", "groupConfiguration": []}}])
def test_pre_token_generation_treats_missing_fields_as_empty(broken: dict[str, Any]) -> None:
    result = pre_token_generation.handler({"callerContext": {"clientId": APP}, **broken}, None)
    details = result["response"]["claimsAndScopeOverrideDetails"]
    assert details["accessTokenGeneration"]["scopesToAdd"] == []
    assert details["groupOverrideDetails"]["groupsToOverride"] == []
