"""Records the AWS actions each handler calls while the handler tests run (Api.call), per operation.

Recorded at lambdas/awsclient.py's `Client.call`, which every client the handlers use goes through (the table's,
the secret's, the health checks', and `aws.client(service)` for the team's own resources: contract/calls.py): each
call is the IAM action `<service>:<Operation>` (awsclient's service names are the IAM prefixes: dynamodb,
secretsmanager, events), whatever the service. Test set-up outside a handler call is not recorded.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lambdas.awsclient import Client

if TYPE_CHECKING:
    from collections.abc import Iterator

OUT_ENV = "AWS_CALLS_OUT"
"""When set, the session writes {operation_id: [actions]} to this file at its end."""
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


def actions(service: str, operation: str, params: dict[str, Any]) -> set[str]:
    """The IAM actions one call needs. A DynamoDB transaction needs those of the actions it contains,
    not an action of its own (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html)."""
    if service == "dynamodb" and operation == "TransactWriteItems":
        return {f"dynamodb:{TRANSACT_WRITE[kind]}" for item in params["TransactItems"] for kind in item}
    if service == "dynamodb" and operation == "TransactGetItems":
        return {"dynamodb:GetItem"}
    return {f"{service}:{operation}"}


@contextlib.contextmanager
def recording(operation_id: str) -> Iterator[None]:
    """Record every AWS call made through lambdas.awsclient while the block runs, under `operation_id`."""
    calls = CALLS.setdefault(operation_id, set())
    original = Client.call

    def call(self: Client, operation: str, **params: Any) -> dict[str, Any]:
        calls.update(actions(self.service, operation, params))
        return original(self, operation, **params)

    Client.call = call  # type: ignore[method-assign]
    try:
        yield
    finally:
        Client.call = original  # type: ignore[method-assign]


def dump() -> None:
    """Write the recorded calls where AWS_CALLS_OUT says, if it says."""
    out = os.environ.get(OUT_ENV)
    if out:
        Path(out).write_text(json.dumps({op: sorted(calls) for op, calls in sorted(CALLS.items())}, indent=2))
