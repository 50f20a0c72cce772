from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.priority import Priority
from ..models.status import Status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.card_payment import CardPayment
    from ..models.invoice_payment import InvoicePayment
    from ..models.money_output import MoneyOutput
    from ..models.order_line_output import OrderLineOutput


T = TypeVar("T", bound="Order")


@_attrs_define
class Order:
    """An order as stored.

    Attributes:
        cancel_reason (None | str): Why it was cancelled; null unless cancelled.
        created_at (datetime.datetime):
        lines (list[OrderLineOutput]):
        order_id (UUID):
        payment (CardPayment | InvoicePayment):
        priority (Priority): How soon an order ships.
        reference (int | str):
        refund (MoneyOutput | None): What was paid back; null unless refunded.
        status (Status): Where an order is.
        total (MoneyOutput): An amount in one currency: a decimal, never a float.
        from_ (datetime.date | None | Unset):
        note (None | str | Unset):
    """

    cancel_reason: None | str
    created_at: datetime.datetime
    lines: list[OrderLineOutput]
    order_id: UUID
    payment: CardPayment | InvoicePayment
    priority: Priority
    reference: int | str
    refund: MoneyOutput | None
    status: Status
    total: MoneyOutput
    from_: datetime.date | None | Unset = UNSET
    note: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.card_payment import CardPayment  # noqa: PLC0415
        from ..models.money_output import MoneyOutput  # noqa: PLC0415

        cancel_reason: None | str
        cancel_reason = self.cancel_reason

        created_at = self.created_at.isoformat()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        order_id = str(self.order_id)

        payment: dict[str, Any]
        if isinstance(self.payment, CardPayment):
            payment = self.payment.to_dict()
        else:
            payment = self.payment.to_dict()

        priority = self.priority.value

        reference: int | str
        reference = self.reference

        refund: dict[str, Any] | None
        if isinstance(self.refund, MoneyOutput):
            refund = self.refund.to_dict()
        else:
            refund = self.refund

        status = self.status.value

        total = self.total.to_dict()

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, datetime.date):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cancelReason": cancel_reason,
                "createdAt": created_at,
                "lines": lines,
                "orderId": order_id,
                "payment": payment,
                "priority": priority,
                "reference": reference,
                "refund": refund,
                "status": status,
                "total": total,
            }
        )
        if from_ is not UNSET:
            field_dict["from"] = from_
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.card_payment import CardPayment  # noqa: PLC0415
        from ..models.invoice_payment import InvoicePayment  # noqa: PLC0415
        from ..models.money_output import MoneyOutput  # noqa: PLC0415
        from ..models.order_line_output import OrderLineOutput  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_cancel_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cancel_reason = _parse_cancel_reason(d.pop("cancelReason"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = OrderLineOutput.from_dict(lines_item_data)

            lines.append(lines_item)

        order_id = UUID(d.pop("orderId"))

        def _parse_payment(data: object) -> CardPayment | InvoicePayment:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payment_type_0 = CardPayment.from_dict(data)

                return payment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            payment_type_1 = InvoicePayment.from_dict(data)

            return payment_type_1

        payment = _parse_payment(d.pop("payment"))

        priority = Priority(d.pop("priority"))

        def _parse_reference(data: object) -> int | str:
            return cast(int | str, data)

        reference = _parse_reference(d.pop("reference"))

        def _parse_refund(data: object) -> MoneyOutput | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                refund_type_0 = MoneyOutput.from_dict(data)

                return refund_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MoneyOutput | None, data)

        refund = _parse_refund(d.pop("refund"))

        status = Status(d.pop("status"))

        total = MoneyOutput.from_dict(d.pop("total"))

        def _parse_from_(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.date.fromisoformat(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        order = cls(
            cancel_reason=cancel_reason,
            created_at=created_at,
            lines=lines,
            order_id=order_id,
            payment=payment,
            priority=priority,
            reference=reference,
            refund=refund,
            status=status,
            total=total,
            from_=from_,
            note=note,
        )

        order.additional_properties = d
        return order

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
