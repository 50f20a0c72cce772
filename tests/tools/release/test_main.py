"""`make release` refuses what it cannot run with one line naming the fix (exit 2), before building anything."""

from __future__ import annotations

import pytest

from tools.release.__main__ import main


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
