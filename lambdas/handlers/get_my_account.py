"""GET /v1/accounts/me: the caller's account from the serving region's replica, at least as new as its token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import get_account
from lambdas.services.freshness import CONSISTENCY_TOKEN, read_at_least
from lambdas.services.home import Replicas, caller_partition

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from lambdas.contract_types import Account
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_my_account")
def handler(request: Request) -> Response:
    """Read your account."""
    config, sub = aws.settings(), request.sub
    replicas = Replicas(config.region, config.home_region, config.strong, aws.dynamodb_in, aws.homes)

    def read(client: DynamoDBClient, consistent: bool) -> Account:
        return get_account(client, config.table_name, sub, default=True, consistent=consistent)

    token = request.headers.get(CONSISTENCY_TOKEN)
    account = read_at_least(replicas, config.table_name, caller_partition(sub), read, lambda a: a["version"], token)
    return 200, account, {CONSISTENCY_TOKEN: str(account["version"])}
