from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AccountUpdate")


@_attrs_define
class AccountUpdate:
    """Replace the caller's account. `version` must equal the current version (0 for a new account).

    Attributes:
        display_name (str): Name shown in the app. Example: Ada.
        locale (str): BCP 47 language tag. Example: en-GB.
        version (int): The version this update was based on. Example: 3.
    """

    display_name: str
    locale: str
    version: int

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        locale = self.locale

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "displayName": display_name,
                "locale": locale,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        display_name = d.pop("displayName")

        locale = d.pop("locale")

        version = d.pop("version")

        account_update = cls(
            display_name=display_name,
            locale=locale,
            version=version,
        )

        return account_update
