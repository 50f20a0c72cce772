"""The route manifest (api/routes.json): what Terraform, packaging and localapi read per operation.

A rendering of the compiled API (contract/compiled.py). Each operation's `inputs` are the rules its handler
checks at run time (the draft-4 schemas of lambdas/contract_types.INPUTS): `make package` writes them, and
only them, into that handler's zip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contract.compiled import CompiledApi


def render(api: CompiledApi) -> dict[str, Any]:
    """The manifest: functions, scopes, input rules and data access, keyed by operation_id."""
    return {
        "api_version": api.version,
        "title": api.title,
        "resource_server": {
            "identifier": api.resource_server,
            "scopes": api.scopes,
            # scope name => the Cognito group whose members alone may hold it (granted by the operator client)
            "scope_groups": api.scope_groups,
        },
        "operations": {
            op.operation_id: {
                "method": op.method,
                "path": op.path,
                "handler": op.handler,
                "package": op.package,
                "public": op.public,
                "inputs": op.inputs,
                "scopes": list(op.scopes),
                "access": list(op.access),
                "write_mode": op.write_mode,
                "home_region_actions": list(op.grants["EVENTUAL"].home_table) if "EVENTUAL" in op.grants else [],
                "serving_region_actions": list(op.grants["EVENTUAL"].serving_table) if "EVENTUAL" in op.grants else [],
                "table_modes": list(op.table_modes),
            }
            for op in sorted(api.operations, key=lambda op: op.operation_id)
        },
        "triggers": {
            name: {"handler": handler, "package": f"triggers.{name}.zip"} for name, handler in api.triggers.items()
        },
    }
