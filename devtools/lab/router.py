"""The front door: Route 53 latency routing with health checks, played locally.

Each request goes to the region with the lowest latency from the caller's location among the healthy
regions; if none is healthy, Route 53 answers as if all were, and so does this. A check every `interval`
seconds; a region turns unhealthy after `failure_threshold` consecutive failing checks and healthy again
after as many passing ones. What a check looks at is `check`: by default what the deployed kit routes on
(devtools/lab/failover.py: the failover canary and the region's 5xx share); `http_check` is the old signal,
Route 53 probing the public /health (anything but 2xx/3xx fails), kept to show why it was replaced. The
caller's location comes from the X-Localapi-Location header, else the router's default location.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeAlias
from urllib.parse import urlencode

from localapi.apigateway.responses import HttpResponse
from localapi.apigateway.server import REGION_HEADER

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from localapi.apigateway.events import IncomingRequest

Check: TypeAlias = "Callable[[RegionHealth], tuple[bool, int | None]]"
"""One health check of a region: whether it passed, and the HTTP status it saw (None: none)."""

LOG = logging.getLogger("localapi.router")
LOCATION_HEADER: Final = "X-Localapi-Location"
HOP_BY_HOP: Final = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})
_AREA_LATENCY_MS: Final = {
    frozenset({"us"}): 30,
    frozenset({"eu"}): 25,
    frozenset({"ap"}): 70,
    frozenset({"us", "ca"}): 35,
    frozenset({"us", "eu"}): 85,
    frozenset({"us", "sa"}): 120,
    frozenset({"us", "ap"}): 160,
    frozenset({"eu", "ap"}): 170,
}


def default_latency(regions: list[str]) -> dict[str, dict[str, int]]:
    """Rough real-world latencies: one location beside each region, to every region (ms)."""

    def between(a: str, b: str) -> int:
        if a == b:
            return 5
        area = frozenset({a.split("-")[0], b.split("-")[0]})
        return _AREA_LATENCY_MS.get(area, 150)

    return {location: {region: between(location, region) for region in regions} for location in regions}


def load_latency(path: Path | None, regions: list[str]) -> dict[str, dict[str, int]]:
    """The latency table: a JSON file {location: {region: ms}}, or the default one."""
    if path is None:
        return default_latency(regions)
    table: dict[str, dict[str, int]] = json.loads(path.read_text(encoding="utf-8"))
    for location, row in table.items():
        missing = sorted(set(regions) - set(row))
        if missing:
            raise ValueError(f"{path}: location {location} has no latency for {', '.join(missing)}")
    return table


@dataclass
class RegionHealth:
    """Route 53's view of one region's health check."""

    region: str
    url: str
    healthy: bool = True
    failures: int = 0
    successes: int = 0
    last_status: int | None = None
    history: list[bool] = field(default_factory=list)
    requests: int = 0
    """Requests forwarded to the region since the last check (the stage's Count metric)."""
    server_errors: int = 0
    """Of those, answered with a 5xx (the stage's 5XXError metric)."""

    def error_rate(self) -> float | None:
        """The share of 5xx since the last call (None: no request), and start counting again."""
        requests, errors = self.requests, self.server_errors
        self.requests = self.server_errors = 0
        return errors / requests if requests else None

    def record(self, ok: bool, threshold: int) -> bool:
        """Count one check; True when the health state flipped."""
        self.history = [*self.history[-19:], ok]
        if ok:
            self.successes, self.failures = self.successes + 1, 0
            if not self.healthy and self.successes >= threshold:
                self.healthy = True
                return True
        else:
            self.failures, self.successes = self.failures + 1, 0
            if self.healthy and self.failures >= threshold:
                self.healthy = False
                return True
        return False


class Router:
    """Routes each request to the nearest healthy region and probes /health in the background."""

    def __init__(
        self,
        latency: dict[str, dict[str, int]],
        default_location: str,
        interval: float = 1.0,
        failure_threshold: int = 2,
        probe_timeout: float = 2.0,
        check: Check | None = None,
    ) -> None:
        if default_location not in latency:
            raise ValueError(f"unknown default location {default_location}; known: {', '.join(sorted(latency))}")
        self.latency = latency
        self.default_location = default_location
        self.interval = interval
        self.failure_threshold = failure_threshold
        self.probe_timeout = probe_timeout
        self.check: Check = check or http_check(probe_timeout)
        """What a health check looks at (set after start-up when it needs the regions' endpoints)."""
        self.regions: dict[str, RegionHealth] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._probed = threading.Condition()
        self._rounds = 0
        self._thread = threading.Thread(target=self._probe_loop, name="router-health", daemon=True)

    def add_region(self, region: str, url: str) -> None:
        """A region's endpoint (its regional API Gateway)."""
        with self._lock:
            self.regions[region] = RegionHealth(region, url)

    def start(self) -> Router:
        """Probe once, then keep probing in the background."""
        self.probe_all()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop probing (idempotent); a round under way records nothing more."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(self.probe_timeout + self.interval + 1)

    def choose(self, location: str | None) -> str:
        """The region a caller at `location` is sent to."""
        row = self.latency.get(location or self.default_location) or self.latency[self.default_location]
        with self._lock:
            candidates = [r for r in self.regions.values() if r.healthy] or list(self.regions.values())
            return min(candidates, key=lambda r: (row.get(r.region, 10_000), r.region)).region

    def wait_rounds(self, rounds: int, timeout: float) -> bool:
        """Wait for `rounds` more complete health-check rounds."""
        with self._probed:
            target = self._rounds + rounds
            return self._probed.wait_for(lambda: self._rounds >= target, timeout=timeout)

    def status(self) -> dict[str, Any]:
        """Health and routing, for the admin API and the start-up banner."""
        with self._lock:
            regions = {
                r.region: {"url": r.url, "healthy": r.healthy, "lastStatus": r.last_status, "recent": r.history[-5:]}
                for r in self.regions.values()
            }
        return {"regions": regions, "routing": {location: self.choose(location) for location in self.latency}}

    def probe_all(self) -> None:
        """One round of health checks."""
        for health in list(self.regions.values()):
            ok, status = self.check(health)
            if self._stop.is_set():
                return  # the regions are going away: a check failing now says nothing about their health
            with self._lock:
                health.last_status = status
                if health.record(ok, self.failure_threshold):
                    LOG.warning("%s is now %s", health.region, "healthy" if health.healthy else "UNHEALTHY")
        with self._probed:
            self._rounds += 1
            self._probed.notify_all()

    def _probe_loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.probe_all()

    def handle(self, request: IncomingRequest, host: str = "127.0.0.1", port: int = 0) -> HttpResponse:
        """Forward one request to the chosen region's gateway."""
        region = self.choose(request.header(LOCATION_HEADER))
        target = self.regions[region]
        response = forward(target.url, request)
        with self._lock:
            target.requests += 1
            target.server_errors += response.status >= 500
        response.headers.append((REGION_HEADER, region))
        return response


def http_check(timeout: float) -> Check:
    """The old signal: Route 53 probing the public GET /health (2xx/3xx pass; a 429 fails, so a flood of
    anonymous /health beyond its throttle fails the region over: terraform/modules/regional/README.md)."""

    def check(health: RegionHealth) -> tuple[bool, int | None]:
        status = _probe(health.url, timeout)
        return status is not None and 200 <= status < 400, status

    return check


def _probe(url: str, timeout: float) -> int | None:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", "/health", headers={"User-Agent": "Amazon-Route53-Health-Check-Service"})
        response = connection.getresponse()
        response.read()
        return int(response.status)
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def forward(url: str, request: IncomingRequest, timeout: float = 35.0) -> HttpResponse:
    """Send `request` to the gateway at `url`, keeping the caller's address in X-Forwarded-For."""
    host, port = url.removeprefix("http://").split(":")
    headers = {k: v for k, v in request.headers if k.lower() not in HOP_BY_HOP and k.lower() != "x-forwarded-for"}
    headers["X-Forwarded-For"] = request.source_ip
    target = request.path + ("?" + urlencode(request.query) if request.query else "")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request(request.method, target, body=request.body or None, headers=headers)
        response = connection.getresponse()
        body = response.read()
        kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP | {"date", "server"}]
        return HttpResponse(int(response.status), kept, body)
    except (OSError, http.client.HTTPException) as error:
        LOG.warning("forwarding to %s failed: %s", url, error)
        body = json.dumps({"message": "The regional endpoint did not answer"}).encode()
        return HttpResponse(503, [("Content-Type", "application/json")], body)
    finally:
        connection.close()
