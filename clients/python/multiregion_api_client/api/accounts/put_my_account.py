from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account import Account
from ...models.account_update import AccountUpdate
from ...models.error import Error
from ...models.request_too_large import RequestTooLarge
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AccountUpdate,
    consistency_token: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(consistency_token, Unset):
        headers["Consistency-Token"] = consistency_token

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/accounts/me",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Account | Error | RequestTooLarge | None:
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
) -> Response[Account | Error | RequestTooLarge]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AccountUpdate,
    consistency_token: str | Unset = UNSET,
) -> Response[Account | Error | RequestTooLarge]:
    """Replace your account

     Optimistic concurrency: send the version you read. A stale version gets 409 and nothing is written,
    in every region: the write is a conditional write in the account's home region's replica (the region
    that served its first write; on a strongly consistent table, the serving region's). While that
    replica is unavailable: 503 with `Retry-After`; retry the same body: a retry that meets its own
    earlier attempt (same body, same version) answers 200 with the account it made.

    Requires scope `api/accounts.write`.

    Args:
        consistency_token (str | Unset):
        body (AccountUpdate): Replace the caller's account. `version` must equal the current
            version (0 for a new account).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Account | Error | RequestTooLarge]
    """

    kwargs = _get_kwargs(
        body=body,
        consistency_token=consistency_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AccountUpdate,
    consistency_token: str | Unset = UNSET,
) -> Account | Error | RequestTooLarge | None:
    """Replace your account

     Optimistic concurrency: send the version you read. A stale version gets 409 and nothing is written,
    in every region: the write is a conditional write in the account's home region's replica (the region
    that served its first write; on a strongly consistent table, the serving region's). While that
    replica is unavailable: 503 with `Retry-After`; retry the same body: a retry that meets its own
    earlier attempt (same body, same version) answers 200 with the account it made.

    Requires scope `api/accounts.write`.

    Args:
        consistency_token (str | Unset):
        body (AccountUpdate): Replace the caller's account. `version` must equal the current
            version (0 for a new account).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Account | Error | RequestTooLarge
    """

    return sync_detailed(
        client=client,
        body=body,
        consistency_token=consistency_token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AccountUpdate,
    consistency_token: str | Unset = UNSET,
) -> Response[Account | Error | RequestTooLarge]:
    """Replace your account

     Optimistic concurrency: send the version you read. A stale version gets 409 and nothing is written,
    in every region: the write is a conditional write in the account's home region's replica (the region
    that served its first write; on a strongly consistent table, the serving region's). While that
    replica is unavailable: 503 with `Retry-After`; retry the same body: a retry that meets its own
    earlier attempt (same body, same version) answers 200 with the account it made.

    Requires scope `api/accounts.write`.

    Args:
        consistency_token (str | Unset):
        body (AccountUpdate): Replace the caller's account. `version` must equal the current
            version (0 for a new account).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Account | Error | RequestTooLarge]
    """

    kwargs = _get_kwargs(
        body=body,
        consistency_token=consistency_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AccountUpdate,
    consistency_token: str | Unset = UNSET,
) -> Account | Error | RequestTooLarge | None:
    """Replace your account

     Optimistic concurrency: send the version you read. A stale version gets 409 and nothing is written,
    in every region: the write is a conditional write in the account's home region's replica (the region
    that served its first write; on a strongly consistent table, the serving region's). While that
    replica is unavailable: 503 with `Retry-After`; retry the same body: a retry that meets its own
    earlier attempt (same body, same version) answers 200 with the account it made.

    Requires scope `api/accounts.write`.

    Args:
        consistency_token (str | Unset):
        body (AccountUpdate): Replace the caller's account. `version` must equal the current
            version (0 for a new account).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Account | Error | RequestTooLarge
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            consistency_token=consistency_token,
        )
    ).parsed
