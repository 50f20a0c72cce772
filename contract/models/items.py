"""Items: created in whichever region serves the request, listed with an opaque cursor."""

from datetime import datetime

from pydantic import Field

from contract.models.base import ApiModel, Parameters, RequestModel
from contract.retry import RETRY

ITEM_ID_PATTERN = r"^[0-9a-f]{32}$"


class ItemCreate(RequestModel):
    """A new item."""

    name: str = Field(min_length=1, max_length=100, description="What the item is called.", examples=["Coffee"])
    quantity: int = Field(default=1, ge=1, le=1000, description="How many.", examples=[2])
    note: str | None = Field(default=None, max_length=500, description="Free text.", examples=["oat milk"])


class Item(ApiModel):
    """An item as stored."""

    item_id: str = Field(description="Server-assigned id.", examples=["3f2b8c1d9e7a4b5c8d6e0f1a2b3c4d5e"])
    name: str = Field(description="What the item is called.", examples=["Coffee"])
    quantity: int = Field(description="How many.", examples=[2])
    note: str | None = Field(default=None, description="Free text.", examples=["oat milk"])
    region: str = Field(description="The region that created the item.", examples=["us-east-1"])
    created_at: datetime = Field(description="When the item was created (UTC).")


class ItemPage(ApiModel):
    """One page of items, newest first."""

    items: list[Item] = Field(description="The items of this page.")
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; absent on the last page."
    )


class ItemPath(Parameters):
    """Path parameters of GET /v1/items/{itemId}."""

    itemId: str = Field(pattern=ITEM_ID_PATTERN, description="The item to read.")


class ItemListQuery(Parameters):
    """Query parameters of GET /v1/items."""

    limit: int = Field(default=20, ge=1, le=100, description="Page size.")
    cursor: str | None = Field(default=None, max_length=1024, description="`nextCursor` of the previous page.")


RETRY_POLICY = RETRY.text
"""The retry policy in words (contract/retry.py RETRY, its one declaration), for the descriptions."""


class IdempotencyHeaders(Parameters):
    """Headers of POST /v1/items."""

    idempotency_key: str | None = Field(
        default=None,
        alias="Idempotency-Key",
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="A client-chosen unique key (a UUID) per create. A retry with the same key and body returns "
        "the first response (same item, same status) and creates nothing, in whichever region it lands; the same "
        "key with a different body gets 409. Keys are kept at least 24 hours. " + RETRY_POLICY,
    )
