"""GET /v1/accounts/me: the caller's account (version 0 with defaults before the first write)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import get_account

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_my_account")
def handler(request: Request) -> Response:
    """Read your account."""
    return 200, get_account(aws.dynamodb(), aws.settings().table_name, request.sub, default=True)
