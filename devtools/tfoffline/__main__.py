"""tfoffline command line.

python -m devtools.tfoffline validate [--dir terraform] [--regions r1,r2,r3] [--real] [--no-test] [--resources F]
    init + validate, plan for 1..N regions (only `regions` set), check the per-region step,
    then `terraform test`; prints the planned resource counts and the time taken. The team's `resources`
    (calls to its own AWS resources) are stand-in ARNs of each declared type, or with --resources the map in
    F (a .tfvars.json): the plan of all the regions gets it whole, the smaller plans its ARNs of their regions.
python -m devtools.tfoffline test [--dir terraform] [--real] [-- <terraform test args>]
python -m devtools.tfoffline tf [--dir DIR] [--real] -- <terraform args>    (any command, ad hoc)
python -m devtools.tfoffline env                                          (shell exports to use the
                                                                        stand-ins with your own terraform)
python -m devtools.tfoffline protoc                                       (regenerate proto/tfplugin6_pb2.py)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from devtools.tfoffline.harness import REPO_ROOT, Harness, TerraformError
from devtools.tfoffline.resources import narrowed, stand_in_resources, team_resources
from devtools.tfoffline.schema import SchemaError

DEFAULT_REGIONS = "us-east-1,us-east-2,us-west-2"
TIME_BUDGET_SECONDS = 90.0
OVERRIDES_WARNING = "Warning: Provider development overrides are in effect"
"""Every offline plan carries it (the stand-ins are dev overrides): not worth repeating."""


def _print(text: str) -> None:
    print(text, flush=True)


def validate(
    harness: Harness,
    config_dir: Path,
    regions: list[str],
    run_tests: bool,
    extra_vars: dict[str, str] | None = None,
    started: float | None = None,
    resources_file: Path | None = None,
) -> int:
    """The `make validate` flow; returns the exit code."""
    started = time.monotonic() if started is None else started
    mode = "real providers from the registry" if harness.real else "offline stand-in providers"
    shown = config_dir.relative_to(REPO_ROOT) if config_dir.is_relative_to(REPO_ROOT) else config_dir
    _print(f"tfoffline: {shown} ({mode})")
    try:
        harness.init(config_dir)
    except TerraformError as err:
        _print(str(err))
        return 1
    run = harness.validate(config_dir)
    if not run.ok:
        _print(run.output)
        return 1
    _print(f"  validate: ok ({run.seconds:.1f} s)")

    routes_path = Path((extra_vars or {}).get("routes_path") or config_dir.parent / "api" / "routes.json")
    cases: list[dict[str, Any]] = [{"regions": regions[:n], **(extra_vars or {})} for n in range(1, len(regions) + 1)]
    try:
        team = team_resources(resources_file) if resources_file is not None else None
    except ValueError as error:
        _print(f"tfoffline: {error}")
        return 1
    for case in cases:  # the team's resources its calls name, if any: its own map, else placeholder ARNs of their types
        if team is not None:
            case["resources"] = team if case["regions"] == regions else narrowed(team, case["regions"])
            continue
        resources = stand_in_resources(routes_path, case["regions"]) if routes_path.is_file() else {}
        if resources:
            case["resources"] = resources
    plans = harness.plans(config_dir, cases)
    counts = []
    for case, plan in zip(cases, plans, strict=True):
        label = ",".join(case["regions"])
        if not plan.run.ok:
            _print(f"  plan regions=[{label}]: FAILED ({plan.run.seconds:.1f} s)")
            _print("\n\n".join(plan.diagnostics) or plan.run.output)
            return 1
        counts.append(plan.add)
        _print(f"  plan regions=[{label}]: {plan.add} to add ({plan.run.seconds:.1f} s)")
        # A failed check block is only a warning (the plan succeeds): shown, or nobody sees it.
        for warning in plan.diagnostics:
            if not warning.startswith(OVERRIDES_WARNING):
                _print("\n".join(f"    {line}" if line else "" for line in warning.splitlines()))
    steps = [b - a for a, b in zip(counts, counts[1:], strict=False)]
    if steps and (steps[0] <= 0 or any(step != steps[0] for step in steps)):
        _print(f"  FAILED: each added region should add the same positive number of resources; steps were {steps}")
        return 1
    if steps:
        _print(f"  each added region adds {steps[0]} resources")

    if run_tests:
        if not list((config_dir / "tests").glob("*.tftest.hcl")):
            _print("  terraform test: no tests/*.tftest.hcl")
        else:
            test_run = harness.test(config_dir)
            summary = [line for line in test_run.stdout.splitlines() if line.startswith(("Success!", "Failure!"))]
            _print(
                f"  terraform test: {'ok' if test_run.ok else 'FAILED'} ({test_run.seconds:.1f} s) {' '.join(summary)}"
            )
            if not test_run.ok:
                _print(test_run.output)
                return 1

    elapsed = time.monotonic() - started
    note = "" if elapsed <= TIME_BUDGET_SECONDS else f"  (over the {TIME_BUDGET_SECONDS:.0f} s budget)"
    _print(f"  total {elapsed:.1f} s{note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and dispatch."""
    parser = argparse.ArgumentParser(prog="python -m devtools.tfoffline", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("validate", "test", "tf"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--dir", type=Path, default=REPO_ROOT / "terraform", help="configuration directory")
        cmd.add_argument("--real", action="store_true", default=None, help="use the registry's providers")
        if name == "validate":
            cmd.add_argument("--regions", default=DEFAULT_REGIONS, help="comma-separated, planned as 1..N regions")
            cmd.add_argument("--no-test", action="store_true", help="skip terraform test")
            cmd.add_argument("--var", action="append", default=[], help="KEY=VALUE for the plans (default: none)")
            cmd.add_argument("--resources", type=Path, help="a .tfvars.json with the team's `resources` map")
        else:
            cmd.add_argument("args", nargs=argparse.REMAINDER)
    sub.add_parser("env")
    sub.add_parser("protoc")
    options = parser.parse_args(argv)

    if options.command == "protoc":
        proto = Path(__file__).parent / "proto"
        return subprocess.call(
            [sys.executable, "-m", "grpc_tools.protoc", f"-I{proto}", f"--python_out={proto}", "tfplugin6.proto"]
        )
    started = time.monotonic()
    harness = Harness(real=getattr(options, "real", None))
    try:
        harness.prepare()
    except SchemaError as err:
        print(f"tfoffline: {err}", file=sys.stderr)
        return 1
    if options.command == "env":
        harness.prepare()
        print(f"export TF_CLI_CONFIG_FILE={harness.cli_config}")
        return 0
    config_dir = options.dir.resolve()
    if options.command == "validate":
        extra_vars = dict(item.split("=", 1) for item in options.var)
        regions = options.regions.split(",")
        return validate(harness, config_dir, regions, not options.no_test, extra_vars, started, options.resources)
    extra = [a for a in options.args if a != "--"] if options.args[:1] == ["--"] else options.args
    if options.command == "test":
        run = harness.test(config_dir, *extra)
    else:
        if not (harness.data_dir(config_dir) / "modules" / "modules.json").exists() and extra[:1] != ["init"]:
            harness.init(config_dir)
        run = harness.terraform(config_dir, *extra)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    return run.code


if __name__ == "__main__":
    sys.exit(main())
