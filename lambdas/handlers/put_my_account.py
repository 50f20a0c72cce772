"""PUT /v1/accounts/me: replace the caller's account if `version` is still current (409 otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import put_account
from lambdas.services.home import home_region, retry_conflicts

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("put_my_account")
def handler(request: Request) -> Response:
    """Replace your account."""
    config = aws.settings()
    with home_region(config.data_region):  # conditional write in the home replica (STRONG: this region's)
        return 200, retry_conflicts(
            lambda: put_account(aws.home_dynamodb(), config.table_name, request.sub, request.body)
        )
