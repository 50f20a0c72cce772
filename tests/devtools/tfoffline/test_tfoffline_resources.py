"""`make validate API=... RESOURCES=file.tfvars.json`: the team's own `resources` map reaches the plans (instead of
stand-in ARNs), so the plan-time refusals docs/calls.md lists are met before a deploy; the map is narrowed to the
regions of each smaller plan, never filled in."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from devtools.tfoffline.__main__ import validate
from devtools.tfoffline.harness import REPO_ROOT
from devtools.tfoffline.resources import narrowed, team_resources
from tools import package

if TYPE_CHECKING:
    from pathlib import Path

    from devtools.tfoffline.harness import Harness

ORDERS = REPO_ROOT / "examples" / "orders"
REGIONS = ["us-east-1", "eu-west-1"]


def _bus(region: str) -> str:
    return f"arn:aws:events:{region}:123456789012:event-bus/orders"


def test_tfoffline_resources_narrowed_keeps_the_plans_regions_and_never_fills_one_in() -> None:
    team = {"order_events": {"arns": {"us-east-1": _bus("us-east-1"), "eu-west-1": _bus("eu-west-1")}}}

    assert narrowed(team, ["us-east-1"]) == {"order_events": {"arns": {"us-east-1": _bus("us-east-1")}}}
    assert narrowed(team, ["us-west-2"]) == {"order_events": {"arns": {}}}  # missing: the plan refuses it


def test_tfoffline_resources_a_file_without_resources_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.tfvars.json"
    path.write_text(json.dumps({"regions": REGIONS}))
    with pytest.raises(ValueError, match=r"expected a \.tfvars\.json holding \{\"resources\""):
        team_resources(path)


@pytest.fixture(scope="module")
def zips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("orders-zips")
    assert package.main(["--out", str(out), "--api-root", str(ORDERS)]) == 0
    return out


@pytest.mark.parametrize(
    ("arns", "code", "printed"),
    [
        ({region: _bus(region) for region in REGIONS}, 0, "plan regions=[us-east-1,eu-west-1]: "),
        # a bus of another region: the plan-time check of the team's own map, which stand-ins never meet
        ({region: _bus("us-east-1") for region in REGIONS}, 1, "order_events in eu-west-1: arn:aws:events:us-east-1"),
    ],
)
def test_tfoffline_resources_the_teams_map_is_planned(
    harness: Harness,
    zips: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arns: dict[str, str],
    code: int,
    printed: str,
) -> None:
    # GIVEN the orders API (create_order calls its order_events bus) and the team's map in a .tfvars.json
    path = tmp_path / "resources.tfvars.json"
    path.write_text(json.dumps({"resources": {"order_events": {"arns": arns}}}))
    extra = {
        "openapi_path": str(ORDERS / "api" / "openapi.aws.json"),
        "routes_path": str(ORDERS / "api" / "routes.json"),
        "package_dir": str(zips),
    }

    # WHEN make validate API=examples/orders RESOURCES=<it> plans
    result = validate(harness, REPO_ROOT / "terraform", REGIONS, False, extra, resources_file=path)

    # THEN the good map plans and the bad one is refused by the plan
    out = capsys.readouterr().out
    assert (result, printed in " ".join(out.split())) == (code, True), out
