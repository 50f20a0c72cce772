"""The API: one declaration per operation. Adding an endpoint = one entry here + one handler."""

from typing import Final

from contract.models.accounts import Account, AccountPath, AccountUpdate, ConsistencyAnswer, ConsistencyHeaders
from contract.models.health import Health
from contract.models.hits import HitCount
from contract.models.items import RETRY_POLICY, IdempotencyHeaders, Item, ItemCreate, ItemListQuery, ItemPage, ItemPath
from contract.operation import PUBLIC, Access, Operation, Scope, WriteMode

TITLE: Final = "Multi-region API"
VERSION: Final = "3.0.0"
"""Semantic version of the contract. Bump the major version to acknowledge a breaking change."""
DESCRIPTION: Final = (
    "One HTTP API served from several AWS regions at once. Each request is answered by the nearest "
    "healthy region; data is replicated between regions by a DynamoDB global table.\n\n"
    "Authenticate with a Cognito access token (`Authorization: Bearer <token>` or the raw token) "
    "carrying the scopes each operation lists. Every error has the same body: `Error`.\n\n"
    "Consistency: each account has a home region (where its first write was served) and is written there, so a "
    "stale `version` gets 409 and an acknowledged write is never lost, whichever region serves; it is read in the "
    "serving region, and the `Consistency-Token` of a response, sent back, gets a read at least that new. While "
    "an account's home region is down its writes get 503 with `Retry-After`; every other account, and every "
    "read, is served as usual. " + RETRY_POLICY
)
LICENSE: Final = {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"}
CONTACT: Final = {"name": "multiregion-api-kit maintainers", "url": "https://github.com/multiregion-api-kit"}
SERVERS: Final = [
    {
        "url": "https://{domain}",
        "description": "The deployed API: the custom domain (Terraform `domain_name`), latency-routed to the "
        "nearest healthy region.",
        "variables": {"domain": {"default": "api.example.com", "description": "Your `domain_name`."}},
    },
    {"url": "http://127.0.0.1:8080", "description": "The local API on this machine (`make serve`)."},
]
TAGS: Final = {
    "accounts": "The signed-in caller's account (and, for operators, anyone's).",
    "health": "Health of the serving region, for people and monitors.",
    "hits": "Hit counters per source IP.",
    "items": "Items: create, list (paginated), read.",
}
"""Description of each tag of the public document; every tag an operation uses needs one."""
RESOURCE_SERVER: Final = "api"
"""Identifier of the Cognito resource server; scopes travel as `api/<scope>`."""

ACCOUNTS_READ: Final = Scope("accounts.read", "Read your own account.")
ACCOUNTS_WRITE: Final = Scope("accounts.write", "Change your own account.")
OPERATORS: Final = "operators"
"""Cognito group of the operators: members only, added by an administrator (never by sign-up)."""
ACCOUNTS_ADMIN: Final = Scope("accounts.admin", "Read any account (operators).", group=OPERATORS)
ITEMS_READ: Final = Scope("items.read", "Read items.")
ITEMS_WRITE: Final = Scope("items.write", "Create items.")
HITS_WRITE: Final = Scope("hits.write", "Record hits.")


ROUTES: Final[tuple[Operation, ...]] = (
    Operation(
        method="GET",
        path="/health",
        operation_id="get_health",
        summary="Health of the serving region",
        description="Checks this region's table and secret with a short timeout; 503 names what fails. For people "
        "and monitors: Route 53 does not route on it (it is public and throttled); each region's failover canary runs "
        "the same checks.",
        tags=("health",),
        responses={200: Health, 503: Health},
        scopes=PUBLIC,
        access=frozenset({Access.TABLE_DESCRIBE, Access.TABLE_GET_ITEM, Access.SECRET_GET_VALUE}),
    ),
    Operation(
        method="GET",
        path="/v1/accounts/me",
        operation_id="get_my_account",
        summary="Read your account",
        description="The caller's account; version 0 and defaults before the first write. Read from the serving "
        "region's replica, so at most the replication lag behind; the response's `Consistency-Token` header, sent "
        "back, gets an answer at least that new (from the account's home region when this replica has not caught "
        "up: 503 with `Retry-After` if that one is unavailable then).",
        tags=("accounts",),
        header_params=ConsistencyHeaders,
        response_headers={200: ConsistencyAnswer},
        responses={200: Account},
        errors=(503,),
        scopes=(ACCOUNTS_READ,),
        access=frozenset({Access.TABLE_GET_ITEM}),
        write_mode=WriteMode.YOUR_REGION,
    ),
    Operation(
        method="PUT",
        path="/v1/accounts/me",
        operation_id="put_my_account",
        summary="Replace your account",
        description="Optimistic concurrency: send the version you read. A stale version gets 409 and "
        "nothing is written, in every region: the write is a conditional write in the account's home region's "
        "replica (the region that served its first write; on a strongly consistent table, the serving region's). "
        "While that replica is unavailable: 503 with `Retry-After`; retry the same body: a retry that meets its "
        "own earlier attempt (same body, same version) answers 200 with the account it made.",
        tags=("accounts",),
        header_params=ConsistencyHeaders,
        response_headers={200: ConsistencyAnswer},
        request=AccountUpdate,
        responses={200: Account},
        errors=(409, 503),
        scopes=(ACCOUNTS_WRITE,),
        access=frozenset({Access.TABLE_GET_ITEM, Access.TABLE_PUT_ITEM}),
        write_mode=WriteMode.YOUR_REGION,
    ),
    Operation(
        method="GET",
        path="/v1/accounts/{accountId}",
        operation_id="get_account",
        summary="Read any account",
        description="Operators only.",
        tags=("accounts",),
        path_params=AccountPath,
        responses={200: Account},
        errors=(404,),
        scopes=(ACCOUNTS_ADMIN,),
        access=frozenset({Access.TABLE_GET_ITEM}),
    ),
    Operation(
        method="POST",
        path="/v1/items",
        operation_id="create_item",
        summary="Create an item",
        description="Records the region that served the request. Without `Idempotency-Key` the item is written "
        "in the serving region (a new key never conflicts); with it, the key's record and the item are written "
        "in the caller's home region (one transaction; on a strongly consistent table, the record first, then the "
        "item, in the serving region), so a retry anywhere returns the first item and creates nothing (503 with "
        "`Retry-After` while that replica is unavailable). A 201 item is readable at once in the region that "
        "answered it.",
        tags=("items",),
        request=ItemCreate,
        header_params=IdempotencyHeaders,
        responses={201: Item},
        errors=(409, 503),
        scopes=(ITEMS_WRITE,),
        access=frozenset({Access.TABLE_PUT_ITEM, Access.TABLE_GET_ITEM}),
        write_mode=WriteMode.ANY_REGION,
        idempotent_create=True,
    ),
    Operation(
        method="GET",
        path="/v1/items",
        operation_id="list_items",
        summary="List your items",
        description="Newest first, paginated with an opaque, signed cursor. A forged cursor gets 400.",
        tags=("items",),
        query_params=ItemListQuery,
        responses={200: ItemPage},
        scopes=(ITEMS_READ,),
        access=frozenset({Access.TABLE_QUERY, Access.SECRET_GET_VALUE}),
    ),
    Operation(
        method="GET",
        path="/v1/items/{itemId}",
        operation_id="get_item",
        summary="Read an item",
        description="One of your items.",
        tags=("items",),
        path_params=ItemPath,
        responses={200: Item},
        errors=(404,),
        scopes=(ITEMS_READ,),
        access=frozenset({Access.TABLE_GET_ITEM}),
    ),
    Operation(
        method="POST",
        path="/v1/hits",
        operation_id="record_hit",
        summary="Record a hit from your IP",
        description="Counts per caller IP. Each region keeps its own counter and reads sum them, so hits "
        "recorded concurrently in several regions are never lost to last-writer-wins replication.",
        tags=("hits",),
        responses={200: HitCount},
        scopes=(HITS_WRITE,),
        access=frozenset({Access.TABLE_UPDATE_ITEM, Access.TABLE_QUERY}),
        write_mode=WriteMode.ANY_REGION,
    ),
)
