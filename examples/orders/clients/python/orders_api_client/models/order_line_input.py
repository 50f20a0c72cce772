from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money_input import MoneyInput
    from ..models.order_line_input_options import OrderLineInputOptions


T = TypeVar("T", bound="OrderLineInput")


@_attrs_define
class OrderLineInput:
    """One product of an order.

    Attributes:
        quantity (int): How many.
        sku (str): Stock keeping unit. Example: MUG-01.
        unit_price (MoneyInput): An amount in one currency: a decimal, never a float.
        options (OrderLineInputOptions | Unset): Free options, e.g. colour.
    """

    quantity: int
    sku: str
    unit_price: MoneyInput
    options: OrderLineInputOptions | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quantity = self.quantity

        sku = self.sku

        unit_price = self.unit_price.to_dict()

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "quantity": quantity,
                "sku": sku,
                "unitPrice": unit_price,
            }
        )
        if options is not UNSET:
            field_dict["options"] = options

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money_input import MoneyInput  # noqa: PLC0415
        from ..models.order_line_input_options import OrderLineInputOptions  # noqa: PLC0415

        d = dict(src_dict)
        quantity = d.pop("quantity")

        sku = d.pop("sku")

        unit_price = MoneyInput.from_dict(d.pop("unitPrice"))

        _options = d.pop("options", UNSET)
        options: OrderLineInputOptions | Unset
        if isinstance(_options, Unset):
            options = UNSET
        else:
            options = OrderLineInputOptions.from_dict(_options)

        order_line_input = cls(
            quantity=quantity,
            sku=sku,
            unit_price=unit_price,
            options=options,
        )

        order_line_input.additional_properties = d
        return order_line_input

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
