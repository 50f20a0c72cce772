"""GET /v1/accounts/me: the caller's account from the home region (version 0 with defaults before the first write)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import get_account
from lambdas.services.home import home_region

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_my_account")
def handler(request: Request) -> Response:
    """Read your account."""
    config = aws.settings()
    with home_region(config.data_region):  # read where it is written: read-your-writes in every region
        return 200, get_account(aws.home_dynamodb(), config.table_name, request.sub, default=True)
