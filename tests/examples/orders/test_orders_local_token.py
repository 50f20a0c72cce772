"""`make serve API=examples/orders`, then `make -s token PORT=...`: the token holds the orders API's scopes (its
pre token generation trigger runs with the orders API's contract_types, as its zip holds it), every operation the
token's scopes allow answers, and the banner's `Try:` lines are the orders API's own."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import jwt
import pytest

from devtools.lab.client import call
from localapi.__main__ import try_lines
from tests.examples.orders.conftest import ORDERS, ROOT
from tests.localapi.test_local_banner import wrong_answers

if TYPE_CHECKING:
    from devtools.lab.cluster import LocalApi

pytestmark = pytest.mark.slow
MANIFEST = json.loads((ORDERS / "api" / "routes.json").read_text(encoding="utf-8"))


def make_token(local: LocalApi) -> str:
    """What `make -s token PORT=<port>` prints (no API=: the served stack's state file says which API it serves)."""
    assert local.options.state_dir is not None
    done = subprocess.run(
        [sys.executable, "-m", "localapi", "token", "--port", str(local.server.port)]
        + ["--state-dir", str(local.options.state_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_orders_state_file_names_the_served_api(local: LocalApi) -> None:
    assert local.options.state_dir is not None
    state = json.loads((local.options.state_dir / f"{local.server.port}.json").read_text(encoding="utf-8"))
    assert state["api_dir"] == str((ORDERS / "api").resolve())
    trigger = MANIFEST["triggers"]["pre_token_generation"]
    assert state["cognito"]["trigger"]["contract_types"] == trigger["contract_types"]


def test_orders_make_token_holds_the_orders_scopes(local: LocalApi) -> None:
    scopes = set(jwt.decode(make_token(local), options={"verify_signature": False})["scope"].split())
    server = MANIFEST["resource_server"]
    assert set(server["sent_as"].values()) <= scopes
    assert not any(scope.startswith("api/") for scope in scopes)


def test_orders_make_token_is_accepted(local: LocalApi) -> None:
    reply = call(local.url, "GET", "/v1/orders", token=make_token(local))
    assert reply.status == 200, reply.body


def test_orders_banner_names_only_orders_operations(local: LocalApi) -> None:
    lines = try_lines(local.api, local.url, local.server.port)
    paths = {op.path for op in local.api.operations.values()}
    named = {word.removeprefix(local.url) for line in lines for word in line.split() if word.startswith(local.url)}
    assert named and named <= paths


def test_orders_banner_try_lines_answer_as_shown(local: LocalApi) -> None:
    assert wrong_answers(local, make_token(local)) == []
