"""Stand-in values of Terraform's `resources` for offline plans and tests (no real account has these resources)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

STAND_IN_ACCOUNT = "123456789012"


STAND_IN_ACCOUNT = "123456789012"


def stand_in_resources(routes_path: Path, regions: list[str]) -> dict[str, dict[str, dict[str, str]]]:
    """Terraform's `resources` for a plan: an ARN of its declared type (api/routes.json `calls` arn_format) per region
    for every resource the manifest's calls name, made up (partition aws, a fixed account, the resource's name)."""
    resources: dict[str, dict[str, dict[str, str]]] = {}
    for operation in json.loads(routes_path.read_text())["operations"].values():
        for call in operation.get("calls", []):
            arns = {}
            for region in regions:
                arn = call["arn_format"].replace("${Partition}", "aws").replace("${Region}", region)
                arn = arn.replace("${Account}", STAND_IN_ACCOUNT)
                arns[region] = re.sub(r"\$\{[A-Za-z]+\}", call["resource"].replace("_", "-"), arn)
            resources[call["resource"]] = {"arns": arns}
    return resources
