"""What the kit's handlers need from where they are deployed: their environment, the table, the triggers.

Declared here once and carried by the manifest (api/routes.json `environment`, `table`, `triggers`), which
Terraform, localapi and the tests read; tests tie the manifest to terraform/modules (lambda.tf's environment,
table.tf's keys) and to lambdas/aws.py's settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Variable:
    """One environment variable of every function: the deployment setting it carries, and what it means."""

    source: str
    """The setting (a Terraform variable of modules/regional, a localapi option) whose value it carries."""
    description: str


ENVIRONMENT: Final = {
    "TABLE_NAME": Variable("table_name", "Name of the DynamoDB global table."),
    "SECRET_ID": Variable("secret_name", "Name of the replicated application secret (the same in every region)."),
    "LOG_LEVEL": Variable("log_level", "Level of the structured JSON log (DEBUG, INFO, WARNING, ERROR)."),
    "HOME_REGION": Variable(
        "home_region", "Where home-region data is written: the first (primary) region of `regions`."
    ),
    "TABLE_CONSISTENCY": Variable(
        "table_consistency_mode", "The global table's consistency mode, EVENTUAL (MREC) or STRONG (MRSC)."
    ),
}
"""The kit's environment of every function (Lambda adds AWS_REGION); lambdas/aws.py `settings()` reads it."""


@dataclass(frozen=True)
class TableSchema:
    """The global table's layout, as terraform/modules/global/table.tf declares it."""

    partition_key: str
    sort_key: str
    key_type: str
    """DynamoDB attribute type of both keys (S: string)."""
    ttl_attribute: str
    stream_view_type: str


TABLE: Final = TableSchema(
    partition_key="pk", sort_key="sk", key_type="S", ttl_attribute="expires_at", stream_view_type="NEW_AND_OLD_IMAGES"
)

TRIGGERS: Final = {
    "pre_token_generation": "lambdas.triggers.pre_token_generation.handler",
    "canary": "lambdas.triggers.canary.handler",
}
"""Functions run by something else than the API: name => handler. The user pool's pre token generation trigger
(one function in the primary region, terraform/modules/global/trigger.tf) and the failover canary (one per region,
run every minute by EventBridge, terraform/modules/regional/failover.tf), compiled only for an API with a health
operation (contract/compiled.py `_health_operation`: its operation_id and path join the canary's manifest entry).
`make package` zips each as triggers.<name>.zip (no operation_id has a dot)."""
