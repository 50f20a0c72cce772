from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.page_order import PageOrder
from ...models.priority import Priority
from ...models.status import Status
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    limit: int | Unset = 20,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    json_priority: list[int] | Unset = UNSET
    if not isinstance(priority, Unset):
        json_priority = []
        for priority_item_data in priority:
            priority_item = priority_item_data.value
            json_priority.append(priority_item)

    params["priority"] = (
        (",".join(str(item).lower() if isinstance(item, bool) else str(item) for item in json_priority) or None)
        if isinstance(json_priority, list)
        else json_priority
    )  # style: form, explode: false; [] is omitted, as repeated

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | PageOrder | None:
    if response.status_code == 200:
        response_200 = PageOrder.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | PageOrder]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    limit: int | Unset = 20,
) -> Response[Error | PageOrder]:
    """List your orders

     Newest first; `status` may repeat, `priority` is comma-separated.

    Requires scope `orders/orders.read`.

    Args:
        status (list[Status] | Unset):
        priority (list[Priority] | Unset):
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PageOrder]
    """

    kwargs = _get_kwargs(
        status=status,
        priority=priority,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    limit: int | Unset = 20,
) -> Error | PageOrder | None:
    """List your orders

     Newest first; `status` may repeat, `priority` is comma-separated.

    Requires scope `orders/orders.read`.

    Args:
        status (list[Status] | Unset):
        priority (list[Priority] | Unset):
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PageOrder
    """

    return sync_detailed(
        client=client,
        status=status,
        priority=priority,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    limit: int | Unset = 20,
) -> Response[Error | PageOrder]:
    """List your orders

     Newest first; `status` may repeat, `priority` is comma-separated.

    Requires scope `orders/orders.read`.

    Args:
        status (list[Status] | Unset):
        priority (list[Priority] | Unset):
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PageOrder]
    """

    kwargs = _get_kwargs(
        status=status,
        priority=priority,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: list[Status] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
    limit: int | Unset = 20,
) -> Error | PageOrder | None:
    """List your orders

     Newest first; `status` may repeat, `priority` is comma-separated.

    Requires scope `orders/orders.read`.

    Args:
        status (list[Status] | Unset):
        priority (list[Priority] | Unset):
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PageOrder
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            priority=priority,
            limit=limit,
        )
    ).parsed
