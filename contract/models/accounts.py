"""The mobile app's account of the signed-in caller."""

from datetime import datetime

from pydantic import Field

from contract.models.base import ApiModel, Parameters, RequestModel

ACCOUNT_ID_PATTERN = r"^[A-Za-z0-9-]{1,64}$"
MAX_VERSION = 10**15 - 1
"""Largest version a client may send: exact in every JSON parser (IEEE double) and far below DynamoDB's 38 digits."""


class Account(ApiModel):
    """An account. `version` grows by one on every write (optimistic concurrency)."""

    account_id: str = Field(description="The Cognito subject of the owner.", examples=["7d1c0f1e-8f3a"])
    display_name: str = Field(description="Name shown in the app.", examples=["Ada"])
    locale: str = Field(description="BCP 47 language tag.", examples=["en-GB"])
    version: int = Field(
        ge=0, le=MAX_VERSION, description="Increments on every write; 0 before the first write.", examples=[3]
    )
    updated_at: datetime | None = Field(default=None, description="Time of the last write, absent before the first.")


class AccountUpdate(RequestModel):
    """Replace the caller's account. `version` must equal the current version (0 for a new account)."""

    display_name: str = Field(min_length=1, max_length=64, description="Name shown in the app.", examples=["Ada"])
    locale: str = Field(
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        max_length=35,
        description="BCP 47 language tag.",
        examples=["en-GB"],
    )
    # DynamoDB numbers hold at most 38 significant digits (DynamoDB developer guide, "Supported data types and
    # naming rules": Number); an unbounded integer would reach the table and fail there with a 500.
    version: int = Field(ge=0, le=MAX_VERSION, description="The version this update was based on.", examples=[3])


class AccountPath(Parameters):
    """Path parameters of GET /v1/accounts/{accountId}."""

    accountId: str = Field(pattern=ACCOUNT_ID_PATTERN, description="The account to read.")


CONSISTENCY_TOKEN_PATTERN = r"^[0-9]{1,15}$"


class ConsistencyHeaders(Parameters):
    """Headers of GET and PUT /v1/accounts/me."""

    consistency_token: str | None = Field(
        default=None,
        alias="Consistency-Token",
        pattern=CONSISTENCY_TOKEN_PATTERN,
        description="The `Consistency-Token` response header of your last read or write of this account, sent "
        "back: the answer is at least that new (the serving region's replica if it has caught up, else the "
        "account's home region's). Without it a read may be up to the replication lag behind (usually under a "
        "second). The generated clients send it for you.",
    )


class ConsistencyAnswer(Parameters):
    """Headers of a 200 of GET and PUT /v1/accounts/me."""

    consistency_token: str = Field(
        alias="Consistency-Token",
        pattern=CONSISTENCY_TOKEN_PATTERN,
        description="The version this answer reflects: send it back as the request header of the same name to read "
        "at least this version (docs/consistency.md).",
    )
