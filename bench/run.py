"""`make bench`: cold start and warm overhead of our handler beside a bare boto3 handler, Powertools'
APIGatewayRestResolver and FastAPI+Mangum, all answering GET /v1/accounts/me with one GetItem.

Every measurement is a fresh process (bench/probe.py); the handlers take turns in a shuffled order
each round, so drift in machine load hits them all alike. Reported are medians over the rounds:
- cold: import + first request (clients created, DynamoDB answered by a fake below botocore's HTTP);
- warm: one request through botocore against the same fake;
- stubbed: one request with the DynamoDB client replaced by an instant stub, i.e. the handler's own
  cost; "overhead" is that minus the bare boto3 handler's.
"ours (zip)" runs our handler from its extracted deployment zip with bytecode writing off, so it
compiles from source on every cold start, as it does in Lambda's read-only /var/task.

    python -m bench.run [--rounds 9] [--warm 2000] [--gc-experiment]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.package import package  # noqa: E402

BASELINE = "bare boto3"
APPS = {
    BASELINE: ("bench.apps.bare_boto3", {}),
    "ours": ("lambdas.handlers.get_my_account", {}),
    "ours (zip)": ("lambdas.handlers.get_my_account", {"BENCH_CODE_DIR": None}),
    "powertools": ("bench.apps.powertools", {}),
    "fastapi+mangum": ("bench.apps.fastapi_mangum", {}),
}
EXPERIMENTS = {
    # each undoes one cold-start measure of ours, to show what it is worth
    "ours without gc pause": ("lambdas.handlers.get_my_account", {"AWS_LAMBDA_FUNCTION_NAME": ""}),
    "ours with botocore loader": ("lambdas.handlers.get_my_account", {"BENCH_LOADER": "botocore-default"}),
}


def environment(code_dir: Path) -> dict[str, str]:
    """What Lambda and Terraform would set, with fake credentials and no AWS config files."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TABLE_NAME": "multiregion-api",
        "SECRET_ID": "multiregion-api/cursor",
        "LOG_LEVEL": "INFO",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_SESSION_TOKEN": "bench",
        "AWS_CONFIG_FILE": str(code_dir / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(code_dir / "no-aws-credentials"),
        "AWS_LAMBDA_FUNCTION_NAME": "bench",
        "BENCH_EVENT": str(ROOT / "tests" / "events" / "get_my_account.json"),
    }


def probe(module: str, env: dict[str, str], warm: int) -> dict[str, float]:
    """Run bench/probe.py for `module` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.probe", module, str(warm)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{module} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "9")))
    parser.add_argument("--warm", type=int, default=2000)
    parser.add_argument(
        "--experiments",
        action="store_true",
        help="also run ours without each of its cold-start measures (GC pause, narrowed data loader)",
    )
    args = parser.parse_args()
    apps = dict(APPS) | (EXPERIMENTS if args.experiments else {})

    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        work = Path(temp)
        sizes = package(work / "zips")
        code_dir = work / "get_my_account"
        with zipfile.ZipFile(work / "zips" / "get_my_account.zip") as archive:
            archive.extractall(code_dir)
        base_env = environment(work)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in apps}
        order = list(apps)
        shuffle = random.Random(20261123).shuffle
        for round_number in range(args.rounds):
            shuffle(order)
            for name in order:
                module, extra = apps[name]
                env = base_env | {key: (str(code_dir) if value is None else value) for key, value in extra.items()}
                env = {key: value for key, value in env.items() if value != ""}  # "" removes a variable
                results[name].append(probe(module, env, args.warm))
            print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr)

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in results[name])

    base_cold, base_stubbed = median(BASELINE, "cold_ms"), median(BASELINE, "stubbed_us")
    header = (
        f"{'handler':<26}{'cold ms':>9}{'x bare':>8}{'import ms':>11}{'1st req ms':>12}"
        f"{'warm µs':>10}{'stubbed µs':>12}{'overhead µs':>13}"
    )
    print(f"\n{args.rounds} rounds, fresh process each, medians; Python {sys.version.split()[0]}\n")
    print(header)
    print("-" * len(header))
    for name in apps:
        cold = median(name, "cold_ms")
        stubbed = median(name, "stubbed_us")
        print(
            f"{name:<26}{cold:>9.1f}{cold / base_cold:>8.2f}{median(name, 'import_ms'):>11.1f}"
            f"{median(name, 'first_ms'):>12.1f}{median(name, 'warm_us'):>10.1f}{stubbed:>12.2f}"
            f"{stubbed - base_stubbed:>+13.2f}"
        )
    print("\nzips (make package):", ", ".join(f"{name} {size} B" for name, size in sorted(sizes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
