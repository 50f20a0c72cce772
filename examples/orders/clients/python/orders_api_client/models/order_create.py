from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.priority import Priority
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.card_payment import CardPayment
    from ..models.invoice_payment import InvoicePayment
    from ..models.order_line_input import OrderLineInput


T = TypeVar("T", bound="OrderCreate")


@_attrs_define
class OrderCreate:
    """A new order.

    Attributes:
        lines (list[OrderLineInput]):
        payment (CardPayment | InvoicePayment):
        reference (int | str): The customer's own reference: text or a number.
        from_ (datetime.date | None | Unset): Not before this day.
        note (None | str | Unset):
        priority (Priority | Unset): How soon an order ships. Default: Priority.VALUE_2.
    """

    lines: list[OrderLineInput]
    payment: CardPayment | InvoicePayment
    reference: int | str
    from_: datetime.date | None | Unset = UNSET
    note: None | str | Unset = UNSET
    priority: Priority | Unset = Priority.VALUE_2

    def to_dict(self) -> dict[str, Any]:
        from ..models.card_payment import CardPayment  # noqa: PLC0415

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        payment: dict[str, Any]
        if isinstance(self.payment, CardPayment):
            payment = self.payment.to_dict()
        else:
            payment = self.payment.to_dict()

        reference: int | str
        reference = self.reference

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

        priority: int | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "lines": lines,
                "payment": payment,
                "reference": reference,
            }
        )
        if from_ is not UNSET:
            field_dict["from"] = from_
        if note is not UNSET:
            field_dict["note"] = note
        if priority is not UNSET:
            field_dict["priority"] = priority

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.card_payment import CardPayment  # noqa: PLC0415
        from ..models.invoice_payment import InvoicePayment  # noqa: PLC0415
        from ..models.order_line_input import OrderLineInput  # noqa: PLC0415

        d = dict(src_dict)
        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = OrderLineInput.from_dict(lines_item_data)

            lines.append(lines_item)

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

        def _parse_reference(data: object) -> int | str:
            return cast(int | str, data)

        reference = _parse_reference(d.pop("reference"))

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

        _priority = d.pop("priority", UNSET)
        priority: Priority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = Priority(_priority)

        order_create = cls(
            lines=lines,
            payment=payment,
            reference=reference,
            from_=from_,
            note=note,
            priority=priority,
        )

        return order_create
