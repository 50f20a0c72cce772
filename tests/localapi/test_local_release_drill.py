"""make release-drill on two regions: the good release reaches both waves, the broken one only the first,
where its 5xx-rate alarm rolls it back; callers with the retry policy see no error they could not retry."""

from __future__ import annotations

import re

import pytest

from devtools.lab import release_drill as drill


@pytest.mark.slow
def test_release_drill_stops_a_broken_release_in_the_first_wave(capsys: pytest.CaptureFixture[str]) -> None:
    # WHEN the drill runs on two regions with a short bake (two scaled minutes)
    code = drill.main(["--regions", "us-east-1,us-west-2", "--bake-minutes", "2"])
    out = capsys.readouterr().out
    # THEN it passes its own checks, and its output shows both releases' fates
    assert code == 0, out
    good, bad = re.search(r"B=(\w+) \(good\), C=(\w+) \(broken", out).groups()  # type: ignore[union-attr]
    assert f"released {good} to us-east-1, us-west-2" in out
    assert "STOP: " in out
    assert f"rolled back {bad}; never reached: us-west-2" in out
    assert f"broken release {bad} served in: us-east-1 (first wave: us-east-1)" in out
    assert "errors they could not retry: 0" in out
