from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Item")


@_attrs_define
class Item:
    """An item as stored.

    Attributes:
        created_at (datetime.datetime): When the item was created (UTC).
        item_id (str): Server-assigned id. Example: 3f2b8c1d9e7a4b5c8d6e0f1a2b3c4d5e.
        name (str): What the item is called. Example: Coffee.
        quantity (int): How many. Example: 2.
        region (str): The region that created the item. Example: us-east-1.
        note (None | str | Unset): Free text. Example: oat milk.
    """

    created_at: datetime.datetime
    item_id: str
    name: str
    quantity: int
    region: str
    note: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        item_id = self.item_id

        name = self.name

        quantity = self.quantity

        region = self.region

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "itemId": item_id,
                "name": name,
                "quantity": quantity,
                "region": region,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        item_id = d.pop("itemId")

        name = d.pop("name")

        quantity = d.pop("quantity")

        region = d.pop("region")

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        item = cls(
            created_at=created_at,
            item_id=item_id,
            name=name,
            quantity=quantity,
            region=region,
            note=note,
        )

        item.additional_properties = d
        return item

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
