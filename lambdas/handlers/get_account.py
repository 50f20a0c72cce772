"""GET /v1/accounts/{accountId}: any account, for operators holding the admin scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import get_account

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_account")
def handler(request: Request) -> Response:
    """Read any account (404 before its first write)."""
    return 200, get_account(aws.dynamodb(), aws.settings().table_name, request.path["accountId"], default=False)
