from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...bodies import within_max_bytes
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.request_too_large import RequestTooLarge
from ...types import File, Response


def _get_kwargs(
    order_id: UUID,
    *,
    body: File,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/orders/{order_id}/receipt".format(
            order_id=quote(str(order_id), safe=""),
        ),
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = body.mime_type or "application/pdf"

    _kwargs["headers"] = headers
    if "content" in _kwargs:  # over the declared maximum: BodyTooLargeError, nothing sent (bodies.py says why)
        _kwargs["content"] = within_max_bytes("put_order_receipt", _kwargs["content"], 262144)
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | RequestTooLarge | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = RequestTooLarge.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

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
) -> Response[Any | Error | RequestTooLarge]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File,
) -> Response[Any | Error | RequestTooLarge]:
    """Attach the receipt of an order

     A PDF, sent as raw bytes (`Content-Type: application/pdf`); replaces any earlier one.

    Requires scope `orders/orders.write`.

    Args:
        order_id (UUID):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | RequestTooLarge]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File,
) -> Any | Error | RequestTooLarge | None:
    """Attach the receipt of an order

     A PDF, sent as raw bytes (`Content-Type: application/pdf`); replaces any earlier one.

    Requires scope `orders/orders.write`.

    Args:
        order_id (UUID):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | RequestTooLarge
    """

    return sync_detailed(
        order_id=order_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File,
) -> Response[Any | Error | RequestTooLarge]:
    """Attach the receipt of an order

     A PDF, sent as raw bytes (`Content-Type: application/pdf`); replaces any earlier one.

    Requires scope `orders/orders.write`.

    Args:
        order_id (UUID):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | RequestTooLarge]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File,
) -> Any | Error | RequestTooLarge | None:
    """Attach the receipt of an order

     A PDF, sent as raw bytes (`Content-Type: application/pdf`); replaces any earlier one.

    Requires scope `orders/orders.write`.

    Args:
        order_id (UUID):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | RequestTooLarge
    """

    return (
        await asyncio_detailed(
            order_id=order_id,
            client=client,
            body=body,
        )
    ).parsed
