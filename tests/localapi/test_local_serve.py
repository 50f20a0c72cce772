"""`python -m localapi serve` as a developer runs it (`make serve`): start-up, token, contract, Ctrl-C, busy port."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devtools.lab.client import call
from devtools.lab.cluster import STATE_DIR, LocalApi, Options
from localapi.__main__ import EXIT_PORT_IN_USE
from localapi.process import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow
START_BUDGET_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    def __init__(self, port: int, process: subprocess.Popen[str], started_in: float) -> None:
        self.port = port
        self.process = process
        self.started_in = started_in
        self.url = f"http://127.0.0.1:{port}"


def start(port: int, *extra: str, stderr: int = subprocess.STDOUT, session: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "localapi", "serve", "--port", str(port), "--quiet", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=session,
    )


def wait_healthy(port: int, process: subprocess.Popen[str]) -> bool:
    deadline = time.monotonic() + START_BUDGET_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if call(f"http://127.0.0.1:{port}", "GET", "/health", timeout=2).status == 200:
                return True
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    return False


def launch(*extra: str, stderr: int = subprocess.STDOUT, session: bool = False) -> tuple[Served, bool]:
    """`serve` on a free port, healthy or not (False). The port is picked free, then bound by the new process
    seconds later: another program can take it meanwhile (the machine is shared), so a start refused for a busy
    port is made again on another (`test_serve_refuses_a_busy_port_clearly` covers the refusal itself)."""
    for _ in range(5):
        port = free_port()
        began = time.monotonic()
        process = start(port, *extra, stderr=stderr, session=session)
        healthy = wait_healthy(port, process)
        if healthy or process.poll() != EXIT_PORT_IN_USE:
            return Served(port, process, time.monotonic() - began), healthy
        process.communicate(timeout=60)  # reaps it and closes its pipes
    raise AssertionError("five free ports in a row were taken before `serve` could bind them")


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    started, _ = launch()
    process = started.process
    try:
        yield started
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if process.stdout is not None:
            process.stdout.close()


def token(port: int, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "localapi", "token", "--port", str(port), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_answers_health_within_30_seconds(served: Served) -> None:
    reply = call(served.url, "GET", "/health")
    print(f"serve answered /health {served.started_in:.1f}s after start")
    assert reply.status == 200
    assert served.started_in < START_BUDGET_SECONDS
    assert reply.body["status"] == "ok"
    assert reply.body["region"] == "us-east-1"


def test_serve_token_lets_a_caller_put_then_get_its_account(served: Served) -> None:
    issued = token(served.port)
    assert issued.returncode == 0, issued.stderr
    access = issued.stdout.strip()
    account = {"displayName": "Ada", "locale": "en-GB", "version": 0}
    put = call(served.url, "PUT", "/v1/accounts/me", token=access, body=account)
    got = call(served.url, "GET", "/v1/accounts/me", token=access)
    assert put.status == 200, put.body
    assert got.status == 200
    assert got.body == put.body
    assert (got.body["displayName"], got.body["version"]) == ("Ada", 1)


def test_serve_token_prints_the_token_only(served: Served) -> None:
    # WHEN `make -s token` runs (the pre token generation trigger runs in its process and logs a JSON line)
    issued = token(served.port)
    # THEN stdout is the token alone and stderr is empty: `TOKEN=$(make -s token)` shows nothing on screen
    assert (issued.returncode, issued.stderr) == (0, "")
    assert issued.stdout.count("\n") == 1
    assert len(issued.stdout.strip().split(".")) == 3  # a JWT
    assert "scopes decided" in (STATE_DIR / f"{served.port}.trigger.log").read_text(encoding="utf-8")


def test_serve_contract_violation_gets_the_contract_400_body(served: Served) -> None:
    access = token(served.port).stdout.strip()
    reply = call(served.url, "PUT", "/v1/accounts/me", token=access, body={"displayName": "Ada"})
    assert reply.status == 400
    assert reply.body == {
        "code": "BAD_REQUEST",
        "message": "Invalid request body: "
        "[body: 'locale' is a required property; body: 'version' is a required property]",
        "field": "body",
        "requestId": reply.headers["x-amzn-requestid"],
    }


def test_serve_token_with_narrow_scopes_is_refused_elsewhere(served: Served) -> None:
    access = token(served.port, "--scopes", "api/items.read").stdout.strip()
    assert call(served.url, "GET", "/v1/items", token=access).status == 200
    refused = call(served.url, "GET", "/v1/accounts/me", token=access)
    assert (refused.status, refused.body["code"]) == (401, "UNAUTHORIZED")


def test_serve_prints_urls_docs_and_curl_examples(served: Served) -> None:
    assert served.process.stdout is not None
    banner = ""
    deadline = time.monotonic() + 10
    while "Ctrl-C" not in banner and time.monotonic() < deadline:
        banner += served.process.stdout.readline()
    assert served.url in banner
    assert "index.html" in banner
    assert "curl -s" in banner
    assert "make -s token" in banner


def test_serve_refuses_a_busy_port_clearly(served: Served) -> None:
    second = start(served.port)
    output, _ = second.communicate(timeout=60)
    assert second.returncode == 2
    assert f"port {served.port} on 127.0.0.1 is already in use" in output
    assert "Traceback" not in output


def test_token_without_a_running_api_says_so(tmp_path: Path) -> None:
    result = token(free_port(), "--state-dir", str(tmp_path))
    assert result.returncode == 3
    assert "make serve" in result.stderr


def test_serve_stops_everything_on_ctrl_c() -> None:
    started, ready = launch()
    port, process = started.port, started.process
    try:
        assert ready
        children = _children(process.pid)
        assert children, "the regional gateway runs in a child process"
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=5)  # reaps it and closes its pipes (an open pipe fails the next test)
    assert process.returncode == 0
    assert "Stopped." in output
    assert "Traceback" not in output, output
    for pid in children:
        assert not _alive(pid), f"child {pid} still runs"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # the port is free again


def test_serve_stops_two_regions_quietly_on_a_terminal_ctrl_c() -> None:
    # GIVEN two regions (so the replicator follows both streams) in their own process group, as in a terminal
    started, ready = launch("--regions", "us-east-1,eu-west-1", stderr=subprocess.PIPE, session=True)
    process = started.process
    try:
        assert ready
        time.sleep(1)  # a few stream polls and health-check rounds
        # WHEN Ctrl-C reaches the whole foreground group (the terminal signals every process in it)
        os.killpg(process.pid, signal.SIGINT)
        output, errors = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=5)  # reaps it and closes its pipes (an open pipe fails the next test)
    # THEN it stops in order: nothing is reported failing, no traceback
    assert process.returncode == 0
    assert "Stopped." in output
    assert "ERROR" not in errors, errors
    assert "Traceback" not in errors + output, errors


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_serve_state_file_is_written_before_the_front_door_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a start whose state file (what `make token` reads) is written slowly, as on a loaded machine
    write_state = LocalApi._write_state

    def slowly(local: LocalApi) -> None:
        time.sleep(1.0)
        write_state(local)

    monkeypatch.setattr(LocalApi, "_write_state", slowly)
    local = LocalApi(Options(regions=["us-east-1"], port=0, state_dir=tmp_path))
    starting = threading.Thread(target=local.start)
    starting.start()
    try:
        # WHEN the front door first answers (its port is bound at once: a call waits until it serves)
        assert call(local.url, "GET", "/health", timeout=120).status == 200
        # THEN the state file is there already: `make token` right after a healthy /health finds the API
        assert (tmp_path / f"{local.server.port}.json").exists()
    finally:
        starting.join(120)
        local.stop()
