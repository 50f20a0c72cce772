"""Compile an API's declarations once into the model every artefact renders.

`compile_api(api)` takes the module (or object) that declares an API (ROUTES, TITLE, VERSION, ...:
contract/routes.py, or a team's own API module) and returns one frozen `CompiledApi`: per operation the
scopes as sent, parameters and inputs, component names, write mode, table modes, IAM grants per table
mode, retry class and the zip's contract module. It makes one schema pass (the exact, public schemas; the
deployable ones are `deployable_form` of them), parameters included (as FastAPI's `get_fields_from_routes` + one
`get_definitions`). The documents (contract/openapi.py), the manifest (contract/manifest.py) and the handler
types (contract/handler_types.py) only render it; packaging copies, Terraform looks up, localapi reads.
"""

from __future__ import annotations

import enum
import json
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Protocol

from pydantic import TypeAdapter

from contract import examples, inputs
from contract.binary import Binary
from contract.deployment import ENVIRONMENT, TABLE, TRIGGERS, TableSchema, Variable
from contract.errors import ContractError
from contract.inputs import fields
from contract.models.errors import Error
from contract.models.health import Health
from contract.operation import (
    WRITE_ACCESS,
    Access,
    TableConsistency,
    WriteMode,
    request_body,
    response_model,
    scalar_array,
)
from contract.responses import (
    AUTH_ERRORS,
    GATEWAY_ERRORS,
    REASONS,
    TOO_LARGE_COMPONENT,
    TOO_LARGE_SCHEMA,
    bad_request,
    example,
)
from contract.retry import RETRY, RetryPolicy
from contract.schema import REF_PREFIX, OpenApi30Schema, definitions, deployable_form

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pydantic import BaseModel
    from pydantic.json_schema import JsonSchemaMode

    from contract.calls import Call, Resource
    from contract.operation import Operation, Scope

FLAVOURS: Final = ("deployable", "public")
"""The document flavours: what API Gateway imports, and what readers and clients read. Both come from one schema
pass: the public (exact) schemas, and `deployable_form` of them (what ApiGatewaySchema's pass would give)."""

_KMS_READ: Final = ("kms:Decrypt",)
_KMS_WRITE: Final = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
# DescribeTable and DescribeSecret read metadata only: they use no key.
_TABLE_KEY_USE: Final = frozenset(
    {
        Access.TABLE_GET_ITEM,
        Access.TABLE_PUT_ITEM,
        Access.TABLE_QUERY,
        Access.TABLE_UPDATE_ITEM,
        Access.TABLE_DELETE_ITEM,
    }
)


class ApiDeclaration(Protocol):
    """What a module must declare to be an API (contract/routes.py is one)."""

    @property
    def ROUTES(self) -> tuple[Operation, ...]: ...
    @property
    def TITLE(self) -> str: ...
    @property
    def VERSION(self) -> str: ...
    @property
    def DESCRIPTION(self) -> str: ...
    @property
    def TAGS(self) -> Mapping[str, str]: ...
    @property
    def SERVERS(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def RESOURCE_SERVER(self) -> str: ...
    @property
    def LICENSE(self) -> Mapping[str, str]: ...
    @property
    def CONTACT(self) -> Mapping[str, str]: ...


class RetryClass(enum.Enum):
    """Whether a client may resend an operation's request after no answer or a retried status (RETRY)."""

    SAFE = "safe"
    """An idempotent method (GET, PUT, DELETE: RFC 9110 section 9.2.2): resending cannot act twice."""
    WITH_IDEMPOTENCY_KEY = "with-idempotency-key"
    """A create that takes an Idempotency-Key: resent only with the same key."""
    NEVER = "never"
    """Resending may act twice (a POST without a key, such as a counter): never resent."""


@dataclass(frozen=True)
class Grants:
    """The IAM actions one function needs in one table mode, by the resource they apply to
    (terraform/modules/global/iam.tf writes one statement per field, looking nothing up itself)."""

    serving_table: tuple[str, ...]
    """On the function's own region's replica (for that region's function only)."""
    home_table: tuple[str, ...]
    """On the home replicas (`home_replicas`), from every region (none on a STRONG table)."""
    home_replicas: str
    """Which replicas `home_table` reaches: "primary" (HOME_REGION data) or "entity", every region's (each entity's
    own home: YOUR_REGION data and a keyed create's record, which lives in its caller's home)."""
    secret: tuple[str, ...]
    table_key: tuple[str, ...]
    """KMS actions DynamoDB makes with the table's key on the caller's behalf (kms:ViaService dynamodb)."""
    secret_key: tuple[str, ...]
    """KMS actions Secrets Manager makes with the secret's key on the caller's behalf."""


@dataclass(frozen=True)
class CompiledCall:
    """One call to a team's resource as Terraform renders it (api/routes.json `calls`): iam.tf grants `actions` on
    the resource's ARN in each region (+ `under`), `key_actions` on its key (if Terraform is given one) through
    `service` only; regional lambda.tf sets `environment` to the region's ARN; variables.tf checks each ARN
    against `arn_regex` (and its `region` group against the region when `regional`)."""

    sid: str
    """Statement id prefix, unique in the function's policy."""
    resource: str
    service: str
    actions: tuple[str, ...]
    under: str
    key_actions: tuple[str, ...]
    environment: str
    arn_format: str
    arn_regex: str
    regional: bool

    @classmethod
    def of(cls, call: Call, sid: str) -> CompiledCall:
        """`call` as the manifest carries it, under statement id `sid`."""
        kind = call.resource.type
        return cls(
            sid=sid,
            resource=call.resource.name,
            service=kind.service,
            actions=tuple(sorted(set(call.actions))),
            under=call.under or "",
            key_actions=tuple(sorted(set(call.key_actions))),
            environment=call.resource.environment,
            arn_format=kind.arn_format,
            arn_regex=kind.arn_regex,
            regional=kind.regional,
        )


@dataclass(frozen=True)
class Response:
    """One response of an operation."""

    component: str | None
    """Component name of its body (None: no body, as a 204)."""
    description: str
    example: Any
    """None: no example (none could be made valid against the schema)."""
    array: bool = False
    """The body is a top-level JSON array of `component`."""
    headers: tuple[tuple[str, bool, dict[str, Any]], ...] = ()
    """(name, required, exact schema) of each header the response carries (Location on a 201)."""
    binary: Binary | None = None
    """The body is raw bytes of these media types (contract/binary.py; `component` is None)."""
    schema: dict[str, Any] | None = None
    """The inline schema of a body that is a top-level JSON array of scalars (`list[str]`; `component` is None)."""


@dataclass(frozen=True)
class CompiledOperation:
    """One operation as every artefact renders it: its declaration's facts, derived once."""

    operation_id: str
    method: str
    path: str
    path_names: tuple[str, ...]
    summary: str
    description: str
    tags: tuple[str, ...]
    handler: str
    package: str
    scopes: tuple[str, ...]
    """As sent: `<resource server>/<name>` (empty: public)."""
    scope_groups: dict[str, str]
    """Scope as sent => the Cognito group whose members alone may use it (this operation's scopes only)."""
    parameters: dict[str, tuple[dict[str, Any], ...]]
    """Flavour => its OpenAPI Parameter Objects (path, query, header, in that order)."""
    inputs: dict[str, Any]
    """JSON schemas of the path, query and header parameters and body (None: takes none), references inlined:
    the rules the handler checks at run time."""
    request: str | None
    """Component name of the request body (of its items, if `request_array` is set)."""
    request_array: dict[str, int] | None
    """None: the body is one `request` object; else it is a top-level JSON array of them, with these bounds
    (minItems, maxItems)."""
    responses: dict[int, Response]
    """By status: the declared responses and errors, and what the gateway may answer."""
    access: tuple[str, ...]
    write_mode: str | None
    table_modes: tuple[str, ...]
    grants: dict[str, Grants]
    """Table mode (of `table_modes`) => the IAM actions its function needs on the kit's resources."""
    calls: tuple[CompiledCall, ...]
    """Its calls to the team's own resources (the same in every table mode)."""
    retry: RetryClass
    contract_types: str
    """Source of the zip's lambdas/contract_types.py: this operation's rules only (tools/package.py copies it)."""
    binary_request: Binary | None = None
    """The request body is raw bytes of these media types (`request` is None)."""

    @property
    def public(self) -> bool:
        """Whether callers need no token."""
        return not self.scopes


@dataclass(frozen=True)
class CompiledApi:
    """The API, compiled once: every generator renders this and nothing else. The dataclasses are frozen; the
    JSON schemas inside are shared, so a renderer copies what it changes (apispec copies what it is given)."""

    title: str
    version: str
    description: str
    tags: dict[str, str]
    servers: tuple[dict[str, Any], ...]
    license: dict[str, str]
    contact: dict[str, str]
    resource_server: str
    scopes: dict[str, str]
    """Scope name => description, over every operation."""
    scope_groups: dict[str, str]
    """Scope name => the Cognito group whose members alone may hold it."""
    sent_as: dict[str, str]
    """Scope name => the scope as tokens carry it (`<resource server>/<name>`)."""
    schemas: dict[str, dict[str, Any]]
    """Flavour => its component schemas (the one pass over the models of that flavour), sorted by name."""
    operations: tuple[CompiledOperation, ...]
    """In declaration order."""
    triggers: dict[str, dict[str, str]]
    """Function run by something else than the API, name => its facts: handler, package and, for the failover
    canary, the health operation whose checks it runs and whose path it requests (`operation_id`, `path`). No
    health operation (`_health_operation`), no canary: then Route 53 watches the region's 5xx share alone."""
    trigger_contract_types: str
    """Source of a trigger zip's lambdas/contract_types.py: every operation's scopes and every scope group."""
    environment: dict[str, Variable]
    table: TableSchema
    retry: RetryPolicy
    binary_media_types: tuple[str, ...] = ()
    """Every media type an operation declares binary, sorted: the API's binaryMediaTypes."""


def _scope(resource_server: str, scope: Scope) -> str:
    """A scope as it travels in tokens: `<resource server>/<name>`; the one place that spells it."""
    return f"{resource_server}/{scope.name}"


def _health_operation(ops: tuple[Operation, ...]) -> Operation | None:
    """The operation the failover canary stands in for: the public GET that answers `Health`, as
    lambdas/services/health.py's checks (which the canary runs in-process) do, wherever its path is."""
    found = [op for op in ops if op.method == "GET" and op.public and response_model(op.responses.get(200)) is Health]
    if len(found) > 1:
        raise ContractError(
            f"{', '.join(op.operation_id for op in found)}: each answers Health, and the failover canary probes one"
            " health operation: keep one"
        )
    return found[0] if found else None


def _triggers(ops: tuple[Operation, ...]) -> dict[str, dict[str, str]]:
    health = _health_operation(ops)
    triggers = {
        name: {"handler": handler, "package": f"triggers.{name}.zip"}
        for name, handler in TRIGGERS.items()
        if name != "canary" or health is not None
    }
    if health is not None:
        triggers["canary"].update(operation_id=health.operation_id, path=health.path)
    return triggers


def _check_unique(ops: tuple[Operation, ...]) -> None:
    ids = Counter(op.operation_id for op in ops)
    routes = Counter((op.path, op.method) for op in ops)
    for op in ops:
        if ids[op.operation_id] > 1 or routes[(op.path, op.method)] > 1:
            raise ContractError(f"{op.method} {op.path} ({op.operation_id}): declared twice")


def _models(ops: tuple[Operation, ...]) -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    """Every model of every flavour's one pass: bodies and responses, then parameters and response headers. A model
    that is both a request body and a response is passed in both modes: its schemas may differ (a Decimal is read
    as a number or a string and written as a string), and pydantic then names them `<Model>Input`/`<Model>Output`."""
    models: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {(Error, "serialization"): None}
    for op in ops:
        if (body := request_body(op.request)) is not None:
            models[(body[0], "validation")] = None
        for response in op.responses.values():
            if (model := response_model(response)) is not None:
                models[(model, "serialization")] = None
    for op in ops:
        for params in (op.path_params, op.query_params, op.header_params, *op.response_headers.values()):
            if params is not None:
                models[(params, "validation")] = None
    return list(models)


def _by_model(refs: Mapping[tuple[type[BaseModel], JsonSchemaMode], str], mode: JsonSchemaMode) -> dict[Any, str]:
    """Model => component name, in `mode` where the model was passed in both."""
    return {model: name for (model, passed), name in refs.items() if passed == mode or (model, mode) not in refs}


def array_model(component: str) -> str:
    """The API Gateway model of a request body that is a top-level JSON array of `component`."""
    return f"{component}List"


def _array_models(
    ops: tuple[Operation, ...], names: Mapping[type[BaseModel], str], deployable: Mapping[str, Any]
) -> dict[str, Any]:
    """The deployable models of the request bodies that are top-level JSON arrays. API Gateway models are draft-4
    schemas of any type: AWS's own PetStore example API imports `Pets`, `{type: array, items: {$ref: Pet}}`
    (docs: "Tutorial: Create a REST API by importing an example"; CreateModel `schema`: "JSON schema draft 4")."""
    found: dict[str, Any] = {}
    for op in ops:
        if (body := request_body(op.request)) is None or body[1] is None:
            continue
        name = array_model(names[body[0]])
        model = {"type": "array", "items": {"$ref": REF_PREFIX + names[body[0]]}, **body[1], "title": name}
        if found.setdefault(name, model) != model or name in deployable:
            raise ContractError(
                f"{op.operation_id}: request list[{names[body[0]]}] needs the API Gateway model {name!r}, which "
                "another model or another list bound already takes: rename the model or use one bound"
            )
    return found


def _request_model(op: Operation) -> type[BaseModel] | None:
    body = request_body(op.request)
    return None if body is None else body[0]


def _response(op: Operation, status: int, body: Any, names: Mapping[type[BaseModel], str], exact: Any) -> Response:
    model = response_model(body)
    headers = op.response_headers.get(status)
    if isinstance(body, Binary):
        types = ", ".join(f"`{media_type}`" for media_type in body.media_types)
        return Response(
            component=None,
            description=f"{REASONS.get(status, 'OK')}: the raw bytes ({types}, at most {body.max_bytes} bytes). Send "
            f"`Accept: {body.media_types[0]}` (the first Accept media type decides: API Gateway), else the body "
            "arrives base64-encoded.",
            example=None,
            headers=()
            if headers is None
            else tuple(fields(headers, names[headers], exact, f"{op.operation_id} header")),
            binary=body,
        )
    if scalar_array(body):  # a JSON array of scalars: an inline schema, no component
        schema = TypeAdapter(body).json_schema()
        return Response(
            component=None,
            description=REASONS.get(status, f"A JSON array of {schema['items']['type']}s."),
            example=examples.invent(schema, exact),
            schema=schema,
        )
    return Response(
        component=None if model is None else names[model],
        description=REASONS.get(status, "No content." if model is None else (model.__doc__ or names[model]).strip()),
        example=None if model is None else example(names[model], status, exact, array=model is not body),
        array=model is not None and model is not body,
        headers=() if headers is None else tuple(fields(headers, names[headers], exact, f"{op.operation_id} header")),
    )


def _calls(op: Operation, resources: dict[str, Resource]) -> tuple[CompiledCall, ...]:
    """Its calls, with a statement id each; one resource name is one resource across the API."""
    compiled, seen = [], Counter[str]()
    for call in op.calls:
        known = resources.setdefault(call.resource.name, call.resource)
        if known != call.resource:
            raise ContractError(
                f"{op.method} {op.path} ({op.operation_id}): two resources are named {call.resource.name!r} with "
                "different types: declare each Resource once (a module constant) and use it everywhere"
            )
        seen[call.sid] += 1
        compiled.append(CompiledCall.of(call, call.sid + (str(seen[call.sid]) if seen[call.sid] > 1 else "")))
    return tuple(compiled)


def _binary_rules(request: Binary | None, responses: Mapping[int, Any]) -> dict[str, Any]:
    """The handler's rules of its binary bodies (lambdas/runtime/events.py and responses.py): the request's, and each
    binary response's by status (a string: the zip's rules travel as JSON); empty when it has none."""
    answers = {str(status): body.rule for status, body in sorted(responses.items()) if isinstance(body, Binary)}
    if request is None and not answers:
        return {}
    return {"request": None if request is None else request.rule, "responses": answers}


def _grants(op: Operation, mode: TableConsistency) -> Grants:
    table = {access for access in op.kit_access if access.value.startswith("dynamodb:")}
    if mode is TableConsistency.STRONG:
        # Every replica of an MRSC table answers with the latest version: no call leaves the region.
        home, serving = set(), table
    elif op.write_mode is WriteMode.HOME_REGION:
        home, serving = table, set()
    elif op.write_mode is WriteMode.YOUR_REGION or op.idempotent_create:
        # YOUR_REGION data is read in the serving region and written in its entity's home (the serving region for
        # the usual caller). Without its key an idempotent create writes in the serving region (a new key never
        # conflicts); with it, the key's record and the item go to the caller's home replica in one
        # TransactWriteItems, which needs the permission of each action it contains (PutItem here), declared as such
        # in `access` (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html),
        # and the item is copied into the serving region's replica so it is readable there at once.
        home, serving = table, table
    else:
        home, serving = set(), table
    secret = sorted(access.value for access in op.kit_access if access.value.startswith("secretsmanager:"))
    uses_key = bool(op.access & _TABLE_KEY_USE)
    return Grants(
        serving_table=tuple(sorted(access.value for access in serving)),
        home_table=tuple(sorted(access.value for access in home)),
        home_replicas="entity" if op.write_mode is WriteMode.YOUR_REGION or op.idempotent_create else "primary",
        secret=tuple(secret),
        table_key=(_KMS_WRITE if op.access & WRITE_ACCESS else _KMS_READ) if uses_key else (),
        secret_key=_KMS_READ if Access.SECRET_GET_VALUE in op.access else (),
    )


def _retry(op: Operation) -> RetryClass:
    if op.idempotent_create:
        return RetryClass.WITH_IDEMPOTENCY_KEY
    return RetryClass.SAFE if op.method in ("GET", "PUT", "DELETE") else RetryClass.NEVER


def _json(value: Any) -> Any:
    """`value` as the manifest holds it (sorted keys at every level), so a module renders the same from either."""
    return json.loads(json.dumps(value, sort_keys=True))


def _module(version: str, inputs: Mapping[str, Any], scopes: Mapping[str, tuple[str, ...]], groups: Any) -> str:
    return f"API_VERSION = {version!r}\nINPUTS = {inputs!r}\nSCOPES = {scopes!r}\nSCOPE_GROUPS = {groups!r}\n"


def compile_api(api: ApiDeclaration) -> CompiledApi:
    """Compile `api`'s declarations: one schema pass for both flavours, every per-operation fact derived here once."""
    ops = tuple(api.ROUTES)
    _check_unique(ops)
    for op in ops:
        for tag in op.tags:
            if tag not in api.TAGS:
                raise ContractError(
                    f"{op.method} {op.path} ({op.operation_id}): tag {tag!r} is not in TAGS: add {tag!r}: "
                    '"<one sentence>" to TAGS beside ROUTES'
                )
    models = _models(ops)
    declared = [(op, m) for op in ops for m in (_request_model(op), *map(response_model, op.responses.values()))]
    for op, model in declared:
        if model is not None:
            inputs.refuse_comma_separated(model, f"{op.method} {op.path} ({op.operation_id}) body")
    bodies = {model for _, model in declared if model is not None} | {Error}
    refs, exact = definitions(models, OpenApi30Schema)  # the one schema pass; component names are the same in both
    passes = {"deployable": deployable_form(exact), "public": exact}
    names = _by_model(refs, "serialization")  # responses; the same component names in both documents
    input_names = _by_model(refs, "validation")  # request bodies and parameters
    parameter_only = {
        input_names[model] for model, _ in models if model not in bodies
    }  # parameter models are no components
    schemas = {
        flavour: dict(sorted((name, s) for name, s in defs.items() if name not in parameter_only))
        for flavour, defs in passes.items()
    }
    schemas["public"][TOO_LARGE_SCHEMA] = TOO_LARGE_COMPONENT
    schemas["deployable"] |= _array_models(ops, input_names, schemas["deployable"])
    compiled = []
    resources: dict[str, Resource] = {}
    for op in ops:
        scopes = tuple(_scope(api.RESOURCE_SERVER, s) for s in op.scopes)
        groups = dict(sorted((_scope(api.RESOURCE_SERVER, s), s.group) for s in op.scopes if s.group))
        # Both flavours' parameters come from the exact pass (contract/inputs.py): the deployable pass has relaxed them.
        parameters = {
            flavour: inputs.parameters(op, input_names, exact, flavour == "deployable") for flavour in FLAVOURS
        }
        body = request_body(op.request)
        request, request_array = (None, None) if body is None else (input_names[body[0]], body[1])
        statuses: dict[int, Any] = dict(op.responses)
        binary = op.request if isinstance(op.request, Binary) else None
        if binary is not None:  # the handler's answers to a body over max_bytes, or of another media type
            statuses |= {status: statuses.get(status, Error) for status in (413, 415)}
        for status in (*op.errors, *GATEWAY_ERRORS, *(() if op.public else AUTH_ERRORS)):
            statuses.setdefault(status, Error)
        responses = {status: _response(op, status, body, names, exact) for status, body in sorted(statuses.items())}
        if responses[400].component == Error.__name__:
            # Each operation's 400 example names its own input, not one operation's for all.
            example_400 = bad_request(parameters["public"], request, exact, request_array is not None)
            responses[400] = replace(responses[400], example=example_400)
        rules = inputs.inputs(parameters["public"], request, exact, request_array)
        binary_rules = _binary_rules(binary, op.responses)
        if binary_rules:
            rules["binary"] = binary_rules
        compiled.append(
            CompiledOperation(
                operation_id=op.operation_id,
                method=op.method,
                path=op.path,
                path_names=op.path_names,
                summary=op.summary,
                description=op.description,
                tags=op.tags,
                handler=op.handler,
                package=f"{op.operation_id}.zip",
                scopes=scopes,
                scope_groups=groups,
                parameters=parameters,
                inputs=rules,
                request=request,
                request_array=request_array,
                responses=responses,
                access=tuple(sorted(access.value for access in op.kit_access)),
                write_mode=op.write_mode.value if op.write_mode else None,
                table_modes=tuple(sorted(mode.value for mode in op.table_modes)),
                grants={mode.value: _grants(op, mode) for mode in sorted(op.table_modes, key=lambda m: m.value)},
                calls=_calls(op, resources),
                retry=_retry(op),
                contract_types=_module(api.VERSION, {op.operation_id: _json(rules)}, {op.operation_id: scopes}, groups),
                binary_request=binary,
            )
        )
    every_group = {_scope(api.RESOURCE_SERVER, s): s.group for op in ops for s in op.scopes if s.group}
    return CompiledApi(
        title=api.TITLE,
        version=api.VERSION,
        description=api.DESCRIPTION,
        tags=dict(api.TAGS),
        servers=tuple(dict(server) for server in api.SERVERS),
        license=dict(api.LICENSE),
        contact=dict(api.CONTACT),
        resource_server=api.RESOURCE_SERVER,
        scopes=dict(sorted({s.name: s.description for op in ops for s in op.scopes}.items())),
        scope_groups=dict(sorted({s.name: s.group for op in ops for s in op.scopes if s.group}.items())),
        sent_as=dict(sorted({s.name: _scope(api.RESOURCE_SERVER, s) for op in ops for s in op.scopes}.items())),
        schemas=schemas,
        operations=tuple(compiled),
        triggers=_triggers(ops),
        trigger_contract_types=_module(
            api.VERSION,
            {},
            {op.operation_id: op.scopes for op in sorted(compiled, key=lambda op: op.operation_id)},
            dict(sorted(every_group.items())),
        ),
        environment=dict(ENVIRONMENT),
        table=TABLE,
        retry=RETRY,
        binary_media_types=tuple(
            sorted(
                {
                    t
                    for op in compiled
                    for r in (op.binary_request, *(v.binary for v in op.responses.values()))
                    if r
                    for t in r.media_types
                }
            )
        ),
    )
