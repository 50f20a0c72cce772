"""PUT /v1/accounts/me: replace the caller's account if `version` is still current (409 otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import put_account

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("put_my_account")
def handler(request: Request) -> Response:
    """Replace your account."""
    return 200, put_account(aws.dynamodb(), aws.settings().table_name, request.sub, request.body)
