"""One fresh process: import a handler, answer the first request (cold), then time warm requests.

    python -m bench.probe <module> [warm requests]

DynamoDB is a local HTTP endpoint (bench/run.py's stub, AWS_ENDPOINT_URL, plain HTTP for every row, so
no row loads the CA store) answering GetItem with a canned item: serialisation, signing, the connection
and response parsing all run as in Lambda. Only json, time, os, sys and importlib are imported before the
clock starts; peak memory (ru_maxrss) is read right after the first request.

The "stubbed" figure replaces the DynamoDB client by an instant stub after the warm run: what is
left is the handler's own cost per request.
"""

import importlib
import json
import os
import sys
import time

ITEM = {
    "Item": {
        "pk": {"S": "USER#7d1c0f1e-8f3a-4c2b-9e1d-0a1b2c3d4e5f"},
        "sk": {"S": "ACCOUNT"},
        "displayName": {"S": "Ada"},
        "locale": {"S": "en-GB"},
        "version": {"N": "3"},
        "updatedAt": {"S": "2026-11-23T09:30:42.123Z"},
    }
}


class StubDynamoDB:
    """A client that answers at once: what is left of a warm request is the handler's own overhead."""

    def get_item(self, **_):
        return ITEM


def stub_aws(module):
    """Swap the module's DynamoDB client for StubDynamoDB (ours is reached through lambdas.aws)."""
    stub = StubDynamoDB()
    if hasattr(module, "dynamodb"):
        module.dynamodb = stub
    else:
        aws = importlib.import_module("lambdas.aws")
        aws.dynamodb = lambda: stub  # type: ignore[attr-defined]  # for the warm-overhead run


def timed(handler, event, context, count):
    """Median and 90th percentile of `count` calls, in microseconds."""
    perf = time.perf_counter_ns
    samples = []
    for _ in range(count):
        begin = perf()
        handler(event, context)
        samples.append(perf() - begin)
    samples.sort()
    return samples[len(samples) // 2] / 1e3, samples[len(samples) * 9 // 10] / 1e3


class Context:
    aws_request_id = "5b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"
    function_name = "bench"


def main():
    module_name = sys.argv[1]
    warm = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    code_dir = os.environ.get("BENCH_CODE_DIR")
    if code_dir:  # our handler from its extracted zip, compiled from source as in Lambda (no .pyc)
        sys.dont_write_bytecode = True
        sys.path.insert(0, code_dir)
    with open(os.environ["BENCH_EVENT"]) as file:  # noqa: PTH123 (pathlib is not imported before the clock)
        event = json.load(file)
    context = Context()
    start = time.perf_counter()
    module = importlib.import_module(module_name)
    imported = time.perf_counter()
    response = module.handler(event, context)
    first = time.perf_counter()

    import resource  # after the clock

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert response["statusCode"] == 200, response
    assert json.loads(response["body"])["version"] == 3, response
    if module_name == "bench.apps.empty":
        print(
            json.dumps(
                {
                    "import_ms": (imported - start) * 1e3,
                    "first_ms": (first - imported) * 1e3,
                    "cold_ms": (first - start) * 1e3,
                    "peak_mib": peak_mib,
                    "warm_us": 0.0,
                    "warm_p90_us": 0.0,
                    "stubbed_us": 0.0,
                    "stubbed_p90_us": 0.0,
                }
            )
        )
        return
    if code_dir:
        assert module.__file__ is not None and module.__file__.startswith(code_dir), module.__file__

    warm_us, warm_p90_us = timed(module.handler, event, context, warm)
    stub_aws(module)
    assert json.loads(module.handler(event, context)["body"])["version"] == 3
    overhead_us, overhead_p90_us = timed(module.handler, event, context, warm * 5)
    print(
        json.dumps(
            {
                "import_ms": (imported - start) * 1e3,
                "first_ms": (first - imported) * 1e3,
                "cold_ms": (first - start) * 1e3,
                "peak_mib": peak_mib,
                "warm_us": warm_us,
                "warm_p90_us": warm_p90_us,
                "stubbed_us": overhead_us,
                "stubbed_p90_us": overhead_p90_us,
            }
        )
    )


if __name__ == "__main__":
    main()
