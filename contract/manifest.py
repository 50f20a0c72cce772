"""The route manifest (api/routes.json): what Terraform and the packaging need per operation.

Each operation's `inputs` are the rules its handler checks at run time (the draft-4 schemas of
lambdas/contract_types.INPUTS): `make package` writes them, and only them, into that handler's zip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from contract import routes
from contract.handler_types import operation_inputs

if TYPE_CHECKING:
    from contract.operation import Operation


TRIGGERS: Final = {"pre_token_generation": "lambdas.triggers.pre_token_generation.handler"}
"""The user pool's Lambda triggers: name => handler. Terraform creates one function each in the primary region
(terraform/modules/global/trigger.tf) and `make package` zips it as triggers.<name>.zip (no operation_id has a dot)."""


def render(ops: tuple[Operation, ...], schemas: dict[str, Any]) -> dict[str, Any]:
    """The manifest: functions, scopes, input rules and data access, keyed by operation_id; `schemas` are
    the public document's component schemas (the build's one pass over the models)."""
    scopes = {scope.name: scope.description for op in ops for scope in op.scopes}
    groups = {scope.name: scope.group for op in ops for scope in op.scopes if scope.group is not None}
    return {
        "api_version": routes.VERSION,
        "title": routes.TITLE,
        "resource_server": {
            "identifier": routes.RESOURCE_SERVER,
            "scopes": dict(sorted(scopes.items())),
            # scope name => the Cognito group whose members alone may hold it (granted by the operator client)
            "scope_groups": dict(sorted(groups.items())),
        },
        "operations": {
            op.operation_id: {
                "method": op.method,
                "path": op.path,
                "handler": op.handler,
                "package": f"{op.operation_id}.zip",
                "public": op.public,
                "inputs": operation_inputs(op, schemas),
                "scopes": [f"{routes.RESOURCE_SERVER}/{scope.name}" for scope in op.scopes],
                "access": sorted(access.value for access in op.access),
                "write_mode": op.write_mode.value if op.write_mode else None,
                "home_region_actions": [f"dynamodb:{action}" for action in op.home_region_actions],
                "home_replicas": op.home_replicas,
                "serving_region_actions": [f"dynamodb:{action}" for action in op.serving_region_actions],
                "table_modes": sorted(mode.value for mode in op.table_modes),
            }
            for op in sorted(ops, key=lambda op: op.operation_id)
        },
        "triggers": {
            name: {"handler": handler, "package": f"triggers.{name}.zip"} for name, handler in TRIGGERS.items()
        },
    }
