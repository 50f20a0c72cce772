"""Releases in Terraform: release_settings' rules (with their messages), and a region pinned to a kept
release directory planned beside a region on the tree (modules/api release.regions)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from devtools import hcl
from devtools.tfoffline.harness import Harness
from tools import tfcheck
from tools.release import artefacts

if TYPE_CHECKING:
    from pathlib import Path

REGIONAL = tfcheck.TERRAFORM_DIR / "modules" / "regional"
ROLE = "arn:aws:iam::123456789012:role/tftest-codedeploy"


def release_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The regional module's release_settings after its type and validations (Terraform evaluates them)."""
    variable = hcl.find(hcl.blocks(REGIONAL / "variables.tf"), "variable", "release_settings")
    evaluated: dict[str, Any] = hcl.evaluate(
        [variable.text], {"release_settings": {"codedeploy_role_arn": ROLE, **settings}}, {"s": "var.release_settings"}
    )["s"]
    return evaluated


def test_release_settings_default_to_a_ten_percent_canary_on_the_alias_live() -> None:
    settings = release_settings({})
    assert settings["alias_name"] == "live"
    assert settings["deployment_config"] == "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    assert settings["publish_timeout"] == "30m"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"alias_name": "12"},
            "release_settings.alias_name must be 1-128 letters, digits, - or _, and not only digits",
        ),
        ({"alias_name": "live!"}, "release_settings.alias_name must be 1-128 letters"),
        ({"deployment_config": "CodeDeployDefault.OneAtATime"}, "is not a Lambda configuration"),
        ({"publish_timeout": "30 minutes"}, "release_settings.publish_timeout must be a duration such as 30m"),
    ],
)
def test_release_settings_refuse_what_lambda_or_codedeploy_would(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(hcl.EvaluationError) as error:
        release_settings(settings)
    assert message in " ".join(str(error.value).split())


def test_release_settings_accept_a_custom_deployment_configuration() -> None:
    assert release_settings({"deployment_config": "my-linear"})["deployment_config"] == "my-linear"


def test_a_region_on_a_kept_release_plans_the_same_resources(tmp_path: Path) -> None:
    # GIVEN a kept release built from this tree (make release's directory) for us-east-1 only
    release = artefacts.build(tfcheck.ROOT / "api", tfcheck.ROOT / "build" / "lambdas", tmp_path)
    pinned = json.dumps({"regions": {"us-east-1": str(release.path)}})
    regions = json.dumps(["us-east-1", "us-east-2"])
    # WHEN the root is planned with and without it, and with a pin for a region not deployed
    plans = Harness(real=False).plans(
        tfcheck.TERRAFORM_DIR,
        [
            {"regions": regions},
            {"regions": regions, "release": pinned},
            {"regions": regions, "release": json.dumps({"regions": {"eu-west-1": str(release.path)}})},
        ],
    )
    # THEN the pinned region plans the same resources (aliases and deployment groups included) ...
    assert plans[0].run.ok and plans[1].run.ok, "\n".join(d for plan in plans for d in plan.diagnostics)
    assert plans[1].add == plans[0].add
    assert sorted(plans[1].creates) == sorted(plans[0].creates)
    groups = [a for a in plans[1].creates if ".aws_codedeploy_deployment_group.this[" in a]
    assert {a.split('"]')[0] for a in groups} == {
        'module.api.module.regional["us-east-1',
        'module.api.module.regional["us-east-2',
    }
    # ... and a pin for a region that is not deployed is refused, naming it
    assert not plans[2].run.ok
    assert "release.regions names a region that is not in regions: eu-west-1" in " ".join(
        " ".join(plans[2].diagnostics).split()
    )
