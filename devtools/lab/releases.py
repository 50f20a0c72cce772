"""Two releases side by side in a region: each function run from its own zip, a weighted alias in front,
and the region's 5xx-rate alarm evaluated as CloudWatch does; the local backend of `make release`.

On AWS a region serves a release through each function's alias `live`: CodeDeploy gives the new
version a share of the alias's traffic (the alias's routing config, Lambda guide
configuration-aliases: "weighted alias"), then all of it, and points the alias back at the old version
when an alarm fires (codedeploy userguide, deployments-rollback-and-redeploy). Locally a region's front
(RegionFront) splits requests between the gateway of the release it serves and the gateway of the new
one by the same weight, and keeps the region's alarm (Alarm): the average of a 0/1 5xx metric per
period, ALARM when `datapoints_to_alarm` of the last `evaluation_periods` periods exceed the threshold,
missing data not breaching (terraform/modules/regional/alarms.tf server_error_rate).
"""

from __future__ import annotations

import importlib
import random
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from devtools.lab.router import forward
from localapi.apigateway.server import Server
from localapi.regional import RegionProcess
from tools.release import artefacts

if TYPE_CHECKING:
    from collections.abc import Callable

    from devtools.lab.cluster import LocalApi
    from localapi.apigateway.events import IncomingRequest
    from localapi.apigateway.responses import HttpResponse
    from tools.release.artefacts import Release

RELEASE_HEADER: Final = "x-localapi-release"
_IMPORT_LOCK = threading.Lock()


class ReleaseCode:
    """The handlers of a release directory, each imported from its own zip as its own function.

    Each zip carries its own copy of lambdas/ (and its own contract_types), as each Lambda function does;
    a handler is imported with only its zip's `lambdas` package visible, then the package is put aside,
    so two functions (or two releases) never share a module. The handlers import nothing lazily."""

    def __init__(self, release_dir: Path) -> None:
        self.release_dir = release_dir
        self._handlers: dict[str, Callable[[dict[str, Any], Any], Any]] = {}

    def handler(self, dotted: str) -> Callable[[dict[str, Any], Any], Any]:
        """The function `lambdas.handlers.<operation_id>.handler`, from <release>/lambdas/<operation_id>.zip."""
        with _IMPORT_LOCK:
            if dotted not in self._handlers:
                module, _, name = dotted.rpartition(".")
                code = self._extract(module.split(".")[-1])
                saved = {k: sys.modules.pop(k) for k in list(sys.modules) if k == "lambdas" or k.startswith("lambdas.")}
                sys.path.insert(0, str(code))
                try:
                    self._handlers[dotted] = getattr(importlib.import_module(module), name)
                finally:
                    sys.path.remove(str(code))
                    for key in [k for k in sys.modules if k == "lambdas" or k.startswith("lambdas.")]:
                        del sys.modules[key]
                    sys.modules.update(saved)
            return self._handlers[dotted]

    def _extract(self, operation_id: str) -> Path:
        target = self.release_dir / ".code" / operation_id
        if target.is_dir():
            return target
        # Every region process of a release extracts the same zips at the same moment: each unpacks into
        # its own staging folder beside the target and renames it in one step, so nobody sees a half tree.
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{operation_id}.", suffix=".tmp", dir=target.parent))
        try:
            with zipfile.ZipFile(self.release_dir / artefacts.CODE / f"{operation_id}.zip") as archive:
                archive.extractall(staging)
            staging.rename(target)
        except OSError:
            # another process renamed its complete copy first (rename(2) refuses a non-empty target): use it
            if not target.is_dir():
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return target


@dataclass
class Alarm:
    """A CloudWatch metric alarm on the average of a 0/1 metric (5XXError) per period."""

    threshold: float
    period: float
    evaluation_periods: int
    datapoints_to_alarm: int
    clock: Callable[[], float] = time.monotonic
    _periods: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, server_error: bool) -> None:
        """One request: a 5xx or not."""
        with self._lock:
            bucket = self._periods[int(self.clock() // self.period)]
            bucket[0] += int(server_error)
            bucket[1] += 1

    def reset(self) -> None:
        """Forget the datapoints (a new deployment's alarm starts OK)."""
        with self._lock:
            self._periods.clear()

    @property
    def state(self) -> str:
        """ALARM or OK over the last complete periods (a period without requests is not breaching)."""
        current = int(self.clock() // self.period)
        with self._lock:
            breaching = 0
            for index in range(current - self.evaluation_periods, current):
                errors, total = self._periods.get(index, (0, 0))
                breaching += int(total > 0 and errors / total > self.threshold)
        return "ALARM" if breaching >= self.datapoints_to_alarm else "OK"


@dataclass
class Served:
    """What a region answered, per release: for the drill's timeline."""

    release: str
    status: int
    at: float


class RegionFront:
    """A region's stage in front of its functions' alias: the release served, and the canary's weight."""

    def __init__(self, region: str, release: str, url: str, alarm: Alarm, seed: int = 0) -> None:
        self.region = region
        self.stable = (release, url)
        self.canary: tuple[str, str] | None = None
        self.weight = 0.0
        self.alarm = alarm
        self.served: list[Served] = []
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def route(self, release: str, url: str, weight: float) -> None:
        """Give `release` at `url` `weight` of the traffic (CodeDeploy's alias routing config)."""
        with self._lock:
            self.canary, self.weight = (release, url), weight

    def promote(self) -> None:
        """All traffic to the canary's release (the deployment's last step)."""
        with self._lock:
            if self.canary is not None:
                self.stable, self.canary, self.weight = self.canary, None, 0.0

    def serve(self, release: str, url: str) -> None:
        """All traffic to `release` at `url`, no canary (a region put back on an earlier release)."""
        with self._lock:
            self.stable, self.canary, self.weight = (release, url), None, 0.0

    def roll_back(self) -> None:
        """No traffic to the canary's release (CodeDeploy's automatic rollback)."""
        with self._lock:
            self.canary, self.weight = None, 0.0

    def handle(self, request: IncomingRequest, host: str = "127.0.0.1", port: int = 0) -> HttpResponse:
        """Forward to the stable or the canary release, record the outcome for the alarm."""
        with self._lock:
            use_canary = self.canary is not None and self._random.random() < self.weight
            release, url = self.canary if use_canary and self.canary is not None else self.stable
        response = forward(url, request)
        response.headers.append((RELEASE_HEADER, release))
        self.alarm.record(response.status >= 500)
        with self._lock:
            self.served.append(Served(release, response.status, time.monotonic()))
        return response


@dataclass
class CanarySteps:
    """A CodeDeploy Lambda canary (TimeBasedCanary): `percent` for `interval` seconds, then all."""

    percent: float = 10.0
    interval: float = 300.0
    poll: float = 10.0


class LocalBackend:
    """The local stack as a release backend (tools/release/waves.Backend): one front per region.

    Time runs `time_scale` times faster than the AWS figures it is given (alarm periods, canary
    interval, bake), so a drill of minutes on AWS takes seconds here."""

    def __init__(
        self,
        local: LocalApi,
        first: Release,
        find: Callable[[str], Release],
        alarm: Alarm,
        canary: CanarySteps,
    ) -> None:
        self.local = local
        self.find = find
        self.canary = canary
        self.fronts: dict[str, RegionFront] = {}
        self.servers: dict[str, Server] = {}
        self.gateways: dict[tuple[str, str], RegionProcess] = {}
        for number, region in enumerate(local.options.regions):
            region_alarm = Alarm(alarm.threshold, alarm.period, alarm.evaluation_periods, alarm.datapoints_to_alarm)
            front = RegionFront(region, first.id, self._gateway(region, first).url, region_alarm, seed=number)
            self.fronts[region] = front
            self.servers[region] = Server(front, 0, name=f"localapi-{region}-alias").start()
            # Route 53 and the router now reach the region through its front (its stage and aliases)
            local.router.add_region(region, self.servers[region].url)

    def _gateway(self, region: str, release: Release) -> RegionProcess:
        key = (region, release.id)
        if key not in self.gateways:
            env = self.local.gateway_environment(region)
            self.gateways[key] = RegionProcess(
                region, env, self.local.cognito, release.path, ("--release-dir", str(release.path))
            )
        return self.gateways[key]

    def serving(self, region: str) -> str | None:
        """The release every request of the region goes to (outside a canary)."""
        return self.fronts[region].stable[0]

    def stage(self, region: str, release: Release) -> None:
        """Start the release's gateway in the region: deployable, no traffic yet."""
        self._gateway(region, release)

    def shift(self, region: str, release: Release, log: Callable[[str], None]) -> bool:
        """The canary: `percent` of the traffic for `interval`, watched by the alarm, then all."""
        front = self.fronts[region]
        front.alarm.reset()
        front.route(release.id, self._gateway(region, release).url, self.canary.percent / 100)
        log(f"canary {self.canary.percent:g}% on {release.id} for {self.canary.interval:g}s")
        end = time.monotonic() + self.canary.interval
        while time.monotonic() < end:
            if front.alarm.state == "ALARM":
                front.roll_back()
                log(f"ALARM {region} 5xx-rate: canary stopped, alias back on {front.stable[0]} (automatic rollback)")
                return False
            time.sleep(min(self.canary.poll, max(0.0, end - time.monotonic())))
        front.promote()
        log(f"100% on {release.id}")
        return True

    def alarms(self, region: str) -> list[str]:
        """The region's 5xx-rate alarm, when in ALARM."""
        return [f"{region}-5xx-rate"] if self.fronts[region].alarm.state == "ALARM" else []

    def restore(self, region: str, previous: str | None) -> None:
        """Serve `previous` again in the region (its gateway is still there: nothing rebuilt)."""
        front = self.fronts[region]
        if previous is None or front.stable[0] == previous:
            front.roll_back()
            return
        front.serve(previous, self._gateway(region, self.find(previous)).url)

    def wait(self, seconds: float) -> None:
        """Sleep."""
        time.sleep(seconds)

    def now(self) -> float:
        """The monotonic clock."""
        return time.monotonic()

    def stop(self) -> None:
        """Stop the router's health checks, then the fronts and the release gateways."""
        # The router checks the regions through these fronts: left running, it would report every region
        # UNHEALTHY as they stop (a teardown artefact, not an outage). LocalApi.stop stops it again, harmlessly.
        self.local.router.stop()
        for server in self.servers.values():
            server.stop()
        for gateway in self.gateways.values():
            gateway.stop()
