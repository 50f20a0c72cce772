"""PUT /v1/accounts/me: replace the caller's account if `version` is still current (409 otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import put_account
from lambdas.services.freshness import CONSISTENCY_TOKEN
from lambdas.services.home import (
    Replicas,
    caller_partition,
    claim_home,
    home_region,
    retry_conflicts,
)

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("put_my_account")
def handler(request: Request) -> Response:
    """Replace your account."""
    config, sub = aws.settings(), request.sub
    replicas = Replicas(config.region, config.home_region, config.strong, aws.dynamodb_in, aws.homes)
    home = claim_home(replicas, config.table_name, caller_partition(sub))  # its first write's region (STRONG: here)
    recorded = None if config.strong else home
    with home_region(replicas, home):  # a conditional write in the account's home replica
        account = retry_conflicts(
            lambda: put_account(replicas.client(home), config.table_name, sub, request.body, home=recorded)
        )
    return 200, account, {CONSISTENCY_TOKEN: str(account["version"])}
