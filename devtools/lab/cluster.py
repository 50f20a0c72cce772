"""Everything `make serve` runs, started and stopped as one: moto, the regions, replication, routing."""

from __future__ import annotations

import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from devtools.lab.failover import CanarySignal
from devtools.lab.faults import FaultProxy
from devtools.lab.frontdoor import FrontDoor
from devtools.lab.replicator import Replicator
from devtools.lab.router import Router, default_latency, load_latency
from devtools.lab.strong import StrongTable, check_layout
from localapi.apigateway import document
from localapi.apigateway.responses import HttpResponse
from localapi.apigateway.server import Server
from localapi.backends.stack import SECRET_ID, TABLE_NAME, MotoStack, new_secret_value
from localapi.regional import RegionProcess, function_environment, region_environment

if TYPE_CHECKING:
    from localapi.apigateway.events import IncomingRequest
    from localapi.cognitoidp.authorizer import TokenIssuer
    from localapi.cognitoidp.signin import UserPool

LOG = logging.getLogger("localapi")
STATE_DIR: Final = Path(__file__).resolve().parents[2] / "build" / "localapi"


@dataclass
class Options:
    """How to run the local API."""

    regions: list[str] = field(default_factory=lambda: ["us-east-1"])
    port: int = 8080
    api_dir: Path = document.API_DIR
    latency_file: Path | None = None
    location: str | None = None
    """The callers' default location (default: beside the first region)."""
    probe_interval: float = 1.0
    failure_threshold: int = 2
    state_dir: Path | None = STATE_DIR
    echo_logs: bool = False
    handler_prefix: str = ""
    consistency: str = "EVENTUAL"
    """The global table's mode: EVENTUAL (replicator.py, last writer wins) or STRONG (strong.py, MRSC)."""
    witness: str | None = None
    """STRONG only: the witness region of a two-replica MRSC table."""
    failover_signal: str = "canary"
    """What the router's health checks look at: "canary" (the deployed kit's signal, devtools/lab/failover.py) or
    "health" (the old one: Route 53 probing the public /health, which an anonymous flood could fail)."""
    allow_user_password_auth: bool = False
    """Whether the app clients allow USER_PASSWORD_AUTH (Terraform cognito.allow_user_password_auth; off by default)."""


class LocalApi:
    """The whole local deployment. Use as a context manager, or start() / stop()."""

    def __init__(self, options: Options) -> None:
        if not options.regions or len(set(options.regions)) != len(options.regions):
            raise ValueError(f"regions must be distinct and not empty: {options.regions}")
        if options.failover_signal not in ("canary", "health"):
            raise ValueError(f"failover_signal must be canary or health, not {options.failover_signal}")
        if options.consistency not in ("EVENTUAL", "STRONG"):
            raise ValueError(f"consistency must be EVENTUAL or STRONG, not {options.consistency}")
        if options.consistency == "STRONG":
            check_layout(options.regions, options.witness)
        elif options.witness is not None:
            raise ValueError("a witness region is for a STRONG table only")
        self.options = options
        self.api = document.load(options.api_dir)
        participants = [*options.regions, *([options.witness] if options.witness else [])]
        latency = self.latency = load_latency(options.latency_file, participants)
        self.router = Router(
            latency,
            options.location or options.regions[0],
            interval=options.probe_interval,
            failure_threshold=options.failure_threshold,
        )
        front_door = FrontDoor(self.router, options.api_dir, self._sign_in)
        self.server = Server(front_door, options.port, name="localapi-router")
        self.moto = MotoStack()
        self.proxies: dict[str, FaultProxy] = {}
        self.links: dict[tuple[str, str], FaultProxy] = {}
        """(serving region, remote region) -> the link to the remote replica, delayed by their latency."""
        self.gateways: dict[str, RegionProcess] = {}
        self.replicator: Replicator | None = None
        self.strong: StrongTable | None = None
        self.cognito: TokenIssuer | None = None
        self.admin: Server | None = None
        self._state_file: Path | None = None
        self.resource_arns: dict[str, dict[str, str]] = {}
        """Region => `<NAME>_ARN` => the ARN of the team's resource there (the manifest's calls)."""
        self._user_pool: UserPool | None = None

    @property
    def url(self) -> str:
        """The front door (the router)."""
        return self.server.url

    def __enter__(self) -> LocalApi:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> LocalApi:
        """Start moto, seed it, start the regions, replication, routing; write the state file."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        regions = self.options.regions
        self.moto.start()
        secret = new_secret_value()
        strong = self.options.consistency == "STRONG"
        for region in regions:
            self.moto.seed_region(region, secret, self.api.table, ttl=not strong)  # no TTL on MRSC (strong.py)
            # The team's resources (a bus, a queue, ...), one per region, as Terraform's `resources` maps them.
            self.resource_arns[region] = self.moto.seed_resources(region, self.api.calls)
        # The trigger runs with the served API's contract_types, as its zip holds it (not the kit's own)
        trigger = self.api.triggers.get("pre_token_generation", {})
        self.cognito = self.moto.seed_cognito(
            regions[0],
            self.api.resource_server,
            trigger.get("handler"),
            trigger_contract=trigger.get("contract_types", ""),
            allow_user_password_auth=self.options.allow_user_password_auth,
        )
        if strong:
            self.strong = StrongTable(
                regions, self.options.witness, TABLE_NAME, self.moto.port, self.moto.client, self.cross_region_ms
            )
        for region in regions:
            # STRONG: every call to a replica, local or not, passes through its MRSC front
            port = self.strong.port(region) if self.strong else self.moto.port
            self.proxies[region] = FaultProxy(port, name=f"{region}-table-link").start()
            for remote in regions:
                if remote != region:
                    delay = self.cross_region_ms(region, remote) / 1000
                    target = self.strong.port(remote) if self.strong else self.moto.port
                    link = FaultProxy(target, name=f"{region}-to-{remote}", delay_seconds=delay)
                    self.links[(region, remote)] = link.start()
        extra = ("--handler-prefix", self.options.handler_prefix) if self.options.handler_prefix else ()

        def spawn(region: str) -> RegionProcess:
            env = self.gateway_environment(region)
            return RegionProcess(region, env, self.cognito, self.options.api_dir, extra, self.options.echo_logs)

        with ThreadPoolExecutor(max_workers=len(regions)) as pool:
            futures = {region: pool.submit(spawn, region) for region in regions}
            failures = []
            for region, future in futures.items():
                try:
                    self.gateways[region] = future.result()
                except Exception as error:
                    failures.append(error)
            if failures:
                raise failures[0]
        for region in regions:
            self.router.add_region(region, self.gateways[region].url)
        if self.options.failover_signal == "canary":
            endpoints = {region: self.proxies[region].url for region in regions}
            health_path = self.api.triggers.get("canary", {}).get("path")
            self.router.check = CanarySignal(endpoints, self.moto.endpoint, TABLE_NAME, SECRET_ID, health_path)
        if len(regions) > 1 and not strong:
            self.replicator = Replicator(regions, TABLE_NAME, self.moto.client).start()
        self.router.start()
        self.admin = Server(AdminApi(self), 0, trust_forwarded=False, name="localapi-admin").start()
        self._write_state()
        # The front door last: once it answers, everything is up, the state file `make token` reads included
        self.server.start()

    def gateway_environment(self, region: str) -> dict[str, str]:
        """The environment of a region's gateway process: its Lambdas' variables and endpoints."""
        # The settings Terraform gives every function (terraform/modules/regional lambda.tf), under the names the
        # manifest's `environment` gives as sources; the primary (first) region is the home region there too.
        settings = {
            "table_name": TABLE_NAME,
            "secret_name": SECRET_ID,
            "log_level": os.environ.get("LOG_LEVEL", "WARNING"),
            "home_region": self.options.regions[0],
            "table_consistency_mode": self.options.consistency,
        }
        kit = function_environment(self.api.environment, settings)
        # One process serves every function of the region: each resource's variable is set for all of them (Terraform
        # sets it on the functions that declare a call to it only).
        env = region_environment(region, self.moto.endpoint, self.proxies[region].url, kit | self.resource_arns[region])
        for remote in self.options.regions:
            if remote != region:
                env["DYNAMODB_ENDPOINT_" + remote.upper().replace("-", "_")] = self.links[(region, remote)].url
        return env

    def stop(self) -> None:
        """Stop everything this started (bounded waits), in reverse order, background work first."""
        # The health checks and the replicator first: they would report the regions and moto going away
        # below as failures (UNHEALTHY, tracebacks) though it is only the stop.
        steps = [
            self.router.stop,
            *([self.replicator.stop] if self.replicator else []),
            *([self.admin.stop] if self.admin else []),
            self.server.stop,
            *(gateway.stop for gateway in self.gateways.values()),
            *(proxy.stop for proxy in self.proxies.values()),
            *(link.stop for link in self.links.values()),
            *([self.strong.stop] if self.strong else []),
            self.moto.stop,
        ]
        for step in steps:
            try:
                step()
            except Exception:
                LOG.exception("stopping failed")
        if self._state_file is not None:
            self._state_file.unlink(missing_ok=True)
            self._state_file = None

    def _sign_in(self) -> tuple[TokenIssuer, UserPool] | None:
        """The pool behind the front door's managed login (one UserPool: it holds the issued codes)."""
        if self.cognito is None:
            return None
        if self._user_pool is None:
            self._user_pool = self.cognito.user_pool(self.moto.client("cognito-idp", self.cognito.region))
        return self.cognito, self._user_pool

    def token(self, scopes: list[str] | None = None, username: str | None = None) -> str:
        """An access token from the mobile app's sign-in (TokenIssuer.end_user_token)."""
        assert self.cognito is not None, "start() first"
        return self.cognito.end_user_token(self.moto.client("cognito-idp", self.cognito.region), username, scopes)

    def operator_token(self, username: str, scopes: list[str] | None = None) -> str:
        """An operator's access token from the operator client (TokenIssuer.operator_token)."""
        assert self.cognito is not None, "start() first"
        return self.cognito.operator_token(self.moto.client("cognito-idp", self.cognito.region), username, scopes)

    def cross_region_ms(self, serving: str, remote: str) -> int:
        """The latency of one request from `serving`'s Lambdas to `remote`'s replica: the latency table's
        figure from the location beside `serving` (default table: us-east-1 <-> eu-west-1 85 ms)."""
        row = self.latency.get(serving) or default_latency(self.options.regions)[serving]
        return int(row[remote])

    def set_table_reachable(self, region: str, reachable: bool) -> None:
        """Cut (False) or restore (True) a region's table: for its own Lambdas and for every other region's
        calls to it (home-region writes), as a regional DynamoDB outage looks from everywhere."""
        self.proxies[region].set_up(reachable)
        for (_, remote), link in self.links.items():
            if remote == region:
                link.set_up(reachable)

    def set_region_isolated(self, region: str, isolated: bool) -> None:
        """STRONG: cut `region`'s replica off from the other participants (True) or reconnect it (False).

        Its Lambdas still reach it: eventually consistent reads work, writes and strongly consistent reads
        fail until it is back and caught up (strong.py)."""
        if self.strong is None:
            raise ValueError("isolation is a STRONG-table drill (consistency=STRONG)")
        self.strong.set_isolated(region, isolated)

    def state(self) -> dict[str, Any]:
        """What `python -m localapi token` and the admin API report."""
        return {
            "pid": os.getpid(),
            "api_dir": str(self.options.api_dir.resolve()),
            "url": self.url,
            "admin_url": self.admin.url if self.admin else None,
            "docs": str((self.options.api_dir / "index.html").resolve()),
            "moto_endpoint": self.moto.endpoint,
            "consistency": self.options.consistency,
            "regions": {r: {"gateway": g.url, "table_reachable": self.proxies[r].up} for r, g in self.gateways.items()},
            "cognito": self.cognito.to_dict() if self.cognito else None,
        }

    def _write_state(self) -> None:
        if self.options.state_dir is None:
            return
        self.options.state_dir.mkdir(parents=True, exist_ok=True)
        self._state_file = self.options.state_dir / f"{self.server.port}.json"
        self._state_file.write_text(json.dumps(self.state(), indent=2) + "\n", encoding="utf-8")


class AdminApi:
    """Local-only controls for drills: GET /status, POST /regions/<region>/table {"reachable": bool},
    POST /regions/<region>/isolation {"isolated": bool} (STRONG)."""

    def __init__(self, local: LocalApi) -> None:
        self.local = local
        self._lock = threading.Lock()

    def handle(self, request: IncomingRequest, host: str = "127.0.0.1", port: int = 0) -> HttpResponse:
        """Answer one admin request."""
        parts = [p for p in request.path.split("/") if p]
        if request.method == "GET" and parts == ["status"]:
            body: dict[str, Any] = self.local.state()
            routing = self.local.router.status()
            body["routing"] = routing["routing"]
            for region, health in routing["regions"].items():
                body["regions"].setdefault(region, {}).update(health)
            if self.local.replicator is not None:
                body["replication"] = {
                    "applied": self.local.replicator.applied,
                    "conflicts": self.local.replicator.conflicts,
                }
            if self.local.strong is not None:
                strong = self.local.strong
                body["replication"] = {
                    "applied": strong.replicated,
                    "write_conflicts": strong.conflicts,
                    "refused_without_quorum": strong.refused,
                    "isolated": sorted(strong.isolated),
                }
            return _json(200, body)
        if request.method == "POST" and len(parts) == 3 and parts[0] == "regions" and parts[2] == "isolation":
            if parts[1] not in self.local.proxies or self.local.strong is None:
                return _json(404, {"message": f"no STRONG replica in {parts[1]}"})
            try:
                isolated = bool(json.loads(request.body or b"{}")["isolated"])
            except (ValueError, KeyError, TypeError):
                return _json(400, {"message": 'send {"isolated": true|false}'})
            with self._lock:
                self.local.set_region_isolated(parts[1], isolated)
            return _json(200, {"region": parts[1], "isolated": isolated})
        if request.method == "POST" and len(parts) == 3 and parts[0] == "regions" and parts[2] == "table":
            if parts[1] not in self.local.proxies:
                return _json(404, {"message": f"unknown region {parts[1]}"})
            try:
                reachable = bool(json.loads(request.body or b"{}")["reachable"])
            except (ValueError, KeyError, TypeError):
                return _json(400, {"message": 'send {"reachable": true|false}'})
            with self._lock:
                self.local.set_table_reachable(parts[1], reachable)
            return _json(200, {"region": parts[1], "table_reachable": reachable})
        return _json(404, {"message": "GET /status or POST /regions/<region>/table"})


def _json(status: int, body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(status, [("Content-Type", "application/json")], json.dumps(body, indent=2).encode())
