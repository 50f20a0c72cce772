"""GET /v1/items: the caller's items, newest first, with a signed cursor (a forged cursor gets 400).

Cursors are signed with the current key and accepted with the previous one too (AWSPREVIOUS), so a
rotation breaks no open cursor. A cursor no cached key accepts may come from a container that has
read a newer key: the keys are then re-read (at most every _REFRESH_SECONDS) and tried again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.errors import BadRequestError
from lambdas.runtime.operation import operation
from lambdas.services.items import list_items

if TYPE_CHECKING:
    from lambdas.contract_types import ItemPage
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


_FIELD = "cursor_hmac_key"
_REFRESH_SECONDS = 10.0
"""Keys at least this old are re-read when none accepts a cursor (another container may hold a newer one)."""


@operation("list_items")
def handler(request: Request) -> Response:
    """List your items."""
    cursor = request.query.get("cursor")
    keys = _cursor_keys()
    try:
        return 200, _page(request, cursor, keys)
    except BadRequestError:
        fresh = _cursor_keys(max_age=_REFRESH_SECONDS)
        if cursor is None or fresh == keys:
            raise
        return 200, _page(request, cursor, fresh)


def _cursor_keys(max_age: float | None = None) -> tuple[bytes, ...]:
    """The current key, then the previous one (AWSPREVIOUS) when there is one and it differs."""
    secret_id = aws.settings().secret_id
    current = aws.secrets.get(aws.secretsmanager(), secret_id, aws.CURRENT, max_age)
    if _FIELD not in current:
        raise aws.ConfigurationError(f"secret {secret_id} has no field {_FIELD}")
    previous = aws.secrets.get(aws.secretsmanager(), secret_id, "AWSPREVIOUS", max_age).get(_FIELD)
    keys = [current[_FIELD]] if previous in (None, current[_FIELD]) else [current[_FIELD], previous]
    return tuple(str(key).encode() for key in keys)


def _page(request: Request, cursor: str | None, keys: tuple[bytes, ...]) -> ItemPage:
    return list_items(aws.dynamodb(), aws.settings().table_name, request.sub, request.query["limit"], cursor, keys)
