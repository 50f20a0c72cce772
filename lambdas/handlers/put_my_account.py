"""PUT /v1/accounts/me: replace the caller's account if `version` is still current (409 otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import put_account
from lambdas.services.home import home_region

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("put_my_account")
def handler(request: Request) -> Response:
    """Replace your account."""
    config = aws.settings()
    with home_region(config.home_region):  # conditional write in the home replica (WriteMode.HOME_REGION)
        return 200, put_account(aws.home_dynamodb(), config.table_name, request.sub, request.body)
