"""The route manifest (api/routes.json): what Terraform, packaging and localapi read, per operation and for all.

A rendering of the compiled API (contract/compiled.py), so its readers look facts up and derive none: each
operation's `grants` per table mode and its `calls` are its IAM statements (terraform/modules/global/iam.tf), its
`contract_types` the source of its zip's lambdas/contract_types.py (its own `inputs`, `scopes` and scope
groups; tools/package.py copies it), and `environment` and `table` what Terraform, localapi and the tests
give every function.
"""

from __future__ import annotations

from dataclasses import asdict
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
            # scope name => the scope as tokens carry it
            "sent_as": api.sent_as,
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
                "table_modes": list(op.table_modes),
                "grants": {mode: asdict(grants) for mode, grants in op.grants.items()},
                # its calls to the team's own resources: Terraform's `resources` gives each one's ARN per region
                "calls": [asdict(call) for call in op.calls],
                "retry": op.retry.value,
                "contract_types": op.contract_types,
            }
            for op in sorted(api.operations, key=lambda op: op.operation_id)
        },
        "triggers": {
            name: {**facts, "contract_types": api.trigger_contract_types} for name, facts in api.triggers.items()
        },
        "environment": {name: asdict(variable) for name, variable in api.environment.items()},
        "table": asdict(api.table),
        "retry_policy": asdict(api.retry),
        "binary_media_types": list(api.binary_media_types),
    }
