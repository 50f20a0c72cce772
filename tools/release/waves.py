"""Roll a release out in waves: each region staged, shifted through its canary, then the wave baked.

A wave's regions are staged (the release's document and new function versions, serving nothing yet)
and shifted (a canary share of each function's traffic, then all of it: CodeDeploy on AWS); then the
wave bakes for `bake_seconds` while every region that got the release keeps its alarms green. An alarm
at any point stops the release and every region that got it goes back to the release it served before
(aliases and document); regions of later waves never got it. The state file records every step, so a
run that was interrupted resumes where it stopped (`--resume`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tools.release.artefacts import Release


class Backend(Protocol):
    """Where regions serve releases: AWS (tools/release/aws.py) or the local stack (devtools/lab/releases.py)."""

    def serving(self, region: str) -> str | None:
        """The id of the release the region serves (None: none recorded yet)."""

    def stage(self, region: str, release: Release) -> None:
        """Make the release deployable in the region without moving any traffic to it."""

    def shift(self, region: str, release: Release, log: Callable[[str], None]) -> bool:
        """Move the region's traffic to the release through its canary; False if an alarm stopped it
        (then the region's traffic is back on the previous release)."""

    def alarms(self, region: str) -> list[str]:
        """The names of the region's alarms in ALARM state."""

    def restore(self, region: str, previous: str | None) -> None:
        """Serve the previous release in the region again (traffic and document)."""

    def wait(self, seconds: float) -> None:
        """Let time pass (the local drill runs a scaled clock)."""

    def now(self) -> float:
        """Seconds on the backend's clock."""


class ReleaseStopped(Exception):
    """The release was stopped by an alarm and rolled back."""


@dataclass
class State:
    """What the state file records (build/releases/state.json)."""

    release: str
    waves: list[list[str]]
    previous: dict[str, str | None] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)
    """region -> staged | shifted | baked | rolled_back"""
    outcome: str = "running"
    """running | released | rolled_back"""

    def save(self, path: Path) -> None:
        """Write the state (atomically)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> State | None:
        """The saved state, or None."""
        if not path.is_file():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def parse_waves(spec: str | None, regions: list[str]) -> list[list[str]]:
    """`r1;r2,r3` -> [[r1], [r2, r3]]; default: the first region, then the rest. Every region exactly once."""
    if not regions:
        raise ValueError("no region to release to: give regions (REGIONS=us-east-1,us-west-2)")
    if not spec:
        return [regions[:1], regions[1:]] if len(regions) > 1 else [regions]
    waves = [[r.strip() for r in wave.split(",") if r.strip()] for wave in spec.split(";") if wave.strip()]
    named = [r for wave in waves for r in wave]
    unknown = sorted(set(named) - set(regions))
    if unknown:
        raise ValueError(f"WAVES names {', '.join(unknown)}, not among the regions {', '.join(regions)}: fix WAVES")
    if len(named) != len(set(named)) or set(named) != set(regions):
        raise ValueError(
            f"WAVES must name every region exactly once ({', '.join(regions)}),"
            f" e.g. '{regions[0]};{','.join(regions[1:])}'"
        )
    return waves


@dataclass
class Rollout:
    """One release over the waves, on a backend, recorded in a state file."""

    backend: Backend
    release: Release
    waves: list[list[str]]
    bake_seconds: float
    state_path: Path
    poll_seconds: float = 10.0
    out: Callable[[str], None] = print
    _start: float = 0.0

    def log(self, message: str) -> None:
        """One progress line, stamped with the backend's clock since the start."""
        self.out(f"[{self.backend.now() - self._start:7.1f}s] {message}")

    def run(self, resume: bool = False) -> State:
        """Run (or resume) the rollout; raises ReleaseStopped after a rollback."""
        self._start = self.backend.now()
        state = State.load(self.state_path)
        if state is not None and state.outcome == "running" and not resume:
            raise ValueError(
                f"release {state.release} is still in progress ({self.state_path}):"
                " resume it with RESUME=1, or restore its regions first"
            )
        if state is None or state.outcome != "running" or state.release != self.release.id:
            state = State(self.release.id, self.waves)
        for number, wave in enumerate(state.waves, start=1):
            self.log(f"wave {number}/{len(state.waves)}: {', '.join(wave)}")
            for region in wave:
                if state.regions.get(region) in ("shifted", "baked"):
                    self.log(f"  {region}: already {state.regions[region]} (resumed)")
                    continue
                if region not in state.previous:
                    state.previous[region] = self.backend.serving(region)
                if state.previous[region] == self.release.id:
                    self.log(f"  {region}: already serves {self.release.id}")
                    state.regions[region] = "baked"
                    state.save(self.state_path)
                    continue
                self.log(f"  {region}: staging {self.release.id} (serving {state.previous[region]})")
                self.backend.stage(region, self.release)
                state.regions[region] = "staged"
                state.save(self.state_path)
                if not self.backend.shift(region, self.release, self._region_log(region)):
                    self._roll_back(state, f"{region}: an alarm stopped the canary")
                state.regions[region] = "shifted"
                state.save(self.state_path)
            self._bake(state, wave)
            for region in wave:
                state.regions[region] = "baked"
            state.save(self.state_path)
        state.outcome = "released"
        state.save(self.state_path)
        self.log(f"released {self.release.id} to {', '.join(r for wave in state.waves for r in wave)}")
        return state

    def _region_log(self, region: str) -> Callable[[str], None]:
        return lambda message: self.log(f"  {region}: {message}")

    def _bake(self, state: State, wave: list[str]) -> None:
        reached = [r for r, status in state.regions.items() if status in ("shifted", "baked")]
        self.log(f"  bake {self.bake_seconds:g}s, watching the alarms of {', '.join(reached)}")
        end = self.backend.now() + self.bake_seconds
        while True:
            firing = {region: self.backend.alarms(region) for region in reached}
            firing = {region: names for region, names in firing.items() if names}
            if firing:
                what = "; ".join(f"{region}: {', '.join(names)}" for region, names in firing.items())
                self._roll_back(state, f"ALARM during the bake ({what})")
            left = end - self.backend.now()
            if left <= 0:
                break
            self.backend.wait(min(self.poll_seconds, left))
        self.log(f"  wave baked: {', '.join(wave)} green")

    def _roll_back(self, state: State, reason: str) -> None:
        self.log(f"STOP: {reason}")
        for region, status in list(state.regions.items()):
            if status in ("staged", "shifted", "baked") and state.previous.get(region) != self.release.id:
                self.log(f"  {region}: rolling back to {state.previous.get(region)}")
                self.backend.restore(region, state.previous.get(region))
                state.regions[region] = "rolled_back"
                state.save(self.state_path)
        state.outcome = "rolled_back"
        state.save(self.state_path)
        untouched = [r for wave in state.waves for r in wave if r not in state.regions]
        self.log(f"rolled back {self.release.id}; never reached: {', '.join(untouched) or 'none'}")
        raise ReleaseStopped(reason)
