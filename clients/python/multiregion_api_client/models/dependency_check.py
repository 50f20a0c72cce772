from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dependency_check_name import DependencyCheckName

T = TypeVar("T", bound="DependencyCheck")


@_attrs_define
class DependencyCheck:
    """The state of one dependency as seen from the serving region.

    Attributes:
        latency_ms (int): How long the check took, in milliseconds. Example: 12.
        name (DependencyCheckName): Which dependency.
        ok (bool): Whether it answered in time.
    """

    latency_ms: int
    name: DependencyCheckName
    ok: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        latency_ms = self.latency_ms

        name = self.name.value

        ok = self.ok

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "latencyMs": latency_ms,
                "name": name,
                "ok": ok,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        latency_ms = d.pop("latencyMs")

        name = DependencyCheckName(d.pop("name"))

        ok = d.pop("ok")

        dependency_check = cls(
            latency_ms=latency_ms,
            name=name,
            ok=ok,
        )

        dependency_check.additional_properties = d
        return dependency_check

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
