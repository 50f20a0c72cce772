"""One region's gateway in its own process, with the environment its Lambdas would have.

Handlers read the route manifest's `environment` and AWS_REGION and cache their clients per
process, exactly as in a Lambda container; so each region runs in a child process whose environment
points botocore at moto (AWS_ENDPOINT_URL) and at the region's fault proxy for DynamoDB
(AWS_ENDPOINT_URL_DYNAMODB). The child prints `READY <port>` once it serves, and exits when its parent
goes away.
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localapi.process import ROOT, ChildProcess, announce_ready, stop_on_signals, wait_for_stop, watch_parent

if TYPE_CHECKING:
    from collections.abc import Mapping

    from localapi.cognitoidp.authorizer import TokenIssuer


def function_environment(variables: Mapping[str, Mapping[str, str]], settings: Mapping[str, str]) -> dict[str, str]:
    """The kit's environment of every function: each variable of the route manifest's `environment`
    (api/routes.json) set from the deployment setting it names (its `source`, as Terraform sets it)."""
    missing = sorted({variable["source"] for variable in variables.values()} - set(settings))
    if missing:
        raise ValueError(f"api/routes.json environment needs settings localapi does not have: {', '.join(missing)}")
    return {name: settings[variable["source"]] for name, variable in variables.items()}


def region_environment(
    region: str, moto_endpoint: str, dynamodb_endpoint: str, kit: Mapping[str, str]
) -> dict[str, str]:
    """The environment of a region's Lambdas: the kit's (`function_environment`) plus what points botocore at
    moto."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    env.update(
        {
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_ENDPOINT_URL": moto_endpoint,
            "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "AWS_EC2_METADATA_DISABLED": "true",
            **kit,
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


class RegionProcess(ChildProcess):
    """One region's gateway process."""

    def __init__(
        self,
        region: str,
        env: dict[str, str],
        cognito: TokenIssuer | None,
        api_dir: Path,
        extra_args: tuple[str, ...] = (),
        echo_logs: bool = False,
    ) -> None:
        self.region = region
        args = ["gateway", "--region", region, "--api-dir", str(api_dir)]
        if cognito is not None:
            args += ["--jwks-url", cognito.jwks_url, "--issuer", cognito.issuer]
        super().__init__(region, [*args, *extra_args], env, echo_logs)


def serve_region(argv: list[str]) -> int:
    """Child entry point: `python -m localapi gateway --region R ...` (started by RegionProcess)."""
    from localapi.apigateway import document
    from localapi.apigateway.gateway import Gateway
    from localapi.apigateway.server import Server
    from localapi.cognitoidp.authorizer import Verifier

    parser = argparse.ArgumentParser(prog="python -m localapi gateway")
    parser.add_argument("--region", required=True)
    parser.add_argument("--api-dir", type=Path, default=document.API_DIR)
    parser.add_argument("--jwks-url")
    parser.add_argument("--issuer")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--parent-pid", type=int, default=0)
    parser.add_argument("--handler-prefix", default="", help="import handlers from this package instead (tests)")
    parser.add_argument("--release-dir", type=Path, help="run each function from its zip in this release directory")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format=f"[{args.region}] %(levelname)s %(name)s: %(message)s")
    api = document.load(args.api_dir)
    verifier = Verifier(args.jwks_url, args.issuer) if args.jwks_url and args.issuer else None
    resolve: Any = None
    if args.handler_prefix:
        from localapi.apigateway.gateway import _import_handler

        prefix = args.handler_prefix

        def resolve(dotted: str) -> Any:
            return _import_handler(prefix + "." + dotted.split(".")[-2] + ".handler")

    if args.release_dir:
        from devtools.lab.releases import ReleaseCode

        resolve = ReleaseCode(args.release_dir).handler
    gateway = Gateway(api, verifier, args.region, resolve=resolve)
    server = Server(gateway, args.port, name=f"localapi-{args.region}").start()
    stop = stop_on_signals()
    if args.parent_pid:
        watch_parent(args.parent_pid, stop)
    announce_ready(server.port)
    wait_for_stop(stop)
    server.stop()
    return 0
