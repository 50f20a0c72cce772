"""`make release` refuses what it cannot run with one line naming the fix (exit 2), before building anything."""

from __future__ import annotations

import pytest

from tools.release.__main__ import first_waves, main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--regions", "us-east-1", "--terraform", "no-such-terraform"],
            "no-such-terraform not found: install Terraform",
        ),
        (["--regions", "us-east-1,us-west-2", "--waves", "us-east-1;eu-west-1"], "WAVES names eu-west-1"),
        (["--regions", ","], "no region to release to"),
    ],
)
def test_release_refuses_in_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("make release: ")
    assert message in err


class Deployment:
    """A deployment whose pins and plan outcome the test sets."""

    def __init__(self, pins: dict[str, str], deployed: bool | None) -> None:
        self.pins = pins
        self._deployed = deployed

    def serving(self, region: str) -> str | None:
        return self.pins.get(region)

    def deployed(self) -> bool | None:
        return self._deployed


REGIONS = ["r1", "r2", "r3"]
WAVES = [["r1"], ["r2", "r3"]]


def test_a_release_after_the_first_goes_in_its_waves() -> None:
    assert first_waves(Deployment({"r1": "old"}, deployed=False), "new", REGIONS, WAVES) == WAVES


def test_the_first_deployment_creates_every_region_in_one_wave(capsys: pytest.CaptureFixture[str]) -> None:
    # nothing serves yet (empty state): no caller can meet the release, and there is nothing to stay on
    assert first_waves(Deployment({}, deployed=None), "new", REGIONS, WAVES) == [REGIONS]
    assert "first deployment: nothing serves yet" in capsys.readouterr().out


def test_the_first_release_of_the_applied_tree_records_it_in_one_wave() -> None:
    assert first_waves(Deployment({}, deployed=True), "new", REGIONS, WAVES) == [REGIONS]


def test_the_first_release_of_another_tree_than_the_applied_one_is_refused() -> None:
    # GIVEN regions deployed by a plain terraform apply of another tree: the first wave's apply would change all
    with pytest.raises(ValueError, match="a release would reach every region at once"):
        first_waves(Deployment({}, deployed=False), "new", REGIONS, WAVES)
