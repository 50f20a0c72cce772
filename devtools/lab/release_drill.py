"""`make release-drill`: a good release through every wave, then a broken one stopped in the first.

On the local multi-region stack (localapi), with the kit's AWS figures scaled 30:1 (two local seconds
stand for one minute): the 5xx-rate alarm as modules/regional declares it (average over 60 s periods
> 5 %, 3 of 5 periods), CodeDeploy's LambdaCanary10Percent5Minutes, a 10-minute bake per wave. Every
region starts on release A (this tree's zips); B is A renumbered (a zip comment: same code); C is A with
every function but the health check's made to raise (the health check keeps
answering so the release alarm, not a regional failover, is what catches it). Callers beside each region
follow the documented retry policy (devtools/lab/client.py) throughout. The drill fails (exit 1) when a
caller sees an error it could not retry, when B is served outside the first wave, or when the stack
does not end on the good release everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections import Counter
from pathlib import Path
from typing import Final

from devtools.lab.client import RetryPolicy, call_with_retries
from devtools.lab.cluster import LocalApi, Options
from devtools.lab.releases import Alarm, CanarySteps, LocalBackend, Served
from devtools.lab.router import LOCATION_HEADER
from tools.release import artefacts
from tools.release.waves import ReleaseStopped, Rollout, parse_waves

SCALE: Final = 30.0
"""AWS seconds per drill second: a 60 s alarm period is 2 s here, enough requests per period for a 10 % canary."""
BREAK: Final = """

# make release-drill: a deliberately broken release (devtools/lab/release_drill.py)
_drill_operation = operation


def operation(operation_id: str) -> Callable[[Endpoint], LambdaHandler]:  # type: ignore[no-redef]
    decorate = _drill_operation(operation_id)

    def broken(endpoint: Endpoint) -> LambdaHandler:
        decorate(endpoint)

        def fail(event: dict[str, Any], context: Any) -> dict[str, Any]:
            raise RuntimeError("release drill: this release is broken")

        return fail

    return broken
"""


def variant(source: artefacts.Release, work: Path, releases: Path, broken: bool) -> artefacts.Release:
    """A release from `source`'s files: broken (every function but the health check's raises) or only
    renumbered (a zip comment: same code, another content address)."""
    package = work / ("broken" if broken else "good")
    package.mkdir(parents=True)
    manifest = json.loads((source.path / artefacts.MANIFEST).read_text(encoding="utf-8"))
    health = manifest["triggers"].get("canary", {}).get("operation_id")  # the contract's health operation, if any
    spared = {manifest["operations"][health]["package"]} if health else set()
    for path in source.zips:
        with zipfile.ZipFile(path) as original, zipfile.ZipFile(package / path.name, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in original.infolist():
                data = original.read(info)
                if broken and path.name not in spared and info.filename == "lambdas/runtime/operation.py":
                    data += BREAK.encode()
                copy.writestr(info, data)
            copy.comment = b"release drill: " + (b"broken" if broken else b"good")
    return artefacts.build(source.path, package, releases)


class Callers:
    """One caller beside each region, calling every GET the token may call, with the retry policy."""

    def __init__(self, local: LocalApi, regions: list[str]) -> None:
        self.local = local
        self.regions = regions
        token = local.token()
        scopes = set(local.cognito.scopes if local.cognito else ())
        ops = [op for op in local.api.operations.values() if op.method == "GET" and "{" not in op.path]
        # the app's calls; the health operation is the monitors' (manifest triggers.canary)
        health = local.api.triggers.get("canary", {}).get("path")
        self.paths = [op.path for op in ops if op.path != health and (not op.scopes or set(op.scopes) & scopes)]
        self.headers = {"Authorization": f"Bearer {token}"}
        self.calls = 0
        self.retried = Counter[int | None]()
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(r,), daemon=True) for r in regions]

    def start(self) -> Callers:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(70)

    def _run(self, location: str) -> None:
        policy = RetryPolicy(base_seconds=0.05, cap_seconds=1.0)
        number = 0
        while not self._stop.is_set():
            path = self.paths[number % len(self.paths)]
            number += 1
            headers = {**self.headers, LOCATION_HEADER: location, "X-Request-Id": uuid.uuid4().hex}
            outcome = call_with_retries(self.local.url, "GET", path, policy, headers=headers, timeout=10)
            with self._lock:
                self.calls += 1
                self.retried.update(outcome.statuses[:-1])
                final = outcome.reply.status if outcome.reply is not None else None
                if final is None or final >= 500:
                    self.errors.append(f"GET {path} from {location}: {final} after {outcome.retries} retries")


def timeline(backend: LocalBackend, start: float, end: float) -> list[str]:
    """Per AWS minute (60 / SCALE drill seconds): what each region answered, per release (5xx in brackets)."""
    lines = []
    width = max(len(r) for r in backend.fronts)
    step = 60 / SCALE
    for minute in range(int((end - start) / step) + 1):
        cells = []
        for region, front in backend.fronts.items():
            begin = start + minute * step
            served = [s for s in list(front.served) if begin <= s.at < begin + step]
            cells.append(f"{region:<{width}} {_cell(served):<28}")
        lines.append(f"  t={minute:3d}min  " + " ".join(cells))
    return lines


def _cell(served: list[Served]) -> str:
    counts = Counter(s.release for s in served)
    errors = Counter(s.release for s in served if s.status >= 500)
    return (
        " ".join(
            f"{rid[:6]}x{n}" + (f"({errors[rid]}x5xx)" if errors[rid] else "") for rid, n in sorted(counts.items())
        )
        or "-"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.lab.release_drill", description=__doc__.splitlines()[0])
    parser.add_argument("--regions", default="us-east-1,us-east-2,us-west-2")
    parser.add_argument("--waves", default=None, help="r1;r2,r3 (default: the first region, then the rest)")
    parser.add_argument("--bake-minutes", type=float, default=10.0)
    args = parser.parse_args(argv)
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    waves = parse_waves(args.waves, regions)
    out = print
    with tempfile.TemporaryDirectory(prefix="release-drill-") as tmp:
        work = Path(tmp)
        releases = work / "releases"
        current = artefacts.build(artefacts.ROOT / "api", artefacts.ROOT / "build" / "lambdas", releases)
        good = variant(current, work, releases, broken=False)
        bad = variant(current, work, releases, broken=True)
        out(
            f"releases: A={current.id} (serving), B={good.id} (good),"
            f" C={bad.id} (broken: every function but the health operation's raises)"
        )
        out(
            f"time scaled {SCALE:g}:1 ({60 / SCALE:g} s here = 1 min on AWS):"
            " alarm 5xx-rate > 5% in 3 of 5 1-min periods;"
            f" canary 10% for 5 min; bake {args.bake_minutes:g} min"
        )
        alarm = Alarm(threshold=0.05, period=60 / SCALE, evaluation_periods=5, datapoints_to_alarm=3)
        canary = CanarySteps(percent=10, interval=300 / SCALE, poll=0.1)
        options = Options(regions=regions, port=0, state_dir=None, probe_interval=0.5)
        outcome = {}
        with LocalApi(options) as local:
            backend = LocalBackend(local, current, lambda rid: artefacts.find(rid, releases), alarm, canary)
            try:
                callers = Callers(local, regions).start()
                start = time.monotonic()
                for release in (good, bad):
                    out(f"\n== make release {release.id} ==")
                    rollout = Rollout(
                        backend,
                        release,
                        waves,
                        args.bake_minutes * 60 / SCALE,
                        work / f"state-{release.id}.json",
                        poll_seconds=0.2,
                        out=out,
                    )
                    try:
                        rollout.run()
                        outcome[release.id] = "released"
                    except ReleaseStopped:
                        outcome[release.id] = "rolled_back"
                    # let the callers run on the result for a while
                    time.sleep(2)
                callers.stop()
                end = time.monotonic()
                out("\nper region, per minute: answers by release (first 6 hex digits of the id)")
                for line in timeline(backend, start, end):
                    out(line)
                reached = sorted(
                    {region for region, front in backend.fronts.items() for s in front.served if s.release == bad.id}
                )
                final = {region: backend.serving(region) for region in regions}
            finally:
                backend.stop()
        out(
            f"\nbroken release {bad.id} served in: {', '.join(reached) or 'no region'}"
            f" (first wave: {', '.join(waves[0])})"
        )
        out("serving at the end: " + ", ".join(f"{r}={rid}" for r, rid in final.items()))
        out(
            f"callers: {callers.calls} calls, retried answers {dict(callers.retried)},"
            f" errors they could not retry: {len(callers.errors)}"
        )
        for error in callers.errors[:10]:
            out(f"  {error}")
        failed = (
            callers.errors
            or outcome != {good.id: "released", bad.id: "rolled_back"}
            or not set(reached) <= set(waves[0])
            or set(final.values()) != {good.id}
        )
        out("drill: " + ("FAILED" if failed else "ok"))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
