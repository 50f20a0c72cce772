"""The cold-start measure of lambdas/__init__.py: GC paused during init in Lambda, and only there."""

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
FIRST_REQUEST = """
import gc, json, sys
import lambdas.handlers.get_health as module
during_init = gc.isenabled()
response = module.handler({"requestContext": {"requestId": "r"}}, None)
print(json.dumps({"during_init": during_init, "after": gc.isenabled(), "frozen": gc.get_freeze_count(),
                  "status": response["statusCode"]}))
"""


def run_first_request(**env):
    done = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST],
        env={"PATH": os.environ.get("PATH", ""), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_init_in_lambda_gc_is_paused_until_the_first_request_is_answered():
    # GIVEN no AWS configuration, the first request fails (500): the GC must come back anyway
    state = run_first_request(AWS_LAMBDA_FUNCTION_NAME="f")

    assert state["during_init"] is False
    assert state["after"] is True
    assert state["frozen"] > 0
    assert state["status"] == 500


def test_init_outside_lambda_leaves_the_gc_alone():
    state = run_first_request()

    assert state["during_init"] is True
    assert state["frozen"] == 0


def test_init_in_this_test_process_the_gc_is_on():
    assert gc.isenabled()
