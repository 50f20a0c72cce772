"""One fresh process: import a handler, answer the first request (cold), then time warm requests.

    python -m bench.probe <module> [warm requests]

DynamoDB is faked below botocore's HTTP layer: a `before-send` hook (the one moto uses) answers
GetItem with a canned item, so serialisation, signing, endpoint resolution and response parsing
all run as in Lambda, but no socket is opened. The hook is attached by an import hook when
botocore.handlers is first imported (BUILTIN_HANDLERS: every new session gets it), so nothing is
imported before the clock starts beyond what this file needs (json, time, os, sys, importlib).

The "stubbed" figure replaces the DynamoDB client by an instant stub after the warm run: what is
left is the handler's own cost per request.
"""

import importlib
import importlib.abc
import importlib.util
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
_BODY = json.dumps(ITEM).encode()


class _Raw:
    def stream(self, **_):
        yield _BODY


def fake_dynamodb(request, **_):
    """Answer every DynamoDB call with the canned GetItem response (no network)."""
    from botocore.awsrequest import AWSResponse

    headers = {"content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "bench"}
    return AWSResponse(request.url, 200, headers, _Raw())  # type: ignore[arg-type]  # any mapping does


def _attach_fake(module):
    module.BUILTIN_HANDLERS.append(("before-send.dynamodb", fake_dynamodb))


def _default_loader(module):
    """Experiment: undo lambdas.aws's KnownServicesLoader, to measure what it saves."""
    import botocore.loaders

    module.KnownServicesLoader.list_available_services = botocore.loaders.Loader.list_available_services


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs a callback right after a module is first executed, without importing it early."""

    def __init__(self, callbacks):
        self.callbacks = callbacks

    def find_spec(self, name, path, target=None):
        callback = self.callbacks.pop(name, None)
        if callback is None:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            if self.callbacks:
                sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module):
            original(module)
            callback(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]  # the patch is the point
        return spec


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
        aws.dynamodb = lambda: stub  # type: ignore[attr-defined]  # replaced for the warm-overhead run


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
    callbacks = {"botocore.handlers": _attach_fake}
    if os.environ.get("BENCH_LOADER") == "botocore-default":
        callbacks["lambdas.aws"] = _default_loader
    sys.meta_path.insert(0, _AfterImport(callbacks))

    start = time.perf_counter()
    module = importlib.import_module(module_name)
    imported = time.perf_counter()
    response = module.handler(event, context)
    first = time.perf_counter()

    assert response["statusCode"] == 200, response
    assert json.loads(response["body"])["version"] == 3, response
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
                "warm_us": warm_us,
                "warm_p90_us": warm_p90_us,
                "stubbed_us": overhead_us,
                "stubbed_p90_us": overhead_p90_us,
            }
        )
    )


if __name__ == "__main__":
    main()
