"""The one error body of the API, returned by the gateway and by every handler."""

from pydantic import Field

from contract.models.base import ApiModel


class Error(ApiModel):
    """Every 4xx and 5xx response, whoever produced it."""

    code: str = Field(
        description="Stable machine-readable code, e.g. BAD_REQUEST, NOT_FOUND, CONFLICT, UNAUTHORIZED.",
        examples=["NOT_FOUND"],
    )
    message: str = Field(description="Human-readable explanation. Never contains internals.", examples=["Not found"])
    request_id: str = Field(description="Correlation id, to quote to support.", examples=["c6af9ac6-7b61"])
    field: str | None = Field(
        default=None,
        description="The request field or parameter that was wrong, when one was.",
        examples=["body.displayName"],
    )
