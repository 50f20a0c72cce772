"""Structured logs: JSON lines with request id, region and operation; never the secret, never internals
in the response."""

import io
import json

import pytest

from lambdas.runtime.log import get_logger

CURSOR_KEY = "test-cursor-key-0123456789abcdef"  # the value tests/conftest.py stores in the secret


@pytest.fixture
def log_lines():
    """What the handlers log during the test, one dict per line."""
    handler = get_logger().handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


def test_logging_unexpected_error_is_one_json_line_with_context(api, stack, log_lines):
    stack.dynamodb.delete_table(TableName=stack.table_name)

    result = api.call("get_item", path={"itemId": "0" * 32})

    [line] = log_lines()
    assert result.status == 500
    assert line["level"] == "ERROR"
    assert line["requestId"] == result.body["requestId"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert line["operation"] == "get_item"
    assert line["region"] == "us-east-1"
    assert "ResourceNotFoundException" in line["exception"]
    assert "ResourceNotFound" not in json.dumps(result.body)
    assert line["timestamp"].endswith("Z")


def test_logging_refusal_is_logged_at_info_with_the_field(api, stack, log_lines):
    api.call("get_item", path={"itemId": "nope"})

    [line] = log_lines()
    assert (line["level"], line["status"], line["field"]) == ("INFO", 400, "path.itemId")


def test_logging_success_logs_nothing(api, stack, log_lines):
    api.call("get_my_account")

    assert log_lines() == []


def test_logging_never_contains_the_secret(api, stack, log_lines):
    api.call("create_item", body={"name": "a"})
    api.call("create_item", body={"name": "b"})
    cursor = api.call("list_items", query={"limit": "1"}).body["nextCursor"]
    api.call("list_items", query={"cursor": cursor[:-2] + "AA"})
    stack.dynamodb.delete_table(TableName=stack.table_name)
    api.call("list_items", query={"cursor": cursor})

    text = json.dumps(log_lines())
    assert text  # something was logged
    assert CURSOR_KEY not in text


def test_logging_level_comes_from_log_level(monkeypatch):
    import logging

    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    logger = get_logger("lambdas.test_level")

    assert logger.level == logging.WARNING
    assert logger.propagate is False
