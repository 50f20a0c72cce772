from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.region_count import RegionCount


T = TypeVar("T", bound="HitCount")


@_attrs_define
class HitCount:
    """The caller IP's hit count after this hit.

    Attributes:
        caller_ip (str): The source IP the gateway saw. Example: 203.0.113.7.
        regions (list[RegionCount]): Per-region breakdown; sums to total.
        total (int): Hits from this IP, all regions together. Example: 7.
    """

    caller_ip: str
    regions: list[RegionCount]
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        caller_ip = self.caller_ip

        regions = []
        for regions_item_data in self.regions:
            regions_item = regions_item_data.to_dict()
            regions.append(regions_item)

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "callerIp": caller_ip,
                "regions": regions,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.region_count import RegionCount  # noqa: PLC0415

        d = dict(src_dict)
        caller_ip = d.pop("callerIp")

        regions = []
        _regions = d.pop("regions")
        for regions_item_data in _regions:
            regions_item = RegionCount.from_dict(regions_item_data)

            regions.append(regions_item)

        total = d.pop("total")

        hit_count = cls(
            caller_ip=caller_ip,
            regions=regions,
            total=total,
        )

        hit_count.additional_properties = d
        return hit_count

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
