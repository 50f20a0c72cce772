"""tools/release/waves.py: waves in order, bake on alarms, rollback of every region the release reached, resume."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from tools.release.artefacts import Release
from tools.release.waves import ReleaseStopped, Rollout, State, parse_waves

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


@dataclass
class FakeBackend:
    """Regions as a dict; an alarm fires in `failing` once it serves the release; a clock that only moves on wait."""

    serves: dict[str, str]
    failing: set[str] = field(default_factory=set)
    fail_in_canary: bool = True
    clock: float = 0.0
    calls: list[str] = field(default_factory=list)

    def serving(self, region: str) -> str | None:
        return self.serves[region]

    def stage(self, region: str, release: Release) -> None:
        self.calls.append(f"stage {region}")

    def shift(self, region: str, release: Release, log: Callable[[str], None]) -> bool:
        self.calls.append(f"shift {region}")
        if region in self.failing and self.fail_in_canary:
            return False
        self.serves[region] = release.id
        return True

    def alarms(self, region: str) -> list[str]:
        return ["5xx-rate"] if region in self.failing and self.serves[region] == "new" else []

    def restore(self, region: str, previous: str | None) -> None:
        self.calls.append(f"restore {region}")
        self.serves[region] = previous or "none"

    def wait(self, seconds: float) -> None:
        self.clock += seconds

    def now(self) -> float:
        return self.clock


REGIONS = ["r1", "r2", "r3"]


def rollout(backend: FakeBackend, tmp_path: Path, lines: list[str] | None = None) -> Rollout:
    release = Release("new", tmp_path)
    out = (lines if lines is not None else []).append
    return Rollout(backend, release, [["r1"], ["r2", "r3"]], 600, tmp_path / "state.json", poll_seconds=60, out=out)


def test_rollout_releases_wave_by_wave_after_each_bake(tmp_path: Path) -> None:
    backend = FakeBackend(dict.fromkeys(REGIONS, "old"))
    state = rollout(backend, tmp_path).run()
    assert backend.calls == ["stage r1", "shift r1", "stage r2", "shift r2", "stage r3", "shift r3"]
    assert backend.clock == 1200  # two bakes of 600 s
    assert state.outcome == "released"
    assert backend.serves == dict.fromkeys(REGIONS, "new")


def test_rollout_stops_in_the_first_wave_and_never_reaches_the_rest(tmp_path: Path) -> None:
    # GIVEN a release whose canary trips r1's alarm
    backend = FakeBackend(dict.fromkeys(REGIONS, "old"), failing={"r1"})
    lines: list[str] = []
    # WHEN it is rolled out
    with pytest.raises(ReleaseStopped):
        rollout(backend, tmp_path, lines).run()
    # THEN r1 is restored, r2 and r3 were never staged, and the state says so
    assert backend.calls == ["stage r1", "shift r1", "restore r1"]
    assert backend.serves == dict.fromkeys(REGIONS, "old")
    state = State.load(tmp_path / "state.json")
    assert state is not None
    assert state.outcome == "rolled_back"
    assert state.regions == {"r1": "rolled_back"}
    assert any("never reached: r2, r3" in line for line in lines)


def test_rollout_rolls_back_every_reached_region_on_an_alarm_during_a_later_bake(tmp_path: Path) -> None:
    backend = FakeBackend(dict.fromkeys(REGIONS, "old"), failing={"r3"}, fail_in_canary=False)
    with pytest.raises(ReleaseStopped):
        rollout(backend, tmp_path).run()
    assert [c for c in backend.calls if c.startswith("restore")] == ["restore r1", "restore r2", "restore r3"]
    assert backend.serves == dict.fromkeys(REGIONS, "old")


def test_rollout_resumes_after_the_regions_already_done(tmp_path: Path) -> None:
    # GIVEN a run interrupted after wave 1 was baked
    State("new", [["r1"], ["r2", "r3"]], {"r1": "old"}, {"r1": "baked"}).save(tmp_path / "state.json")
    backend = FakeBackend({"r1": "new", "r2": "old", "r3": "old"})
    # WHEN it is resumed (and refused without --resume)
    with pytest.raises(ValueError, match="still in progress"):
        rollout(backend, tmp_path).run()
    rollout(backend, tmp_path).run(resume=True)
    # THEN only the second wave is staged
    assert backend.calls == ["stage r2", "shift r2", "stage r3", "shift r3"]


def test_parse_waves_defaults_to_the_first_region_then_the_rest() -> None:
    assert parse_waves(None, REGIONS) == [["r1"], ["r2", "r3"]]
    assert parse_waves(None, ["r1"]) == [["r1"]]
    assert parse_waves("r2;r1,r3", REGIONS) == [["r2"], ["r1", "r3"]]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("r1;r2", "must name every region exactly once"),
        ("r1;r2,r3,r4", "WAVES names r4"),
        ("r1;r1,r2,r3", "exactly once"),
    ],
)
def test_parse_waves_refuses_a_wave_plan_that_misses_or_repeats_a_region(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_waves(spec, REGIONS)
