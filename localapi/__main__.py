"""`python -m localapi serve|token` (and `gateway`, the per-region child process)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from localapi.apigateway import document
from localapi.process import stop_on_signals, wait_for_stop

EXIT_PORT_IN_USE = 2
EXIT_NOT_RUNNING = 3


def _needs_no_arguments(api: document.ApiDocument, op: document.GatewayMethod) -> bool:
    """Whether `op` can be called with a bare URL: no path parameter, no required query parameter or header."""
    spec = api.raw["paths"][op.path][op.method.lower()]
    return "{" not in op.path and not any(p.get("required") for p in spec.get("parameters", ()))


def _body_has_required_fields(api: document.ApiDocument, op: document.GatewayMethod) -> bool:
    """Whether the gateway refuses `{}` as `op`'s JSON body (its model requires a field)."""
    content = api.raw["paths"][op.path][op.method.lower()]["requestBody"]["content"]["application/json"]
    schema = content.get("schema") or {}
    if "$ref" in schema:
        schema = api.raw["components"]["schemas"].get(schema["$ref"].rsplit("/", 1)[-1]) or {}
    return bool(schema.get("required"))


def try_lines(api: document.ApiDocument, url: str, port: int) -> list[str]:
    """The banner's `Try:` commands, from the served API's document: its public GETs, a token, the calls that token
    may make with a bare URL (a group's scope is not in it) and a body the gateway refuses."""
    server = api.resource_server
    group_scopes = {server["sent_as"][name] for name in server.get("scope_groups", {})}
    ordered = sorted((op for op in api.operations.values() if not op.is_mock), key=lambda op: (op.path, op.method))
    bare = [op for op in ordered if _needs_no_arguments(api, op)]
    lines = [f"  curl -s {url}{op.path}" for op in bare if not op.authorized and op.method == "GET"]
    user = [op for op in ordered if op.authorized and not set(op.scopes) <= group_scopes]
    if user:
        lines.append(f"  TOKEN=$(make -s token PORT={port})")
        auth = '-H "Authorization: Bearer $TOKEN"'
        calls = [op for op in bare if op in user and not op.has_body_model]
        for op in calls[:3]:
            lines.append(f"  curl -s {'' if op.method == 'GET' else f'-X {op.method} '}{url}{op.path} {auth}")
        refused = [op for op in bare if op in user and op.has_body_model and _body_has_required_fields(api, op)]
        lines += [
            f"  curl -s -X {op.method} {url}{op.path} {auth} -H 'Content-Type: application/json' -d '{{}}'"
            "   # -> 400 BAD_REQUEST, field body"
            for op in refused[:1]
        ]
    return lines


def _banner(local: object, started: float) -> str:
    from devtools.lab.cluster import LocalApi

    assert isinstance(local, LocalApi)
    url = local.url
    port = local.server.port
    regions = ", ".join(local.options.regions) + (" on a STRONG table" if local.strong is not None else "")
    routing = local.router.status()["routing"]
    api_dir = local.options.api_dir.resolve()
    shown = api_dir.relative_to(Path.cwd()) if api_dir.is_relative_to(Path.cwd()) else api_dir
    lines = [
        f"Local API ({regions}) ready in {time.monotonic() - started:.1f}s",
        f"  API:         {url}   (the public document: {shown / 'openapi.json'})",
        f"  docs page:   {url}/docs   (sign in with Authorize; offline copy: {shown / 'index.html'})",
        f"  admin:       {local.admin.url if local.admin else '-'}/status   (health, routing, replication)",
        f"  moto:        {local.moto.endpoint}   (DynamoDB, Secrets Manager, Cognito)",
    ]
    for region, gateway in local.gateways.items():
        lines.append(f"  {region + ':':<12} {gateway.url}   (this region's gateway, no routing)")
    lines.append("  routing:     " + ", ".join(f"callers at {loc} -> {reg}" for loc, reg in routing.items()))
    lines += ["", "Try:", *try_lines(local.api, url, port)]
    if len(local.options.regions) > 1:
        home = local.options.regions[0]
        admin = local.admin.url if local.admin else ""
        if local.strong is not None:
            lines += [
                f"  curl -s -X POST {admin}/regions/{home}/isolation -d '{{\"isolated\": true}}'   # isolate {home}",
                f"  curl -s -X POST {admin}/regions/{home}/isolation -d '{{\"isolated\": false}}'  # and back",
            ]
        lines += [
            f"  curl -s -X POST {admin}/regions/{home}/table -d '{{\"reachable\": false}}'   # fail {home} over",
            f"  curl -s -X POST {admin}/regions/{home}/table -d '{{\"reachable\": true}}'    # and back",
        ]
        api = local.api
        gets = [op for op in api.operations.values() if op.method == "GET" and not op.authorized]
        if public := [op.path for op in gets if _needs_no_arguments(api, op)]:
            where = local.options.regions[-1]
            lines.append(f"  curl -s {url}{public[0]} -H 'X-Localapi-Location: {where}'   # a caller elsewhere")
    kit = api_dir == document.API_DIR
    source, again = ("lambdas/ or contract/", "") if kit else (f"{shown.parent}/", f" API={shown.parent}")
    lines += [
        "",
        f"Edits to {source} need a restart (Ctrl-C, then `make swagger serve{again}` if the contract changed):",
        "the gateways load the handlers and the document once, as a deployed Lambda version does.",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def _unknown_regions(regions: list[str]) -> list[str]:
    """The regions DynamoDB has no endpoint in, by botocore's endpoint data (moto would answer each call with a
    traceback instead)."""
    import boto3

    known = set()
    for partition in ("aws", "aws-us-gov", "aws-cn"):
        known |= set(boto3.session.Session().get_available_regions("dynamodb", partition_name=partition))
    return [region for region in regions if region not in known]


def serve(argv: list[str]) -> int:
    """Run the local API until Ctrl-C."""
    from devtools.lab.cluster import LocalApi, Options
    from localapi.apigateway.server import PortInUseError

    parser = argparse.ArgumentParser(prog="python -m localapi serve", description="Run the API locally.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    parser.add_argument("--regions", default=os.environ.get("REGIONS", "us-east-1"), help="comma-separated")
    parser.add_argument("--api-dir", type=Path, default=document.API_DIR)
    parser.add_argument("--handler-prefix", default="", help="import handlers from this package (another API)")
    parser.add_argument("--latency", type=Path, help="JSON {location: {region: ms}} (default: built in)")
    parser.add_argument("--location", help="default caller location (default: the first region)")
    parser.add_argument("--probe-interval", type=float, default=1.0, help="seconds between health checks")
    parser.add_argument("--failure-threshold", type=int, default=2, help="consecutive checks to flip health")
    parser.add_argument("--quiet", action="store_true", help="do not echo the handlers' logs")
    parser.add_argument(
        "--consistency",
        default=os.environ.get("CONSISTENCY") or "EVENTUAL",
        choices=["EVENTUAL", "STRONG"],
        help="the table's mode: EVENTUAL (last writer wins) or STRONG (MRSC: 3 regions, or 2 and --witness)",
    )
    parser.add_argument("--witness", default=os.environ.get("WITNESS") or None, help="STRONG: the witness region")
    parser.add_argument(
        "--allow-user-password-auth",
        action="store_true",
        help="the app clients also allow InitiateAuth USER_PASSWORD_AUTH (Terraform cognito.allow_user_password_auth)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("localapi.access").setLevel(logging.INFO)  # one line per request: method path status region ms
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    if unknown := _unknown_regions(regions):
        names = ", ".join(unknown)
        print(f"localapi: unknown AWS region {names}: use region codes such as us-east-1,eu-west-1", file=sys.stderr)
        return 2
    options = Options(
        regions=regions,
        port=args.port,
        api_dir=args.api_dir,
        handler_prefix=args.handler_prefix,
        latency_file=args.latency,
        location=args.location,
        probe_interval=args.probe_interval,
        failure_threshold=args.failure_threshold,
        echo_logs=not args.quiet,
        consistency=args.consistency,
        witness=args.witness,
        allow_user_password_auth=args.allow_user_password_auth,
    )
    started = time.monotonic()
    stop = stop_on_signals()
    try:
        local = LocalApi(options)
    except PortInUseError:
        print(
            f"localapi: port {args.port} on 127.0.0.1 is already in use (another `make serve`?).\n"
            f"          Stop it, or pick another port: make serve PORT={args.port + 1}",
            file=sys.stderr,
        )
        return EXIT_PORT_IN_USE
    except (document.DocumentError, ValueError) as error:
        print(f"localapi: {error}", file=sys.stderr)
        return 1
    print(f"Starting the local API on http://127.0.0.1:{args.port} (regions: {', '.join(regions)}) ...", flush=True)
    with local:
        print(_banner(local, started), flush=True)
        wait_for_stop(stop)
        print("\nStopping ...", flush=True)
    print("Stopped.", flush=True)
    return 0


def token(argv: list[str], *, operator: bool = False) -> int:
    """Print the access token Cognito would issue to --user signing in to the local API on --port.

    `token`: the mobile app's sign-in through the app client, --flow srp (InitiateAuth USER_SRP_AUTH, the
    Amplify default; with --scopes, code), password (USER_PASSWORD_AUTH, refused unless the stack allows it) or
    code (managed login, code + PKCE); a new --user is registered as an ordinary user (sign-up, confirmed).
    `operator-token`: the operator client (code + PKCE by default), the user being put in the operators group by
    an administrator first. Scopes the client may not grant are refused (invalid_scope), as Cognito refuses them.
    """
    import boto3

    from devtools.lab.cluster import STATE_DIR
    from localapi.backends.stack import CREDENTIALS
    from localapi.cognitoidp import pretoken
    from localapi.cognitoidp.authorizer import FLOWS, TokenIssuer
    from localapi.cognitoidp.signin import SignInError

    prog = "python -m localapi " + ("operator-token" if operator else "token")
    parser = argparse.ArgumentParser(prog=prog, description=token.__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    parser.add_argument("--user", default="" if not operator else "operator", help="user name (default: the demo user)")
    parser.add_argument("--scopes", default="", help="space- or comma-separated scopes to ask for (default: all)")
    parser.add_argument("--flow", choices=sorted(FLOWS), help="sign-in flow (default: srp, or code with --scopes)")
    parser.add_argument("--state-dir", type=Path, default=STATE_DIR)
    args = parser.parse_args(argv)
    state_file = args.state_dir / f"{args.port}.json"
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
        os.kill(int(state["pid"]), 0)
    except (FileNotFoundError, ProcessLookupError, ValueError, KeyError):
        print(
            f"localapi: no local API runs on port {args.port}: start one with `make serve PORT={args.port}`",
            file=sys.stderr,
        )
        return EXIT_NOT_RUNNING
    setup = TokenIssuer.from_dict(state["cognito"])
    client = boto3.client(  # type: ignore[call-overload]
        "cognito-idp", region_name=setup.region, endpoint_url=state["moto_endpoint"], **CREDENTIALS
    )
    scopes = args.scopes.replace(",", " ").split() or None
    # The pre token generation trigger runs in this process: its log lines go beside the stack's state file
    # (build/localapi/<port>.trigger.log), so that `TOKEN=$(make -s token)` shows nothing but the token.
    trigger_log = args.state_dir / f"{args.port}.trigger.log"
    try:
        with trigger_log.open("a", encoding="utf-8") as log, pretoken.output_to(log):
            issued = (
                setup.operator_token(client, args.user, scopes, args.flow)
                if operator
                else setup.end_user_token(client, args.user or None, scopes, args.flow)
            )
    except SignInError as error:
        print(f"localapi: Cognito refuses: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"localapi: {error}", file=sys.stderr)
        return 2
    print(issued)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Dispatch the subcommand."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "serve":
        return serve(rest)
    if command == "token":
        return token(rest)
    if command == "operator-token":
        return token(rest, operator=True)
    if command == "moto":
        from localapi.backends.motoserver import serve_moto

        return serve_moto(rest)
    if command == "gateway":
        from localapi.regional import serve_region

        return serve_region(rest)
    print("usage: python -m localapi serve|token|operator-token [--help]", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main())
