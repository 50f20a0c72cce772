"""Base classes shared by every model of the contract."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """A JSON body: camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class RequestModel(ApiModel):
    """A request body: unknown fields are refused (by the Lambda; API Gateway cannot)."""

    model_config = ConfigDict(extra="forbid")


class Parameters(BaseModel):
    """Path or query parameters of one operation; field names are the parameter names."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CommaSeparated:
    """Marks a list query parameter sent as one comma-separated value, `status=a,b` (OpenAPI `style: form,
    explode: false`), instead of repeated, `status=a&status=b` (the default): `status: Annotated[list[Status],
    COMMA_SEPARATED] = Field(default_factory=list)`. Its items cannot hold a comma (API Gateway decodes `%2C`
    before the handler splits), so they must be enums, numbers, booleans or strings with a pattern or format."""


COMMA_SEPARATED = CommaSeparated()
