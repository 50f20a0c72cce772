"""GET /v1/accounts/me where each account has its own home region, measured on the local multi-region model.

    .venv/bin/python -m bench.homes [requests per figure, default 41]

Starts, one after the other: one region (the baseline), two regions on an EVENTUAL table (us-east-1,
eu-west-1) and three on a STRONG one (us-east-1, us-east-2, us-west-2), with the default latency table
(cross-region links delayed by its figures: 85 ms us <-> eu, 30 ms within the US). Prints medians in ms and
each one's ratio to the single-region read; then the outage drill on the EVENTUAL pair (us-east-1's table cut):
statuses per user and region, and acknowledged writes lost after recovery. Figures only: the tests assert the
behaviours (tests/localapi/test_local_entity_home.py), never timings.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from devtools.lab.client import Reply, call
from devtools.lab.cluster import LocalApi, Options
from localapi.backends.stack import TABLE_NAME

SCOPES = ["api/accounts.read", "api/accounts.write"]


def timed(count: int, local: LocalApi, token: str, where: str) -> float:
    """Median milliseconds of `count` GET /v1/accounts/me served in `where` (each must answer 200)."""
    samples = []
    for _ in range(count):
        began = time.perf_counter()
        reply = get(local, token, where)
        samples.append((time.perf_counter() - began) * 1000)
        assert reply.status == 200, reply.body
    return statistics.median(samples)


def get(local: LocalApi, token: str, where: str, at_least: int | None = None) -> Reply:
    headers = {"X-Localapi-Location": where}
    if at_least is not None:
        headers["Consistency-Token"] = str(at_least)
    return call(local.url, "GET", "/v1/accounts/me", token=token, headers=headers)


def put(local: LocalApi, token: str, where: str, version: int) -> Reply:
    body = {"displayName": f"v{version + 1}", "locale": "en-GB", "version": version}
    return call(local.url, "PUT", "/v1/accounts/me", token=token, body=body, headers={"X-Localapi-Location": where})


def homed_user(local: LocalApi, home: str) -> tuple[str, int]:
    """A new user whose first write was served in `home` (so homed there); its token and version."""
    token = local.token(SCOPES, username=f"bench-{home}")
    first = put(local, token, home, 0)
    assert first.status == 200, first.body
    return token, int(first.body["version"])


def started(regions: list[str], consistency: str = "EVENTUAL") -> LocalApi:
    state = Path(tempfile.mkdtemp(prefix="bench-homes-"))
    return LocalApi(Options(regions=regions, port=0, state_dir=state, consistency=consistency))


def write_then_read(local: LocalApi, token: str, home: str, served: str, count: int) -> tuple[float, float]:
    """Medians of a PUT served in `served` and of the GET right after it carrying its token (read your write)."""
    puts, gets = [], []
    version = int(get(local, token, home).body["version"])
    for _ in range(count):
        began = time.perf_counter()
        written = put(local, token, served, version)
        puts.append((time.perf_counter() - began) * 1000)
        assert written.status == 200, written.body
        version = int(written.headers["consistency-token"])
        began = time.perf_counter()
        read = get(local, token, served, at_least=version)
        gets.append((time.perf_counter() - began) * 1000)
        assert read.status == 200 and read.body["version"] >= version
    return statistics.median(puts), statistics.median(gets)


def settle(local: LocalApi) -> None:
    if local.replicator is not None:
        local.replicator.wait_idle()
    if local.strong is not None:
        local.strong.wait_idle()


def figures(count: int) -> list[tuple[str, float]]:
    """GET medians with the three stacks up together, one request per case per round (the shared machine's drift
    hits every case alike), then the PUT / GET-with-token pairs stack by stack."""
    rows: list[tuple[str, float]] = []
    with (
        started(["us-east-1"]) as single,
        started(["us-east-1", "eu-west-1"]) as eventual,
        started(["us-east-1", "us-east-2", "us-west-2"], "STRONG") as strong,
    ):
        users = {
            ("single", "us-east-1"): homed_user(single, "us-east-1"),
            **{("eventual", region): homed_user(eventual, region) for region in eventual.options.regions},
            **{("strong", region): homed_user(strong, region) for region in strong.options.regions},
        }
        for local in (eventual, strong):
            settle(local)
        stacks = {"single": single, "eventual": eventual, "strong": strong}
        cases = {
            "1 region: GET, us-east-1": ("single", "us-east-1", "us-east-1"),
            "EVENTUAL 2: GET, homed and served in us-east-1": ("eventual", "us-east-1", "us-east-1"),
            "EVENTUAL 2: GET, homed and served in eu-west-1": ("eventual", "eu-west-1", "eu-west-1"),
            "EVENTUAL 2: GET, homed us-east-1, served eu-west-1 (travelling)": ("eventual", "us-east-1", "eu-west-1"),
            "STRONG 3: GET, served in us-east-1": ("strong", "us-east-1", "us-east-1"),
            "STRONG 3: GET, served in us-east-2": ("strong", "us-east-2", "us-east-2"),
            "STRONG 3: GET, served in us-west-2": ("strong", "us-west-2", "us-west-2"),
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(count):
            for name, (stack, home, served) in cases.items():
                samples[name].append(timed(1, stacks[stack], users[(stack, home)][0], served))
        rows += [(name, statistics.median(values)) for name, values in samples.items()]
        pairs = (
            ("1 region", single, "us-east-1", "us-east-1"),
            ("EVENTUAL 2, homed and served eu-west-1", eventual, "eu-west-1", "eu-west-1"),
            ("EVENTUAL 2, homed us-east-1, served eu-west-1", eventual, "us-east-1", "eu-west-1"),
            ("STRONG 3, served us-east-1", strong, "us-west-2", "us-east-1"),
        )
        for label, local, home, served in pairs:
            stack = next(key for key, value in stacks.items() if value is local)
            put_ms, get_ms = write_then_read(local, users[(stack, home)][0], home, served, count // 2)
            rows += [(f"{label}: PUT", put_ms), (f"{label}: GET with that PUT's token at once", get_ms)]
    return rows


def outage() -> dict[str, Any]:
    """us-east-1's table cut: what eu-west-1 answers each user, and what is lost after recovery."""
    with started(["us-east-1", "eu-west-1"]) as local:
        users = {region: homed_user(local, region) for region in local.options.regions}
        settle(local)
        acknowledged: dict[str, int] = {region: version for region, (_, version) in users.items()}
        local.set_table_reachable("us-east-1", False)
        seen: dict[str, Any] = {}
        for home, (token, _) in users.items():
            seen[f"GET homed {home}, served eu-west-1"] = get(local, token, "eu-west-1").status
            reply = put(local, token, "eu-west-1", acknowledged[home])
            retry_after = reply.headers.get("retry-after")
            seen[f"PUT homed {home}, served eu-west-1"] = f"{reply.status}" + (
                f" Retry-After {retry_after}" if retry_after else ""
            )
            if reply.status == 200:
                acknowledged[home] = int(reply.body["version"])
        local.set_table_reachable("us-east-1", True)
        settle(local)
        lost = 0
        for home, (token, _) in users.items():
            sub = get(local, token, home).body["accountId"]
            key = {"pk": {"S": f"USER#{sub}"}, "sk": {"S": "ACCOUNT"}}
            for region in local.options.regions:
                item = local.moto.client("dynamodb", region).get_item(
                    TableName=TABLE_NAME, Key=key, ConsistentRead=True
                )
                lost += int(item["Item"]["version"]["N"]) != acknowledged[home]
        seen["acknowledged writes lost after recovery (per replica)"] = lost
        return seen


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 41
    rows = figures(count)
    base = rows[0][1]
    print(f"GET /v1/accounts/me and PUT, medians of {count} requests (PUT/GET pairs: {count // 2}), local model")
    print(f"{'case':66} {'ms':>7} {'x 1-region GET':>15}")
    for name, ms in rows:
        print(f"{name:66} {ms:7.1f} {ms / base:15.2f}")
    print("\nus-east-1's table cut, served in eu-west-1:")
    for name, value in outage().items():
        print(f"  {name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
