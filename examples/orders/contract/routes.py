"""The orders API: a team's own API declared with the kit (`make swagger API=examples/orders`)."""

from typing import Annotated, Final

from pydantic import Field

from contract.binary import Binary
from contract.calls import EVENT_BUS, Call, Resource
from contract.operation import PUBLIC, Access, Operation, Scope, WriteMode
from examples.orders.contract.models import (
    Category,
    CreatedHeaders,
    Order,
    OrderCreate,
    OrderLine,
    OrderPatch,
    OrderPath,
    OrderQuery,
    Page,
    TenantHeaders,
)

TITLE: Final = "Orders API"
VERSION: Final = "2.0.0"
DESCRIPTION: Final = "A shop's orders: create, list, change, cancel; the product categories."
LICENSE: Final = {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"}
CONTACT: Final = {"name": "Orders team", "url": "https://github.com/multiregion-api-kit"}
SERVERS: Final = [{"url": "http://127.0.0.1:8080", "description": "The local API (`make serve API=examples/orders`)."}]
TAGS: Final = {"orders": "Orders of the caller.", "catalogue": "The product catalogue (public)."}
RESOURCE_SERVER: Final = "orders"

READ: Final = Scope("orders.read", "Read your orders.")
WRITE: Final = Scope("orders.write", "Create and change your orders.")
_TABLE_READ = frozenset({Access.TABLE_GET_ITEM})
ORDER_EVENTS: Final = Resource("order_events", EVENT_BUS)
"""The team's EventBridge bus: an `OrderPlaced` event per new order (Terraform `resources.order_events`)."""
RECEIPT: Final = Binary("application/pdf", max_bytes=256 * 1024)
"""A receipt is stored in its order's item: DynamoDB's 400 KB item limit leaves the order's document ~140 KB beside
256 KiB of PDF (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)."""

ROUTES: Final[tuple[Operation, ...]] = (
    Operation(
        method="POST",
        path="/v1/orders",
        operation_id="create_order",
        summary="Create an order",
        description="Totals the lines; `Location` names the new order; publishes `OrderPlaced` on the orders bus.",
        tags=("orders",),
        request=OrderCreate,
        header_params=TenantHeaders,
        responses={201: Order},
        response_headers={201: CreatedHeaders},
        scopes=(WRITE,),
        access=frozenset({Access.TABLE_PUT_ITEM, Call(ORDER_EVENTS, ("events:PutEvents",))}),
        write_mode=WriteMode.ANY_REGION,
    ),
    Operation(
        method="GET",
        path="/v1/orders",
        operation_id="list_orders",
        summary="List your orders",
        description="Newest first; `status` may repeat, `priority` is comma-separated.",
        tags=("orders",),
        query_params=OrderQuery,
        responses={200: Page[Order]},
        scopes=(READ,),
        access=frozenset({Access.TABLE_QUERY}),
    ),
    Operation(
        method="GET",
        path="/v1/orders/{orderId}",
        operation_id="get_order",
        summary="Read an order",
        description="One of your orders.",
        tags=("orders",),
        path_params=OrderPath,
        responses={200: Order},
        errors=(404,),
        scopes=(READ,),
        access=_TABLE_READ,
    ),
    Operation(
        method="PATCH",
        path="/v1/orders/{orderId}",
        operation_id="update_order",
        summary="Change an order",
        description="Only the fields sent change; `null` clears `note` or `from`, and puts `priority` back to normal.",
        tags=("orders",),
        path_params=OrderPath,
        request=OrderPatch,
        responses={200: Order},
        errors=(404,),
        scopes=(WRITE,),
        access=frozenset({Access.TABLE_GET_ITEM, Access.TABLE_PUT_ITEM}),
        write_mode=WriteMode.ANY_REGION,
    ),
    Operation(
        method="DELETE",
        path="/v1/orders/{orderId}",
        operation_id="delete_order",
        summary="Delete an order",
        description="No body on success.",
        tags=("orders",),
        path_params=OrderPath,
        responses={204: None},
        errors=(404,),
        scopes=(WRITE,),
        access=frozenset({Access.TABLE_DELETE_ITEM}),
        write_mode=WriteMode.ANY_REGION,
    ),
    Operation(
        method="GET",
        path="/v1/orders/{orderId}/lines",
        operation_id="list_order_lines",
        summary="The lines of an order",
        description="A sub-resource: a top-level JSON array.",
        tags=("orders",),
        path_params=OrderPath,
        responses={200: list[OrderLine]},
        errors=(404,),
        scopes=(READ,),
        access=_TABLE_READ,
    ),
    Operation(
        method="POST",
        path="/v1/orders/{orderId}/lines",
        operation_id="add_order_lines",
        summary="Add lines to an order",
        description="A bulk add: the body is a top-level JSON array of lines; answers every line of the order.",
        tags=("orders",),
        path_params=OrderPath,
        request=Annotated[list[OrderLine], Field(min_length=1, max_length=50)],
        responses={200: list[OrderLine]},
        errors=(404,),
        scopes=(WRITE,),
        access=frozenset({Access.TABLE_GET_ITEM, Access.TABLE_PUT_ITEM}),
        write_mode=WriteMode.ANY_REGION,
    ),
    Operation(
        method="PUT",
        path="/v1/orders/{orderId}/receipt",
        operation_id="put_order_receipt",
        summary="Attach the receipt of an order",
        description="A PDF, sent as raw bytes (`Content-Type: application/pdf`); replaces any earlier one.",
        tags=("orders",),
        path_params=OrderPath,
        request=RECEIPT,
        responses={204: None},
        errors=(404,),
        scopes=(WRITE,),
        access=frozenset({Access.TABLE_UPDATE_ITEM}),
        write_mode=WriteMode.ANY_REGION,
    ),
    Operation(
        method="GET",
        path="/v1/orders/{orderId}/receipt",
        operation_id="get_order_receipt",
        summary="Download the receipt of an order",
        description="The PDF as raw bytes: send `Accept: application/pdf` (else API Gateway answers it in base64).",
        tags=("orders",),
        path_params=OrderPath,
        responses={200: RECEIPT},
        errors=(404,),
        scopes=(READ,),
        access=_TABLE_READ,
    ),
    Operation(
        method="GET",
        path="/v1/categories",
        operation_id="list_categories",
        summary="The category tree",
        description="Public: no token.",
        tags=("catalogue",),
        responses={200: Category},
        scopes=PUBLIC,
        access=frozenset(),
    ),
)
