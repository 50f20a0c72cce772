"""The trigger as Cognito runs it (localapi/cognitoidp/pretoken.py): the event it sends, how it applies the response,
and that a failing or malformed trigger fails the sign-in."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from localapi.cognitoidp import pretoken
from localapi.cognitoidp.pretoken import SignInError, Trigger

HANDLER = json.loads((Path(__file__).parents[2] / "api" / "routes.json").read_text())["triggers"][
    "pre_token_generation"
]["handler"]
SAMPLE = json.loads((Path(__file__).parents[1] / "events" / "pre_token_generation.json").read_text())


def sent(client: str = "app", source: str = "TokenGeneration_Authentication") -> dict[str, Any]:
    return pretoken.event(source, "us-east-1", "us-east-1_EXAMPLE", client, "JaneDoe", {"sub": "s"}, [], ["x"])


def test_event_has_the_shape_of_aws_example() -> None:
    event = sent()
    assert set(event) == set(SAMPLE)
    assert set(event["request"]) == set(SAMPLE["request"])
    assert set(event["request"]["groupConfiguration"]) == set(SAMPLE["request"]["groupConfiguration"])
    assert event["version"] == SAMPLE["version"]


def test_event_refuses_an_unknown_source() -> None:
    with pytest.raises(ValueError, match="not a pre token generation trigger source"):
        sent(source="PreSignUp_SignUp")


def test_apply_adds_then_suppresses_and_suppression_wins() -> None:
    details = {"accessTokenGeneration": {"scopesToAdd": ["b", "c", "a"], "scopesToSuppress": ["c", "z"]}}
    claims = pretoken.apply({"scope": "a x"}, details, access=True)
    assert claims["scope"] == "a x b"


def test_apply_leaves_the_id_token_scopeless_and_groups_unchanged_without_group_override() -> None:
    details = {"accessTokenGeneration": {"scopesToAdd": ["a"]}}
    claims = pretoken.apply({"cognito:groups": ["operators"]}, details, access=False)
    assert claims == {"cognito:groups": ["operators"]}


@pytest.mark.parametrize(("override", "groups"), [(None, None), ({}, None), ({"groupsToOverride": ["g"]}, ["g"])])
def test_apply_group_override_replaces_or_drops_the_groups(override: Any, groups: Any) -> None:
    claims = pretoken.apply({"cognito:groups": ["operators"]}, {"groupOverrideDetails": override}, access=True)
    assert claims.get("cognito:groups") == groups


@pytest.mark.parametrize("scopes", [["two words"], [""], "api/items.read", [1]])
def test_apply_refuses_an_invalid_scope_list(scopes: Any) -> None:
    with pytest.raises(SignInError, match="InvalidLambdaResponseException"):
        pretoken.apply({"scope": ""}, {"accessTokenGeneration": {"scopesToAdd": scopes}}, access=True)


def test_invoke_runs_the_kit_trigger_with_its_environment() -> None:
    trigger = Trigger("arn:aws:lambda:us-east-1:123456789012:function:f", HANDLER, {"APP_CLIENT_ID": "app"})
    event = sent("app")
    event["request"]["scopes"] = ["aws.cognito.signin.user.admin"]
    details = pretoken.invoke(trigger, event)
    assert "api/items.read" in details["accessTokenGeneration"]["scopesToAdd"]


def test_a_failing_trigger_fails_the_sign_in() -> None:
    # GIVEN the kit's trigger deployed without its environment (it refuses to guess the app client)
    trigger = Trigger("arn:aws:lambda:us-east-1:123456789012:function:f", HANDLER, {})
    with pytest.raises(SignInError, match="UserLambdaValidationException: PreTokenGeneration failed with error"):
        pretoken.invoke(trigger, sent())


def test_output_to_takes_the_function_log_lines_off_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a function that logs one line to stdout, as a Lambda function does
    (tmp_path / "talking_trigger.py").write_text(
        'def handler(event, context):\n    print(\'{"message": "scopes decided"}\')\n    return event\n',
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    trigger = Trigger("arn:aws:lambda:us-east-1:123456789012:function:f", "talking_trigger.handler")
    # WHEN it runs with its output sent elsewhere (`python -m localapi token`)
    log = io.StringIO()
    with pretoken.output_to(log):
        pretoken.invoke(trigger, sent())
    # THEN the line is there, and nothing reached stdout or stderr
    assert log.getvalue() == '{"message": "scopes decided"}\n'
    assert capsys.readouterr() == ("", "")


def test_invoke_runs_the_trigger_with_the_served_apis_contract_types() -> None:
    # GIVEN another API's manifest (examples/orders): its trigger's zip holds the orders API's contract_types
    orders = json.loads((Path(__file__).parents[2] / "examples" / "orders" / "api" / "routes.json").read_text())
    entry = orders["triggers"]["pre_token_generation"]
    environment = {"APP_CLIENT_ID": "app"}
    arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    trigger = Trigger(arn, entry["handler"], environment, contract_types=entry["contract_types"])
    event = sent("app")
    event["request"]["scopes"] = ["aws.cognito.signin.user.admin"]
    # WHEN Cognito runs it for an API sign-in
    added = pretoken.invoke(trigger, event)["accessTokenGeneration"]["scopesToAdd"]
    # THEN it adds that API's end-user scopes, not the kit's, and the kit's own trigger is unchanged for later imports
    server = orders["resource_server"]
    assert added == sorted(sent_as for name, sent_as in server["sent_as"].items() if name not in server["scope_groups"])
    kit = Trigger(arn, HANDLER, environment)
    assert "api/items.read" in pretoken.invoke(kit, event)["accessTokenGeneration"]["scopesToAdd"]
