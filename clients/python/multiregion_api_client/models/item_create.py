from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ItemCreate")


@_attrs_define
class ItemCreate:
    """A new item.

    Attributes:
        name (str): What the item is called. Example: Coffee.
        note (None | str | Unset): Free text. Example: oat milk.
        quantity (int | Unset): How many. Default: 1. Example: 2.
    """

    name: str
    note: None | str | Unset = UNSET
    quantity: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        quantity = self.quantity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if quantity is not UNSET:
            field_dict["quantity"] = quantity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        quantity = d.pop("quantity", UNSET)

        item_create = cls(
            name=name,
            note=note,
            quantity=quantity,
        )

        return item_create
