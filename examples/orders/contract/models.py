"""The orders API's models, written as a team writes pydantic: enums, Decimal money, unions, a tree, generics."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from contract.models.base import COMMA_SEPARATED, ApiModel, Parameters, RequestModel

T = TypeVar("T")
SKU_PATTERN = r"^[A-Z0-9-]{3,20}$"


class Status(str, Enum):  # noqa: UP042 - how teams (and pydantic's docs) write a string enum
    """Where an order is."""

    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class Priority(IntEnum):
    """How soon an order ships."""

    LOW = 1
    NORMAL = 2
    HIGH = 3


class Money(ApiModel):
    """An amount in one currency: a decimal, never a float."""

    amount: Decimal = Field(ge=0, decimal_places=2, description="The amount, two decimals.", examples=["19.90"])
    currency: Literal["EUR", "USD"] = Field(description="ISO 4217 code.")


class OrderLine(ApiModel):
    """One product of an order."""

    sku: str = Field(pattern=SKU_PATTERN, description="Stock keeping unit.", examples=["MUG-01"])
    quantity: int = Field(gt=0, le=1000, description="How many.")
    unit_price: Money
    options: dict[str, str] = Field(default_factory=dict, description="Free options, e.g. colour.")


class CardPayment(ApiModel):
    """Paid by card."""

    kind: Literal["card"]
    last4: str = Field(pattern=r"^[0-9]{4}$", description="Last four digits.", examples=["4242"])


class InvoicePayment(ApiModel):
    """Paid on invoice."""

    kind: Literal["invoice"]
    due_days: int = Field(ge=0, le=90, description="Days until due.")


Payment = Annotated[CardPayment | InvoicePayment, Field(discriminator="kind")]


class OrderCreate(RequestModel):
    """A new order."""

    lines: list[OrderLine] = Field(min_length=1, max_length=50)
    payment: Payment
    priority: Priority = Priority.NORMAL
    reference: str | int = Field(description="The customer's own reference: text or a number.")
    note: str | None = Field(default=None, max_length=500)
    deliver_from: datetime.date | None = Field(default=None, alias="from", description="Not before this day.")


class OrderPatch(RequestModel):
    """Change an order: send only what changes; `null` clears a nullable field."""

    note: str | None = Field(default=None, max_length=500)
    priority: Priority | None = Field(default=None, description="`null` puts it back to normal.")
    deliver_from: datetime.date | None = Field(default=None, alias="from")


class Order(ApiModel):
    """An order as stored."""

    order_id: uuid.UUID
    status: Status
    priority: Priority
    lines: list[OrderLine]
    payment: Payment
    reference: str | int
    total: Money
    note: str | None = None
    cancel_reason: str | None = Field(description="Why it was cancelled; null unless cancelled.")
    refund: Money | None = Field(description="What was paid back; null unless refunded.")
    deliver_from: datetime.date | None = Field(default=None, alias="from")
    created_at: datetime.datetime


class Page(ApiModel, Generic[T]):
    """One page of results."""

    items: list[T]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page.")


class Category(BaseModel):
    """A product category and its sub-categories (a tree)."""

    name: str
    children: list[Category] = Field(default_factory=list)


class OrderPath(Parameters):
    """Path parameters of /v1/orders/{orderId}."""

    order_id: uuid.UUID = Field(alias="orderId", description="The order.")


class OrderQuery(Parameters):
    """Query parameters of GET /v1/orders."""

    status: list[Status] = Field(default_factory=list, description="Only these statuses (repeat: status=a&status=b).")
    priority: Annotated[list[Priority], COMMA_SEPARATED] = Field(
        default_factory=list, description="Only these priorities (comma-separated: priority=1,3)."
    )
    limit: int = Field(default=20, ge=1, le=100)


class TenantHeaders(Parameters):
    """The caller's tenant, a custom header."""

    tenant: str = Field(alias="X-Tenant-Id", pattern=r"^[a-z0-9-]{1,32}$", description="Your tenant.")


class CreatedHeaders(Parameters):
    """Headers of a 201."""

    location: str = Field(alias="Location", description="The new order's URL path.")
