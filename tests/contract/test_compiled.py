"""The compile step: any API module in, one frozen model out, one schema pass for both document flavours."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest

from contract import routes, schema
from contract.build import generate
from contract.compiled import FLAVOURS, RetryClass, compile_api
from contract.errors import ContractError
from contract.models.health import Health
from contract.models.items import IdempotencyHeaders, Item, ItemCreate, ItemPath
from contract.operation import Access, Operation, Scope, TableConsistency, WriteMode

if TYPE_CHECKING:
    from contract.compiled import ApiDeclaration

_DECLARATIONS = {
    name: getattr(routes, name)
    for name in ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE", "CONTACT", "TAGS", "RESOURCE_SERVER")
}


def _api(*ops: Operation, **overrides: Any) -> ApiDeclaration:
    """A second API, declared as a team would in its own module."""
    return SimpleNamespace(**{**_DECLARATIONS, "ROUTES": ops, **overrides})  # type: ignore[return-value]


READ = Scope("things.read", "Read things.")
READ_THING = Operation(
    method="GET",
    path="/v1/things/{itemId}",
    operation_id="get_thing",
    summary="Read a thing",
    description="One thing.",
    tags=("items",),
    path_params=ItemPath,
    responses={200: Item},
    scopes=(READ,),
    access=frozenset({Access.TABLE_GET_ITEM}),
)
CREATE_THING = Operation(
    method="POST",
    path="/v1/things",
    operation_id="create_thing",
    summary="Create a thing",
    description="A new thing.",
    tags=("items",),
    request=ItemCreate,
    header_params=IdempotencyHeaders,
    responses={201: Item},
    scopes=(Scope("things.write", "Create things.", group="makers"),),
    access=frozenset({Access.TABLE_GET_ITEM, Access.TABLE_PUT_ITEM}),
    write_mode=WriteMode.ANY_REGION,
    idempotent_create=True,
)
COUNT_THING = Operation(
    method="POST",
    path="/v1/counts",
    operation_id="count_thing",
    summary="Count",
    description="Counts.",
    tags=("health",),
    responses={200: Health},
    scopes=(READ,),
    access=frozenset({Access.TABLE_UPDATE_ITEM}),
    write_mode=WriteMode.HOME_REGION,
)


PUT_THING = Operation(
    method="PUT",
    path="/v1/things/{itemId}",
    operation_id="put_thing",
    summary="Replace a thing",
    description="Conditional write in the thing's home.",
    tags=("items",),
    path_params=ItemPath,
    request=ItemCreate,
    responses={200: Item},
    scopes=(READ,),
    access=frozenset({Access.TABLE_GET_ITEM, Access.TABLE_PUT_ITEM}),
    write_mode=WriteMode.YOUR_REGION,
)


def test_compile_api_takes_any_api_declaration() -> None:
    # GIVEN a team's API (not contract/routes.py) with its own resource server
    api = compile_api(_api(READ_THING, CREATE_THING, RESOURCE_SERVER="orders"))
    # THEN its operations, scopes as sent and scope groups are its own
    assert [op.operation_id for op in api.operations] == ["get_thing", "create_thing"]
    assert api.operations[0].scopes == ("orders/things.read",)
    assert api.operations[1].scope_groups == {"orders/things.write": "makers"}
    assert api.scope_groups == {"things.write": "makers"}
    # AND the parameter models are no components, in either flavour
    assert all("ItemPath" not in api.schemas[flavour] for flavour in FLAVOURS)
    assert [p["name"] for p in api.operations[0].parameters["public"]] == ["itemId"]


def test_generate_renders_a_second_api_through_the_same_function() -> None:
    files = generate(_api(READ_THING, CREATE_THING, RESOURCE_SERVER="orders"))
    assert '"orders/things.read"' in files[next(path for path in files if path.name == "routes.json")]


def test_one_schema_pass_for_both_flavours_parameters_included() -> None:
    with mock.patch.object(schema, "models_json_schema", wraps=schema.models_json_schema) as passes:
        generate()
    assert passes.call_count == 1  # the deployable schemas are deployable_form of the public pass


def test_an_undescribed_tag_is_refused() -> None:
    with pytest.raises(ContractError, match=r"\(get_thing\): tag 'items' is not in TAGS: add 'items'"):
        compile_api(_api(READ_THING, TAGS={}))


def test_an_operation_declared_twice_is_refused() -> None:
    with pytest.raises(ContractError, match=r"GET /v1/things/\{itemId\} \(get_thing\): declared twice"):
        compile_api(_api(READ_THING, READ_THING))


@pytest.mark.parametrize(
    "declared", (*routes.ROUTES, READ_THING, CREATE_THING, COUNT_THING, PUT_THING), ids=lambda op: op.operation_id
)
def test_grants_split_the_table_calls_between_the_serving_and_the_home_replica(declared: Operation) -> None:
    op = compile_api(_api(declared)).operations[0]
    table = {access.value for access in declared.access if access.value.startswith("dynamodb:")}
    eventual, strong = op.grants[TableConsistency.EVENTUAL.value], op.grants[TableConsistency.STRONG.value]
    # On a STRONG table every call stays in the serving region's replica (no cross-region call).
    assert (set(strong.serving_table), strong.home_table) == (table, ())
    # On an EVENTUAL table home-region data lives in the primary's replica only; your-region data is read in the
    # serving replica and written in its entity's home (any region's), a keyed create's record in the caller's
    # home (its item copied where it was answered); everything else in the serving region.
    assert set(eventual.serving_table) | set(eventual.home_table) == table
    if declared.write_mode is WriteMode.HOME_REGION:
        assert (eventual.serving_table, eventual.home_replicas) == ((), "primary")
    elif declared.write_mode is WriteMode.YOUR_REGION or declared.idempotent_create:
        assert set(eventual.home_table) == set(eventual.serving_table) == table
        assert eventual.home_replicas == "entity"
    else:
        assert eventual.home_table == ()


def test_retry_class_follows_the_method_and_the_idempotency_key() -> None:
    api = compile_api(_api(READ_THING, CREATE_THING, COUNT_THING))
    assert [op.retry for op in api.operations] == [
        RetryClass.SAFE,
        RetryClass.WITH_IDEMPOTENCY_KEY,
        RetryClass.NEVER,
    ]


def test_the_zip_module_holds_its_own_operation_only() -> None:
    api = compile_api(_api(READ_THING, CREATE_THING, RESOURCE_SERVER="orders"))
    module: dict[str, Any] = {}
    exec(api.operations[1].contract_types, module)
    assert set(module["INPUTS"]) == set(module["SCOPES"]) == {"create_thing"}
    assert module["SCOPE_GROUPS"] == {"orders/things.write": "makers"}
    assert module["INPUTS"]["create_thing"] == api.operations[1].inputs


STATUS = Operation(
    method="GET",
    path="/v1/status",
    operation_id="get_status",
    summary="Health of the serving region",
    description="The region's table and secret.",
    tags=("health",),
    responses={200: Health, 503: Health},
    scopes=(),
    access=frozenset({Access.TABLE_DESCRIBE, Access.TABLE_GET_ITEM, Access.SECRET_GET_VALUE}),
)


def test_the_canary_stands_in_for_the_health_operation_wherever_its_path_is() -> None:
    # GIVEN an API whose health operation is GET /v1/status (not /health)
    api = compile_api(_api(READ_THING, STATUS))
    # THEN the canary's facts name it: Terraform gives the canary its grants and requests its path
    assert api.triggers["canary"]["operation_id"] == "get_status"
    assert api.triggers["canary"]["path"] == "/v1/status"
    assert api.triggers["canary"]["package"] == "triggers.canary.zip"
    assert "operation_id" not in api.triggers["pre_token_generation"]


def test_an_api_without_a_health_operation_has_no_canary() -> None:
    # a POST answering Health, or a GET with a token, is no health operation
    api = compile_api(_api(READ_THING, COUNT_THING))
    assert sorted(api.triggers) == ["pre_token_generation"]


def test_two_health_operations_are_refused() -> None:
    second = dataclasses.replace(STATUS, path="/v1/ping2", operation_id="get_ping")
    with pytest.raises(ContractError, match="get_status, get_ping: each answers Health"):
        compile_api(_api(STATUS, second))
