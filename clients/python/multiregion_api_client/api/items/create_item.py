from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.item import Item
from ...models.item_create import ItemCreate
from ...models.request_too_large import RequestTooLarge
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ItemCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/items",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Item | RequestTooLarge | None:
    if response.status_code == 201:
        response_201 = Item.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = RequestTooLarge.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | Item | RequestTooLarge]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ItemCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | Item | RequestTooLarge]:
    """Create an item

     Records the region that served the request. Without `Idempotency-Key` the item is written in the
    serving region (a new key never conflicts); with it, the key's record and the item are written in
    the caller's home region (one transaction; on a strongly consistent table, the record first, then
    the item, in the serving region), so a retry anywhere returns the first item and creates nothing
    (503 with `Retry-After` while that replica is unavailable). A 201 item is readable at once in the
    region that answered it.

    Requires scope `api/items.write`.

    Args:
        idempotency_key (str | Unset):
        body (ItemCreate): A new item.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Item | RequestTooLarge]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ItemCreate,
    idempotency_key: str | Unset = UNSET,
) -> Error | Item | RequestTooLarge | None:
    """Create an item

     Records the region that served the request. Without `Idempotency-Key` the item is written in the
    serving region (a new key never conflicts); with it, the key's record and the item are written in
    the caller's home region (one transaction; on a strongly consistent table, the record first, then
    the item, in the serving region), so a retry anywhere returns the first item and creates nothing
    (503 with `Retry-After` while that replica is unavailable). A 201 item is readable at once in the
    region that answered it.

    Requires scope `api/items.write`.

    Args:
        idempotency_key (str | Unset):
        body (ItemCreate): A new item.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Item | RequestTooLarge
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ItemCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | Item | RequestTooLarge]:
    """Create an item

     Records the region that served the request. Without `Idempotency-Key` the item is written in the
    serving region (a new key never conflicts); with it, the key's record and the item are written in
    the caller's home region (one transaction; on a strongly consistent table, the record first, then
    the item, in the serving region), so a retry anywhere returns the first item and creates nothing
    (503 with `Retry-After` while that replica is unavailable). A 201 item is readable at once in the
    region that answered it.

    Requires scope `api/items.write`.

    Args:
        idempotency_key (str | Unset):
        body (ItemCreate): A new item.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Item | RequestTooLarge]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ItemCreate,
    idempotency_key: str | Unset = UNSET,
) -> Error | Item | RequestTooLarge | None:
    """Create an item

     Records the region that served the request. Without `Idempotency-Key` the item is written in the
    serving region (a new key never conflicts); with it, the key's record and the item are written in
    the caller's home region (one transaction; on a strongly consistent table, the record first, then
    the item, in the serving region), so a retry anywhere returns the first item and creates nothing
    (503 with `Retry-After` while that replica is unavailable). A 201 item is readable at once in the
    region that answered it.

    Requires scope `api/items.write`.

    Args:
        idempotency_key (str | Unset):
        body (ItemCreate): A new item.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Item | RequestTooLarge
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
