"""`make serve`: its access log (localapi/apigateway/server.py), its refusal of unknown regions (localapi/__main__)."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import urllib.request
from typing import TYPE_CHECKING

from localapi.apigateway.responses import HttpResponse
from localapi.apigateway.server import REGION_HEADER, Server

if TYPE_CHECKING:
    import pytest

    from localapi.apigateway.events import IncomingRequest


class Answers:
    def handle(self, request: IncomingRequest, host: str = "127.0.0.1", port: int = 0) -> HttpResponse:
        return HttpResponse(201, [(REGION_HEADER, "eu-west-1")], b"{}")


def test_access_log_one_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    server = Server(Answers(), 0).start()
    try:
        with caplog.at_level(logging.INFO, logger="localapi.access"):
            urllib.request.urlopen(urllib.request.Request(server.url + "/v1/things?a=1", method="POST", data=b"{}"))
    finally:
        server.stop()
    lines = [record.getMessage() for record in caplog.records if record.name == "localapi.access"]
    assert len(lines) == 1
    assert re.fullmatch(r"POST /v1/things\?a=1 201 eu-west-1 \d+ms", lines[0]), lines[0]


def test_serve_refuses_an_unknown_region_in_one_line() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "localapi", "serve", "--port", "0", "--regions", "us-east-1,mars-north-1"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "localapi: unknown AWS region mars-north-1: use region codes such as us-east-1,eu-west-1"
    ]
