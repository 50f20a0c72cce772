"""The cold-start measure of lambdas/__init__.py: GC paused during init in Lambda, and only there; and what
Lambda SnapStart would snapshot after init: no connection, credentials, TLS context or client."""

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


NOTHING_AT_IMPORT = """
import json, socket, sys

def refuse(*args, **kwargs):
    raise AssertionError(f"network during import: {args}")

socket.socket.connect = socket.create_connection = refuse
for module in sys.argv[1:]:
    __import__(module)
from lambdas import aws, awscredentials, awspool
clients = [aws.dynamodb, aws.dynamodb_in, aws.secretsmanager, aws.health_dynamodb, aws.health_secretsmanager]
print(json.dumps({
    "tls": bool(awspool._contexts),
    "pools": len(awspool._pools),
    "credentials": awscredentials._container is not None,
    "clients": sum(client.cache_info().currsize for client in clients),
    "settings": aws.settings.cache_info().currsize,
}))
"""


def test_init_importing_every_handler_connects_nowhere_and_reads_no_credentials():
    # GIVEN a SnapStart function's environment (credentials only from the container endpoint)
    handlers = sorted(f"lambdas.handlers.{path.stem}" for path in (ROOT / "lambdas" / "handlers").glob("[!_]*.py"))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_LAMBDA_FUNCTION_NAME": "f",
        "AWS_REGION": "us-east-1",
        "TABLE_NAME": "t",
        "SECRET_ID": "s",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/credentials",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "token",
    }

    # WHEN Python imports them all (Lambda's init, which SnapStart snapshots)
    done = subprocess.run(
        [sys.executable, "-c", NOTHING_AT_IMPORT, *handlers],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    # THEN nothing connected, and no credentials, TLS context, client or settings exist yet to be snapshotted
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "tls": False,
        "pools": 0,
        "credentials": False,
        "clients": 0,
        "settings": 0,
    }
