"""Records the AWS actions each handler calls while the handler tests run (Api.call), per operation.

Recorded at lambdas.aws's interface (`aws.dynamodb()`, `aws.secretsmanager()`, the health clients):
every method called on a client they return is one IAM action (`get_item` -> `dynamodb:GetItem`),
whatever implements the client (botocore today, possibly a stdlib client later). Test set-up that
uses the same clients outside a handler call is not recorded.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lambdas import aws

if TYPE_CHECKING:
    from collections.abc import Iterator

OUT_ENV = "AWS_CALLS_OUT"
"""When set, the session writes {operation_id: [actions]} to this file at its end."""
GETTERS = {
    "dynamodb": "dynamodb",
    "dynamodb_in": "dynamodb",
    "secretsmanager": "secretsmanager",
    "health_dynamodb": "dynamodb",
    "health_secretsmanager": "secretsmanager",
}
CALLS: dict[str, set[str]] = {}


def action(service: str, method: str) -> str:
    """The IAM action of a botocore-style client method: dynamodb + put_item -> dynamodb:PutItem."""
    return f"{service}:{''.join(part.capitalize() for part in method.split('_'))}"


TRANSACT_WRITE = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


def actions(service: str, method: str, kwargs: dict[str, Any]) -> set[str]:
    """The IAM actions one call needs. A DynamoDB transaction needs those of the actions it contains,
    not an action of its own (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html)."""
    if service == "dynamodb" and method == "transact_write_items":
        return {f"dynamodb:{TRANSACT_WRITE[kind]}" for item in kwargs["TransactItems"] for kind in item}
    if service == "dynamodb" and method == "transact_get_items":
        return {"dynamodb:GetItem"}
    return {action(service, method)}


class _Recording:
    def __init__(self, client: Any, service: str, calls: set[str]) -> None:
        self._client, self._service, self._calls = client, service, calls

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._client, name)
        if name.startswith("_") or not callable(value) or name in ("can_paginate", "close"):
            return value
        if name in ("get_paginator", "get_waiter"):
            raise AssertionError(f"{name} is not recorded: call the API operations directly")

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.update(actions(self._service, name, kwargs))
            return value(*args, **kwargs)

        return call


@contextlib.contextmanager
def recording(operation_id: str) -> Iterator[None]:
    """Record every client call made through lambdas.aws while the block runs, under `operation_id`."""
    calls = CALLS.setdefault(operation_id, set())
    originals = {name: getattr(aws, name) for name in GETTERS}

    def wrap(name: str) -> Any:
        return lambda *args: _Recording(originals[name](*args), GETTERS[name], calls)

    for name in GETTERS:
        setattr(aws, name, wrap(name))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(aws, name, original)


def dump() -> None:
    """Write the recorded calls where AWS_CALLS_OUT says, if it says."""
    out = os.environ.get(OUT_ENV)
    if out:
        Path(out).write_text(json.dumps({op: sorted(calls) for op, calls in sorted(CALLS.items())}, indent=2))
