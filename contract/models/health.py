"""The health operation's answer (GET /health here): the checks the failover canary also runs (contract/compiled.py
`_health_operation` finds the operation by this model, wherever its path)."""

from typing import Literal

from pydantic import Field

from contract.models.base import ApiModel


class DependencyCheck(ApiModel):
    """The state of one dependency as seen from the serving region."""

    name: Literal["table", "secret"] = Field(description="Which dependency.")
    ok: bool = Field(description="Whether it answered in time.")
    latency_ms: int = Field(ge=0, description="How long the check took, in milliseconds.", examples=[12])


class Health(ApiModel):
    """Health of the serving region. 200 when every check passes, 503 otherwise."""

    status: Literal["ok", "degraded"] = Field(description="ok when every check passed.")
    region: str = Field(description="The AWS region that served the request.", examples=["eu-west-1"])
    checks: list[DependencyCheck] = Field(description="One entry per dependency.")
