"""lambdas.runtime.events: what a handler gets out of an API Gateway REST proxy event."""

from lambdas.runtime.events import caller_of, request_id_of


def test_events_caller_from_cognito_claims(load_event):
    caller = caller_of(load_event("list_items"))

    assert caller.sub == "7d1c0f1e-8f3a-4c2b-9e1d-0a1b2c3d4e5f"
    assert caller.scopes == frozenset({"api/items.read"})


def test_events_no_authorizer_means_no_caller(load_event):
    assert caller_of(load_event("get_health")) is None


def test_events_empty_sub_means_no_caller(load_event):
    event = load_event("list_items")
    event["requestContext"]["authorizer"]["claims"]["sub"] = ""

    assert caller_of(event) is None


def test_events_missing_scope_claim_means_no_scopes(load_event):
    event = load_event("list_items")
    del event["requestContext"]["authorizer"]["claims"]["scope"]

    assert caller_of(event).scopes == frozenset()


def test_events_request_id_is_the_gateways(load_event):
    assert request_id_of(load_event("get_health"), None) == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def test_events_request_id_falls_back_to_the_lambda_request_id():
    class Context:
        aws_request_id = "lambda-id"

    assert request_id_of({}, Context()) == "lambda-id"
