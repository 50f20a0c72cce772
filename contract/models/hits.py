"""A per-caller-IP hit counter that never loses a hit across regions."""

from pydantic import Field

from contract.models.base import ApiModel


class RegionCount(ApiModel):
    """Hits recorded by one region."""

    region: str = Field(description="The region.", examples=["us-east-1"])
    count: int = Field(ge=0, description="Hits that region recorded.", examples=[4])


class HitCount(ApiModel):
    """The caller IP's hit count after this hit."""

    caller_ip: str = Field(description="The source IP the gateway saw.", examples=["203.0.113.7"])
    total: int = Field(ge=1, description="Hits from this IP, all regions together.", examples=[7])
    regions: list[RegionCount] = Field(description="Per-region breakdown; sums to total.")
