"""`make bench`: cold start and warm overhead of our handler beside a bare boto3 handler, Powertools'
APIGatewayRestResolver and FastAPI+Mangum, all answering GET /v1/accounts/me with one GetItem.

Every measurement is a fresh process (bench/probe.py); the handlers take turns in a shuffled order
each round, so drift in machine load hits them all alike. Reported per row: min/median/max over the
rounds, and the ratio to bare boto3 as the median and min-max of the per-round ratios (each round's
runs are neighbours in time, so load that changes between rounds cancels in the ratio):
- floor: an empty handler (the interpreter's start-up inside the probe: the distance to the floor);
- cold: import + first request (clients created, DynamoDB answered by a local HTTP stub, below);
- warm: one request through botocore against the same fake;
- stubbed: one request with the DynamoDB client replaced by an instant stub, i.e. the handler's own
  cost; "overhead" is that minus the bare boto3 handler's.
"ours (zip)" runs our handler from its extracted deployment zip with bytecode writing off, so it
compiles from source on every cold start, as it does in Lambda's read-only /var/task.

Besides the table, build/bench.json: one object per row (name, cold_ms median, x_bare, ...).

    python -m bench.run [--rounds 9] [--warm 2000] [--experiments]
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
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.probe import ITEM  # noqa: E402
from tools.package import package  # noqa: E402

BASELINE = "bare boto3"
FLOOR = "floor (empty handler)"
APPS = {
    FLOOR: ("bench.apps.empty", {}),
    BASELINE: ("bench.apps.bare_boto3", {}),
    "ours": ("lambdas.handlers.get_my_account", {}),
    "ours (zip)": ("lambdas.handlers.get_my_account", {"BENCH_CODE_DIR": None}),
    "powertools": ("bench.apps.powertools", {}),
    "fastapi+mangum": ("bench.apps.fastapi_mangum", {}),
}
EXPERIMENTS = {
    # each undoes one cold-start measure of ours, to show what it is worth (botocore: narrowed loader kept)
    "ours without gc pause": ("lambdas.handlers.get_my_account", {"AWS_LAMBDA_FUNCTION_NAME": ""}),
    "ours on botocore": ("bench.apps.ours_botocore", {}),
}


class Endpoint(BaseHTTPRequestHandler):
    """DynamoDB for the bench: every POST is a GetItem answered with ITEM, on kept-alive connections."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else every kept-alive request waits ~40 ms for a delayed ACK
    body = json.dumps(ITEM).encode()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("x-amzn-RequestId", "bench")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


def environment(code_dir: Path, endpoint: str) -> dict[str, str]:
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
        "AWS_ENDPOINT_URL": endpoint,
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
        server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base_env = environment(work, f"http://127.0.0.1:{server.server_port}")
        load_before = os.getloadavg()
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

        server.shutdown()
        load_after = os.getloadavg()

    rows = summarise(results, args.rounds)
    print(
        f"\n{args.rounds} rounds, fresh process each, alternating; Python {sys.version.split()[0]}; "
        f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after, {os.cpu_count()} CPUs\n"
    )
    header = (
        f"{'handler':<24}{'cold ms min/med/max':>22}{'x bare med [min-max]':>23}{'vs floor':>9}{'peak MiB':>9}"
        f"{'import ms':>10}{'1st req':>8}{'warm µs':>9}{'overhead µs':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        cold = f"{row['cold_min_ms']:.0f}/{row['cold_ms']:.1f}/{row['cold_max_ms']:.0f}"
        ratio = f"{row['x_bare']:.2f} [{row['x_bare_min']:.2f}-{row['x_bare_max']:.2f}]"
        print(
            f"{row['name']:<24}{cold:>22}{ratio:>23}{row['above_floor_ms']:>+9.1f}{row['peak_mib']:>9.1f}"
            f"{row['import_ms']:>10.1f}{row['first_ms']:>8.1f}{row['warm_us']:>9.1f}{row['overhead_us']:>+12.2f}"
        )
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    meta = {"rounds": args.rounds, "python": sys.version.split()[0], "load_before": load_before[0]}
    out.write_text(json.dumps({"meta": meta | {"load_after": load_after[0]}, "rows": rows}, indent=2) + "\n")
    print(f"\n{out.relative_to(ROOT)} written; x bare: median of the per-round ratios [min-max]")
    print("\nzips (make package):", ", ".join(f"{name} {size} B" for name, size in sorted(sizes.items())))
    return 0


def summarise(results: dict[str, list[dict[str, float]]], rounds: int) -> list[dict[str, Any]]:
    """One row per handler: medians, cold min/max, and the per-round ratio to bare boto3 (median, min, max)."""
    base = results[BASELINE]
    floor = statistics.median(run["cold_ms"] for run in results[FLOOR])
    base_stubbed = statistics.median(run["stubbed_us"] for run in base)
    rows: list[dict[str, Any]] = []
    for name, runs in results.items():
        ratios = sorted(run["cold_ms"] / base[index]["cold_ms"] for index, run in enumerate(runs))
        quartiles = statistics.quantiles(ratios, n=4) if rounds > 1 else [ratios[0]] * 3
        colds = [run["cold_ms"] for run in runs]

        def median(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(run[key] for run in runs)

        rows.append(
            {
                "name": name,
                "cold_ms": median("cold_ms"),
                "cold_min_ms": min(colds),
                "cold_max_ms": max(colds),
                "x_bare": statistics.median(ratios),
                "x_bare_min": ratios[0],
                "x_bare_max": ratios[-1],
                "x_bare_iqr": [quartiles[0], quartiles[2]],
                "above_floor_ms": median("cold_ms") - floor,
                "peak_mib": median("peak_mib"),
                "import_ms": median("import_ms"),
                "first_ms": median("first_ms"),
                "warm_us": median("warm_us"),
                "overhead_us": median("stubbed_us") - base_stubbed if name != FLOOR else 0.0,
            }
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
