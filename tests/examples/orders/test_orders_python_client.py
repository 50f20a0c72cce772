"""Every operation of the orders API once through its generated Python client, against the local API.

What a team's API needs of the kit, end to end: enums, Decimal money, a discriminated union, `str | int`,
a keyword key (`from`), a custom header, Location on a 201, a repeated query parameter, PATCH clearing a
nullable field with null, a sub-resource answered as a JSON array, DELETE 204 and a public recursive tree.
"""

from __future__ import annotations

import base64
import datetime
import io
import logging
from typing import TYPE_CHECKING

import pytest
from orders_api_client import AuthenticatedClient, Client
from orders_api_client.api.catalogue import list_categories
from orders_api_client.api.orders import (
    add_order_lines,
    create_order,
    delete_order,
    get_order,
    get_order_receipt,
    list_order_lines,
    list_orders,
    put_order_receipt,
    update_order,
)
from orders_api_client.bodies import BodyTooLargeError
from orders_api_client.models import (
    CardPayment,
    CardPaymentKind,
    Category,
    Error,
    MoneyInput,
    MoneyInputCurrency,
    Order,
    OrderCreate,
    OrderLineInput,
    OrderLineOutput,
    OrderPatch,
    PageOrder,
    Priority,
    Status,
)
from orders_api_client.types import UNSET, File

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx

    from devtools.lab.cluster import LocalApi

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api(local: LocalApi) -> Iterator[AuthenticatedClient]:
    # The code flow grants the scopes asked for: the orders API's own (its resource server is `orders`)
    with AuthenticatedClient(
        base_url=local.url, token=local.token(["orders/orders.read", "orders/orders.write"])
    ) as client:
        yield client


def _line(sku: str, quantity: int) -> OrderLineInput:
    return OrderLineInput(
        sku=sku, quantity=quantity, unit_price=MoneyInput(amount="19.90", currency=MoneyInputCurrency.EUR)
    )


def _new_order() -> OrderCreate:
    return OrderCreate(
        lines=[_line("MUG-01", 3)], payment=CardPayment(kind=CardPaymentKind.CARD, last4="4242"), reference=42,
        note="ring twice", from_=datetime.date(2026, 1, 5),
    )  # fmt: skip


def test_orders_every_operation_through_the_python_client(api: AuthenticatedClient, local: LocalApi) -> None:
    created = create_order.sync_detailed(client=api, body=_new_order(), x_tenant_id="shop-1")
    order = created.parsed
    assert created.status_code == 201 and isinstance(order, Order), created.content
    assert created.headers["Location"] == f"/v1/orders/{order.order_id}"
    assert order.total.amount == "59.70" and order.reference == 42 and order.status is Status.PENDING
    assert order.from_ == datetime.date(2026, 1, 5) and order.cancel_reason is None and order.refund is None

    page = list_orders.sync(client=api, status=[Status.PENDING, Status.PAID])
    assert isinstance(page, PageOrder) and order.order_id in {o.order_id for o in page.items}
    none = list_orders.sync(client=api, status=[Status.SHIPPED])
    assert isinstance(none, PageOrder) and order.order_id not in {o.order_id for o in none.items}
    normal = list_orders.sync(client=api, priority=[Priority(2), Priority(3)])  # priority=2,3
    assert isinstance(normal, PageOrder) and order.order_id in {o.order_id for o in normal.items}
    high = list_orders.sync(client=api, priority=[Priority(3)])
    assert isinstance(high, PageOrder) and order.order_id not in {o.order_id for o in high.items}

    read = get_order.sync(order.order_id, client=api)
    assert isinstance(read, Order) and read.note == "ring twice"

    cleared = update_order.sync(order.order_id, client=api, body=OrderPatch(note=None, priority=3))
    assert isinstance(cleared, Order) and cleared.note is UNSET and cleared.priority == 3  # null cleared it
    assert cleared.from_ == datetime.date(2026, 1, 5)  # not sent: unchanged
    reset = update_order.sync(order.order_id, client=api, body=OrderPatch(priority=None))  # `Priority | None`
    assert isinstance(reset, Order) and reset.priority == 2, reset

    lines = list_order_lines.sync(order.order_id, client=api)
    assert isinstance(lines, list) and isinstance(lines[0], OrderLineOutput) and lines[0].quantity == 3
    added = add_order_lines.sync(order.order_id, client=api, body=[_line("CUP-02", 2), _line("CUP-03", 1)])
    assert isinstance(added, list) and [line.sku for line in added] == ["MUG-01", "CUP-02", "CUP-03"], added
    total = get_order.sync(order.order_id, client=api)
    assert isinstance(total, Order) and total.total.amount == "119.40"  # 59.70 + 3 x 19.90
    too_many = add_order_lines.sync_detailed(order.order_id, client=api, body=[_line("CUP-02", 1)] * 51)
    assert too_many.status_code == 400, too_many.content  # Annotated[list[OrderLine], Field(max_length=50)]

    deleted = delete_order.sync_detailed(order.order_id, client=api)
    assert deleted.status_code == 204 and deleted.content == b""
    missing = get_order.sync(order.order_id, client=api)
    assert isinstance(missing, Error) and missing.code == "NOT_FOUND"

    with Client(base_url=local.url) as anonymous:
        tree = list_categories.sync(client=anonymous)
    assert isinstance(tree, Category) and tree.children[0].children[0].name == "mugs"


def test_orders_python_client_sends_a_comma_separated_parameter_as_one_value(local: LocalApi) -> None:
    # GIVEN `priority` declared COMMA_SEPARATED (style: form, explode: false) and `status` repeated
    sent: list[httpx.Request] = []
    token = local.token(["orders/orders.read"])
    with AuthenticatedClient(
        base_url=local.url, token=token, httpx_args={"event_hooks": {"request": [sent.append]}}
    ) as api:
        page = list_orders.sync(client=api, status=[Status.PENDING, Status.PAID], priority=[Priority(1), Priority(3)])
    # THEN one `priority` value holding both items (httpx percent-encodes the comma; API Gateway decodes it)
    assert isinstance(page, PageOrder), page
    assert sent[0].url.params.get_list("priority") == ["1,3"]
    assert sent[0].url.params.get_list("status") == ["pending", "paid"]


def test_orders_handler_refuses_what_the_gateway_lets_through(api: AuthenticatedClient) -> None:
    # GIVEN a card payment without its digits: the gateway's model is a plain object (no oneOf, rule 15)
    body = _new_order().to_dict() | {"payment": {"kind": "card"}}
    response = api.get_httpx_client().post("/v1/orders", json=body, headers={"X-Tenant-Id": "shop-1"})
    # THEN the handler names the field the discriminated union misses
    assert response.status_code == 400 and response.json()["field"] == "body.payment.last4"


@pytest.mark.parametrize(
    ("amount", "rule"),
    [("1.001", "decimal places"), (1.001, "decimal places"), ("-1.00", "at least 0"), ("1e3", "a decimal")],
)
def test_orders_money_amount_keeps_its_two_decimals_and_its_bound(
    api: AuthenticatedClient, amount: object, rule: str
) -> None:
    # GIVEN Money.amount: Decimal = Field(ge=0, decimal_places=2), sent as text or as a number
    body = _new_order().to_dict()
    body["lines"][0]["unitPrice"]["amount"] = amount
    response = api.get_httpx_client().post("/v1/orders", json=body, headers={"X-Tenant-Id": "shop-1"})
    # THEN a 400 naming the field and the rule it breaks, as pydantic refuses it
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "body.lines[0].unitPrice.amount" and rule in response.json()["message"]


PDF = b"%PDF-1.7\n\x00\xff\x80 a receipt \xfe"


def test_orders_receipt_up_and_down_as_raw_bytes(api: AuthenticatedClient) -> None:
    order = create_order.sync(client=api, body=_new_order(), x_tenant_id="shop-1")
    assert isinstance(order, Order)

    # The client sends the bytes as they are with Content-Type: application/pdf (a binary media type of the API)
    put = put_order_receipt.sync_detailed(order.order_id, client=api, body=File(payload=io.BytesIO(PDF)))
    assert put.status_code == 204, put.content

    # The client asks for the declared type first in Accept, so the gateway decodes the handler's base64 answer
    got = get_order_receipt.sync_detailed(order.order_id, client=api)
    assert got.headers["Content-Type"] == "application/pdf"
    assert isinstance(got.parsed, File) and got.parsed.payload.read() == PDF
    # What a caller without that Accept gets: the base64 text
    as_text = api.get_httpx_client().get(f"/v1/orders/{order.order_id}/receipt", headers={"Accept": "application/json"})
    assert as_text.status_code == 200 and base64.b64decode(as_text.content) == PDF


def test_orders_receipt_refused_for_another_type_or_over_its_size(api: AuthenticatedClient) -> None:
    order = create_order.sync(client=api, body=_new_order(), x_tenant_id="shop-1")
    assert isinstance(order, Order)
    http = api.get_httpx_client()
    path = f"/v1/orders/{order.order_id}/receipt"

    # A File's own mime_type goes as its Content-Type: one the operation does not declare gets the handler's 415
    png = File(payload=io.BytesIO(PDF), mime_type="image/png")
    wrong = put_order_receipt.sync(order.order_id, client=api, body=png)
    assert isinstance(wrong, Error) and wrong.code == "UNSUPPORTED_MEDIA_TYPE"
    big = http.put(path, content=b"x" * (256 * 1024 + 1), headers={"Content-Type": "application/pdf"})
    assert big.status_code == 413 and big.json()["code"] == "PAYLOAD_TOO_LARGE"
    missing = get_order_receipt.sync(order.order_id, client=api)
    assert isinstance(missing, Error) and missing.code == "NOT_FOUND"


def test_orders_receipt_over_its_maximum_is_refused_by_the_client_unsent(
    api: AuthenticatedClient, caplog: pytest.LogCaptureFixture
) -> None:
    order = create_order.sync(client=api, body=_new_order(), x_tenant_id="shop-1")
    assert isinstance(order, Order)
    path = f"/v1/orders/{order.order_id}/receipt"
    with caplog.at_level(logging.INFO, logger="localapi.access"):
        # WHEN a receipt over its declared 256 KiB goes through the client (over ~4.6 MB it would be the gateway's
        # 500, retried for the whole budget): a ValueError naming the operation, the size and the maximum
        with pytest.raises(BodyTooLargeError, match=r"^put_order_receipt: .* 262145 bytes, .* of 262144 bytes"):
            put_order_receipt.sync_detailed(
                order.order_id, client=api, body=File(payload=io.BytesIO(b"x" * (256 * 1024 + 1)))
            )
        # THEN the access log (written before each answer is sent) has only the upload that followed it
        put = put_order_receipt.sync_detailed(order.order_id, client=api, body=File(payload=io.BytesIO(PDF)))
    assert put.status_code == 204, put.content
    lines = [r.getMessage() for r in caplog.records if r.name == "localapi.access" and path in r.getMessage()]
    assert [line.split()[:3] for line in lines] == [["PUT", path, "204"]]
