"""Terraform's `resources` for offline plans: stand-in values (no real account has these resources), or the team's own
map (`make validate API=... RESOURCES=file.tfvars.json`) narrowed to each plan's regions."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

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


def team_resources(path: Path) -> dict[str, Any]:
    """The `resources` value of a Terraform variables file in JSON (`*.tfvars.json`, which `terraform plan -var-file`
    reads too): the team's own map, checked by the plan as the deployment's would be."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"RESOURCES={path}: not a readable JSON file ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), dict):
        raise ValueError(
            f'RESOURCES={path}: expected a .tfvars.json holding {{"resources": {{<name>: {{"arns": ...}}}}}}'
        )
    return dict(data["resources"])


def narrowed(resources: dict[str, Any], regions: list[str]) -> dict[str, Any]:
    """The team's map for a plan of fewer regions than the deployment's: the ARNs and keys of those regions only (a
    region of the map that a plan does not hold would be refused as "not in regions"). A region the plan holds and the
    map lacks stays missing, so the plan refuses it as it would on deploy."""
    out: dict[str, Any] = {}
    for name, entry in resources.items():
        if not isinstance(entry, dict):
            out[name] = entry  # Terraform's type check names it
            continue
        out[name] = {
            **entry,
            **{
                key: {region: arn for region, arn in entry[key].items() if region in regions}
                for key in ("arns", "kms_key_arns")
                if isinstance(entry.get(key), dict)
            },
        }
    return out
