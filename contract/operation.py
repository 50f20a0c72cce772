"""What one API operation is: the unit the contract declares (contract/compiled.py compiles it for every layer)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, get_args, get_origin

import annotated_types
from pydantic import BaseModel

from contract.binary import Binary
from contract.calls import Call

if TYPE_CHECKING:
    from contract.models.base import ApiModel, Parameters

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")

_OPERATION_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# Terraform names each function and its IAM role "<name>-<operation_id>"; both are at most 64
# characters (Lambda CreateFunction FunctionName, IAM CreateRole RoleName) and `name` may have 24
# (terraform/modules/api, variable name).
MAX_NAME_PREFIX = 24
MAX_OPERATION_ID = 64 - MAX_NAME_PREFIX - 1
# API Gateway's CreateResource refuses a path part outside "a-zA-Z0-9._- and curly braces at the beginning and the
# end and an optional plus sign before the closing brace" (its BadRequestException, which moto reproduces with
# `{user_id}` among the valid names: moto/apigateway/exceptions.py, tests/test_apigateway); `,` and `:` in a fixed
# segment: docs/apigateway-import-rules.md rule 6. A parameter's name is kept to an identifier (a letter, then
# letters, digits or _): it is the name of a field of path_params, the clients' argument and the TS property.
_PATH_SEGMENT = re.compile(r"^([A-Za-z0-9_.,:-]+|\{[A-Za-z][A-Za-z0-9_]*\})$")


class Access(enum.Enum):
    """One AWS action an operation's handler calls on the kit's own resources (the table, the secret); its function's
    IAM policy grants exactly these. Calls to the team's own resources (any service) are `Call`s in the same
    `access` set (contract/calls.py).

    The value is the IAM action itself: contract/compiled.py sorts them into the grants per table mode that
    terraform/modules/global/iam.tf looks up, and tests/lambdas/test_least_privilege.py compares them with the
    calls the handler tests record.
    """

    TABLE_DESCRIBE = "dynamodb:DescribeTable"
    TABLE_GET_ITEM = "dynamodb:GetItem"
    TABLE_PUT_ITEM = "dynamodb:PutItem"
    TABLE_QUERY = "dynamodb:Query"
    TABLE_UPDATE_ITEM = "dynamodb:UpdateItem"
    TABLE_DELETE_ITEM = "dynamodb:DeleteItem"
    SECRET_DESCRIBE = "secretsmanager:DescribeSecret"
    SECRET_GET_VALUE = "secretsmanager:GetSecretValue"


WRITE_ACCESS: frozenset[Access] = frozenset({Access.TABLE_PUT_ITEM, Access.TABLE_UPDATE_ITEM, Access.TABLE_DELETE_ITEM})
"""The access kinds that write the table (and so need a write_mode)."""


class WriteMode(enum.Enum):
    """Where an operation's table writes go, and so what a client is guaranteed (docs/consistency.md).

    DynamoDB global tables (eventual consistency, MREC) evaluate a conditional write against the
    replica of the region it is sent to, and resolve concurrent writes to one item by last writer
    wins (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html).
    AWS's write modes for them: write to any Region, write to one Region, write to your Region
    (https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/write-modes.html).
    """

    ANY_REGION = "any-region"
    """Written in the serving region: only for conflict-free data (one item per region, new keys)."""
    HOME_REGION = "home-region"
    """Written (and read back) in the one home region's replica, whichever region serves: conditions hold globally.

    On a STRONG (MRSC) table it is AWS's third mode, strong: every replica evaluates conditions against the
    latest version, so the serving region's replica is written and read, and no call crosses regions: a handler
    calls `aws.dynamodb()` on a STRONG table, else `aws.dynamodb_in(settings().home_region)` (docs/consistency.md)."""
    YOUR_REGION = "your-region"
    """AWS's "write to your Region": each entity has its own home region, recorded with the data (the region that
    served its first write), and is written there by conditional writes from whichever region serves; reads are
    served by the serving region's replica, and a `Consistency-Token` sent back gets a read at least that new
    (lambdas/services/home.py). The usual caller is served where its data lives: no cross-region call. On a STRONG
    table every replica is current, so it runs as HOME_REGION does there."""


class TableConsistency(enum.Enum):
    """The global table's consistency mode (Terraform `table.consistency_mode`, TABLE_CONSISTENCY of every function).

    STRONG is multi-Region strong consistency (MRSC): no transactions, no TTL
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html).
    """

    EVENTUAL = "EVENTUAL"
    STRONG = "STRONG"


@dataclass(frozen=True)
class Scope:
    """A Cognito resource-server scope (`<resource server>/<name>` on the wire)."""

    name: str
    description: str
    group: str | None = None
    """Cognito group whose members alone may use this scope (operators). Only a separate app client may
    grant it, and the handler checks the caller's `cognito:groups` as well (docs/dev/identity.md)."""


IDEMPOTENCY_KEY = "Idempotency-Key"
"""The header a creating operation takes so that a retry never creates twice."""


def _aliases(model: type[Parameters]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


PUBLIC: tuple[Scope, ...] = ()
"""`scopes=PUBLIC` marks an operation that needs no token (only /health should)."""


NO_BODY: Final = frozenset({204, 205, 304})
"""Statuses that never carry a body (RFC 9110 sections 15.3.5, 15.3.6, 15.4.5)."""


def response_model(body: Any) -> type[BaseModel] | None:
    """The model of a response body declaration (`Model` or `list[Model]`), None if it is neither."""
    if get_origin(body) is list and len(get_args(body)) == 1:
        body = get_args(body)[0]
    return body if isinstance(body, type) and issubclass(body, BaseModel) else None


SCALARS: tuple[type, ...] = (str, int, float, bool)


def scalar_array(body: Any) -> bool:
    """Whether a response body is a top-level JSON array of scalars (`list[str]`, `list[int]`)."""
    return get_origin(body) is list and len(get_args(body)) == 1 and get_args(body)[0] in SCALARS


def request_body(request: Any) -> tuple[type[BaseModel], dict[str, int] | None] | None:
    """The model of a request body declaration and, for a top-level JSON array, its item bounds: `Model` ->
    (Model, None); `list[Model]` -> (Model, {}); `Annotated[list[Model], Field(min_length=1, max_length=50)]`
    -> (Model, {"minItems": 1, "maxItems": 50}). None if it is none of these."""
    bounds: dict[str, int] | None = None
    if get_origin(request) is Annotated:
        request, *metadata = get_args(request)
        bounds = {}
        for meta in (m for item in metadata for m in (getattr(item, "metadata", None) or [item])):
            if isinstance(meta, annotated_types.MinLen):
                bounds["minItems"] = meta.min_length
            elif isinstance(meta, annotated_types.MaxLen):
                bounds["maxItems"] = meta.max_length
        if get_origin(request) is not list:
            return None
    if get_origin(request) is list and len(get_args(request)) == 1:
        request, bounds = get_args(request)[0], bounds or {}
    if not (isinstance(request, type) and issubclass(request, BaseModel)):
        return None
    return request, bounds


@dataclass(frozen=True)
class Operation:
    """One operation of the API, served by lambdas/handlers/<operation_id>.py."""

    method: Method
    path: str
    operation_id: str
    summary: str
    description: str
    tags: tuple[str, ...]
    responses: dict[int, Any]
    """Status => body: a model, `list[Model]` (a top-level JSON array), `Binary(...)` (raw bytes of a media type) or
    None (no body: 204)."""
    scopes: tuple[Scope, ...]
    access: frozenset[Access | Call]
    """The kit's actions (`Access`) and the calls to the team's own resources (`Call`, contract/calls.py)."""
    request: type[ApiModel] | Binary | Any = None
    """The body: a model, `list[Model]` (a top-level JSON array; `Annotated[list[Model], Field(max_length=N)]`
    bounds it), `Binary(...)` (raw bytes of a media type), or None."""
    path_params: type[Parameters] | None = None
    query_params: type[Parameters] | None = None
    header_params: type[Parameters] | None = None
    write_mode: WriteMode | None = None
    """Required for operations that write the table; reads of HOME_REGION data name it too."""
    idempotent_create: bool = False
    """A creating operation that takes an `Idempotency-Key` header (its record lives in the caller's home region)."""
    errors: tuple[int, ...] = field(default=())
    response_headers: dict[int, type[Parameters]] = field(default_factory=dict)
    """Status => the headers that response carries (`Location` on a 201), declared like header parameters."""
    table_modes: frozenset[TableConsistency] = frozenset(TableConsistency)
    """The table modes its handler runs on; Terraform refuses a `table.consistency_mode` outside every operation's
    list at plan time (a handler that needs transactions or TTL declares EVENTUAL only)."""

    def __post_init__(self) -> None:
        where = f"{self.method} {self.path} ({self.operation_id})"
        self._check_shapes(where)
        if not _OPERATION_ID.match(self.operation_id):
            raise ValueError(f"{where}: operation_id must be snake_case: it names the handler module")
        if len(self.operation_id) > MAX_OPERATION_ID:
            raise ValueError(
                f"{where}: operation_id must be at most {MAX_OPERATION_ID} characters: the function and role"
                f" '<name>-{self.operation_id}' must fit 64 with a {MAX_NAME_PREFIX}-character name"
            )
        if not self.path.startswith("/"):
            raise ValueError(f"{where}: path must start with /: write path='/{self.path}'")
        for segment in self.path.strip("/").split("/"):
            if not _PATH_SEGMENT.match(segment):
                raise ValueError(
                    f"{where}: path segment {segment!r} is not allowed: a fixed segment is letters, digits and "
                    "_ - . , : (API Gateway's rule); a parameter is one whole {segment} whose name is a letter, then "
                    "letters, digits or _ (write {thing_id}, not {thing-id} or x{id})"
                )
        declared = _aliases(self.path_params) if self.path_params else set()
        if declared != set(self.path_names):
            raise ValueError(f"{where}: path parameters {sorted(self.path_names)} != path_params {sorted(declared)}")
        if self.request is not None and self.method in ("GET", "DELETE"):
            raise ValueError(f"{where}: {self.method} cannot take a request body")
        writes = any(access in WRITE_ACCESS for access in self.access)
        if writes and self.write_mode is None:
            raise ValueError(f"{where}: a table write needs a write_mode (docs/consistency.md)")
        if self.write_mode is not None and not any(
            isinstance(access, Access) and access.value.startswith("dynamodb:") for access in self.access
        ):
            raise ValueError(f"{where}: a write_mode is only for operations that use the table")
        if self.idempotent_create and (
            self.method != "POST" or self.header_params is None or IDEMPOTENCY_KEY not in _aliases(self.header_params)
        ):
            raise ValueError(f"{where}: an idempotent create is a POST declaring the {IDEMPOTENCY_KEY} header")
        if not self.table_modes:
            raise ValueError(f"{where}: table_modes needs at least one TableConsistency")
        if not any(200 <= status < 300 for status in self.responses):
            raise ValueError(f"{where}: declare at least one 2xx response")
        for status, body in self.responses.items():
            if status in NO_BODY and body is not None:
                raise ValueError(f"{where}: a {status} response has no body (RFC 9110): declare {status}: None")
        for status in self.response_headers:
            if status not in self.responses:
                raise ValueError(f"{where}: response_headers names status {status}, which is not in responses")

    def _check_shapes(self, where: str) -> None:
        """Each field has the kind of value it needs: a mistake is one line naming the field and the fix, not an
        AttributeError deep in the generator."""
        from pydantic import BaseModel

        def is_model(value: object) -> bool:
            return isinstance(value, type) and issubclass(value, BaseModel)

        def kind(value: object) -> str:
            return f"the {type(value).__name__} {value!r}"

        if self.method not in METHODS:
            raise ValueError(f"{where}: method must be one of {', '.join(METHODS)} (upper case), not {self.method!r}")
        for name in ("operation_id", "path", "summary", "description"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{where}: {name} must be a string, not {kind(getattr(self, name))}")
        if not isinstance(self.tags, tuple) or not self.tags or not all(isinstance(t, str) for t in self.tags):
            example = 'tags=("items",)'
            raise ValueError(f"{where}: tags must be a tuple of tag names, e.g. {example}, not {kind(self.tags)}")
        if self.request is not None and not isinstance(self.request, Binary) and request_body(self.request) is None:
            raise ValueError(
                f"{where}: request must be a pydantic model class (import it from contract/models/), list[Model], "
                f"Annotated[list[Model], Field(max_length=...)] or Binary(...), not {kind(self.request)}"
            )
        for name in ("path_params", "query_params", "header_params"):
            value = getattr(self, name)
            if value is not None and not is_model(value):
                raise ValueError(
                    f"{where}: {name} must be a pydantic model class (import it from contract/models/), "
                    f"not {kind(value)}"
                )
        if not isinstance(self.responses, dict) or not self.responses:
            raise ValueError(f"{where}: responses must be a dict {{status: model class}}, e.g. {{200: Item}}")
        for status, body in self.responses.items():
            if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
                raise ValueError(f"{where}: responses key {status!r} must be an HTTP status number, e.g. 200")
            if body is not None and response_model(body) is None and not isinstance(body, Binary):
                if scalar_array(body):
                    continue
                wrap = ": a bare scalar is no body of its own, wrap it in a model's field"
                raise ValueError(
                    f"{where}: responses[{status}] must be a pydantic model class (import it from contract/models/), "
                    f"list[Model], a list of scalars (list[str]), Binary(...) or None (no body), not {kind(body)}"
                    f"{wrap if body in SCALARS else ''}"
                )
        for body in (self.request, *self.responses.values()):
            if isinstance(body, Binary) and (problem := body.problem()) is not None:
                raise ValueError(f"{where}: {problem}")
        if not isinstance(self.scopes, tuple) or not all(isinstance(s, Scope) for s in self.scopes):
            raise ValueError(
                f"{where}: scopes must be a tuple of Scope constants (e.g. scopes=(ITEMS_READ,)) or PUBLIC, "
                f"not {kind(self.scopes)}"
            )
        if not isinstance(self.access, frozenset) or not all(isinstance(a, Access | Call) for a in self.access):
            raise ValueError(
                f"{where}: access must be a frozenset of Access members and Calls, e.g. frozenset("
                f"{{Access.TABLE_GET_ITEM, Call(ORDER_EVENTS, ('events:PutEvents',))}}), not {kind(self.access)}"
            )
        for status in self.errors:
            if not isinstance(status, int) or not 400 <= status <= 599:
                raise ValueError(f"{where}: errors must be HTTP error statuses (400-599), not {status!r}")
        if self.write_mode is not None and not isinstance(self.write_mode, WriteMode):
            raise ValueError(
                f"{where}: write_mode must be a WriteMode member (WriteMode.ANY_REGION, ...), "
                f"not {kind(self.write_mode)}"
            )

    @property
    def kit_access(self) -> frozenset[Access]:
        """The actions on the kit's own resources (the table, the secret)."""
        return frozenset(access for access in self.access if isinstance(access, Access))

    @property
    def calls(self) -> tuple[Call, ...]:
        """The calls to the team's own resources, in a stable order."""
        calls = (access for access in self.access if isinstance(access, Call))
        return tuple(sorted(calls, key=lambda c: (c.resource.name, c.under or "", c.actions)))

    @property
    def path_names(self) -> tuple[str, ...]:
        """Names of the path parameters, in path order."""
        return tuple(re.findall(r"\{([^}]+)\}", self.path))

    @property
    def public(self) -> bool:
        """Whether callers need no token."""
        return not self.scopes

    @property
    def handler(self) -> str:
        """The Lambda handler string."""
        return f"lambdas.handlers.{self.operation_id}.handler"
