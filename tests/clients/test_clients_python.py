"""The generated Python client (openapi-python-client) through every operation against the local API."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import TYPE_CHECKING

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from multiregion_api_client import AuthenticatedClient, Client, retry
from multiregion_api_client.api.accounts import get_account, get_my_account, put_my_account
from multiregion_api_client.api.health import get_health
from multiregion_api_client.api.hits import record_hit
from multiregion_api_client.api.items import create_item, get_item, list_items
from multiregion_api_client.models import Account, AccountUpdate, Error, Health, HitCount, Item, ItemCreate, ItemPage
from multiregion_api_client.retry import RetryTransport, retry_delay

if TYPE_CHECKING:
    from collections.abc import Iterator

    from devtools.lab.cluster import LocalApi


@pytest.fixture(scope="module")
def api(local: LocalApi) -> Iterator[AuthenticatedClient]:
    transport = {"transport": RetryTransport()}
    with AuthenticatedClient(base_url=local.url, token=local.token(), httpx_args=transport) as client:
        yield client


@pytest.fixture(scope="module")
def operator_api(local: LocalApi) -> Iterator[AuthenticatedClient]:
    """An operator's client: the admin operation refuses end-user tokens."""
    with AuthenticatedClient(base_url=local.url, token=local.operator_token("client-operator")) as client:
        yield client


def test_clients_python_health_needs_no_token(local: LocalApi) -> None:
    with Client(base_url=local.url) as anonymous:
        health = get_health.sync(client=anonymous)
    assert isinstance(health, Health) and health.status == "ok"


def test_clients_python_default_account_can_be_written_back(
    api: AuthenticatedClient, operator_api: AuthenticatedClient
) -> None:
    # Before the first write GET answers defaults; PUT of exactly what it returned must be accepted.
    account = get_my_account.sync(client=api)
    assert isinstance(account, Account) and account.version == 0
    update = AccountUpdate(display_name=account.display_name, locale=account.locale, version=account.version)
    written = put_my_account.sync(client=api, body=update)
    assert isinstance(written, Account) and written.version == 1
    again = get_account.sync(account.account_id, client=operator_api)
    assert isinstance(again, Account) and again.display_name == account.display_name


def test_clients_python_items_create_list_read_and_errors(api: AuthenticatedClient) -> None:
    key = uuid.uuid4().hex
    created = create_item.sync(client=api, body=ItemCreate(name="Tea", quantity=2), idempotency_key=key)
    assert isinstance(created, Item)
    page = list_items.sync(client=api, limit=50)
    assert isinstance(page, ItemPage) and created.item_id in {item.item_id for item in page.items}
    assert isinstance(one := get_item.sync(created.item_id, client=api), Item) and one.quantity == 2
    missing = get_item.sync("0" * 32, client=api)
    assert isinstance(missing, Error) and missing.code == "NOT_FOUND"
    bad = list_items.sync(client=api, limit=0)
    assert isinstance(bad, Error) and (bad.code, bad.field) == ("BAD_REQUEST", "query.limit")


def test_clients_python_record_hit(api: AuthenticatedClient) -> None:
    hit = record_hit.sync(client=api)
    assert isinstance(hit, HitCount) and hit.total >= 1


def test_clients_python_retry_delay_honours_retry_after() -> None:
    assert retry_delay(10, None, rand=1.0) == 5.0
    assert retry_delay(0, "3", rand=1.0) == 3.0


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=64)
LOCALES = st.from_regex(r"\A[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}\Z").filter(lambda s: len(s) <= 35)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, locale=LOCALES)
def test_clients_python_whatever_get_returns_can_be_put_back(api: AuthenticatedClient, name: str, locale: str) -> None:
    # Round trip: read, edit, write back; then write back exactly what was read again.
    account = get_my_account.sync(client=api)
    assert isinstance(account, Account)
    edited = put_my_account.sync(client=api, body=AccountUpdate(name, locale, account.version))
    assert isinstance(edited, Account), edited
    assert (edited.display_name, edited.locale, edited.version) == (name, locale, account.version + 1)
    read = get_my_account.sync(client=api)
    assert isinstance(read, Account)
    same = put_my_account.sync(client=api, body=AccountUpdate(read.display_name, read.locale, read.version))
    assert isinstance(same, Account), same


def test_clients_python_transport_sends_back_the_consistency_token_its_path_last_answered() -> None:
    sent: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("Consistency-Token"))
        return httpx.Response(200, json={}, headers={"Consistency-Token": str(len(sent) + 6)})

    with httpx.Client(transport=RetryTransport(httpx.MockTransport(answer))) as client:
        for path in ("/v1/accounts/me", "/v1/accounts/me", "/health", "/v1/accounts/me"):
            client.get("http://127.0.0.1:9" + path)
    assert sent == [None, "7", None, "8"]


def _flaky(statuses: list[int], seen: list[httpx.Request]) -> httpx.MockTransport:
    """Answers `statuses` in turn (then 200), recording each request."""

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(statuses.pop(0) if statuses else 200, json={}, headers={"Retry-After": "0"})

    return httpx.MockTransport(answer)


def test_clients_python_retry_transport_retries_async_calls() -> None:
    seen: list[httpx.Request] = []
    transport = RetryTransport(async_inner=_flaky([503, 503], seen))

    async def call() -> int:
        async with httpx.AsyncClient(base_url="http://api.test", transport=transport) as client:
            return (await client.get("/anything")).status_code

    assert asyncio.run(call()) == 200
    assert len(seen) == 3


def test_clients_python_creates_get_an_idempotency_key_and_are_retried() -> None:
    assert retry.IDEMPOTENT_CREATES, "the contract declares an idempotent create (else nothing to check)"
    method, template = retry.IDEMPOTENT_CREATES[0]
    path = "/prefix" + re.sub(r"\{[^}]+\}", "x1", template)
    seen: list[httpx.Request] = []
    with httpx.Client(base_url="http://api.test", transport=RetryTransport(_flaky([503], seen))) as client:
        assert client.request(method, path, json={}).status_code == 200
    keys = {request.headers.get("Idempotency-Key") for request in seen}
    assert len(seen) == 2 and len(keys) == 1 and None not in keys  # one key, the same on the retry


def test_clients_python_other_posts_get_no_key_and_no_retry() -> None:
    seen: list[httpx.Request] = []
    with httpx.Client(base_url="http://api.test", transport=RetryTransport(_flaky([503], seen))) as client:
        assert client.post("/not/a/declared/create", json={}).status_code == 503
    assert len(seen) == 1 and "Idempotency-Key" not in seen[0].headers
