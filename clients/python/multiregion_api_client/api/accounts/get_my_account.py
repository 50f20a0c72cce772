from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account import Account
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    consistency_token: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(consistency_token, Unset):
        headers["Consistency-Token"] = consistency_token

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/accounts/me",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Account | Error | None:
    if response.status_code == 200:
        response_200 = Account.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Account | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    consistency_token: str | Unset = UNSET,
) -> Response[Account | Error]:
    """Read your account

     The caller's account; version 0 and defaults before the first write. Read from the serving region's
    replica, so at most the replication lag behind; the response's `Consistency-Token` header, sent
    back, gets an answer at least that new (from the account's home region when this replica has not
    caught up: 503 with `Retry-After` if that one is unavailable then).

    Requires scope `api/accounts.read`.

    Args:
        consistency_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Account | Error]
    """

    kwargs = _get_kwargs(
        consistency_token=consistency_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    consistency_token: str | Unset = UNSET,
) -> Account | Error | None:
    """Read your account

     The caller's account; version 0 and defaults before the first write. Read from the serving region's
    replica, so at most the replication lag behind; the response's `Consistency-Token` header, sent
    back, gets an answer at least that new (from the account's home region when this replica has not
    caught up: 503 with `Retry-After` if that one is unavailable then).

    Requires scope `api/accounts.read`.

    Args:
        consistency_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Account | Error
    """

    return sync_detailed(
        client=client,
        consistency_token=consistency_token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    consistency_token: str | Unset = UNSET,
) -> Response[Account | Error]:
    """Read your account

     The caller's account; version 0 and defaults before the first write. Read from the serving region's
    replica, so at most the replication lag behind; the response's `Consistency-Token` header, sent
    back, gets an answer at least that new (from the account's home region when this replica has not
    caught up: 503 with `Retry-After` if that one is unavailable then).

    Requires scope `api/accounts.read`.

    Args:
        consistency_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Account | Error]
    """

    kwargs = _get_kwargs(
        consistency_token=consistency_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    consistency_token: str | Unset = UNSET,
) -> Account | Error | None:
    """Read your account

     The caller's account; version 0 and defaults before the first write. Read from the serving region's
    replica, so at most the replication lag behind; the response's `Consistency-Token` header, sent
    back, gets an answer at least that new (from the account's home region when this replica has not
    caught up: 503 with `Retry-After` if that one is unavailable then).

    Requires scope `api/accounts.read`.

    Args:
        consistency_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Account | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            consistency_token=consistency_token,
        )
    ).parsed
