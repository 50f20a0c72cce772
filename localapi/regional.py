"""One region's gateway in its own process, with the environment its Lambdas would have.

Handlers read TABLE_NAME, SECRET_ID and AWS_REGION from the environment and cache their clients per
process, exactly as in a Lambda container; so each region runs in a child process whose environment
points botocore at moto (AWS_ENDPOINT_URL) and at the region's fault proxy for DynamoDB
(AWS_ENDPOINT_URL_DYNAMODB). The child prints `READY <port>` once it serves, and exits when its parent
goes away.
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from localapi.stack import CognitoSetup

READY: Final = "READY"
START_TIMEOUT_SECONDS: Final = 60.0
ROOT: Final = Path(__file__).resolve().parent.parent


def region_environment(
    region: str, moto_endpoint: str, dynamodb_endpoint: str, table_name: str, secret_id: str
) -> dict[str, str]:
    """The environment of a region's Lambdas (plus what points botocore at moto)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    env.update(
        {
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_ENDPOINT_URL": moto_endpoint,
            "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "AWS_EC2_METADATA_DISABLED": "true",
            "TABLE_NAME": table_name,
            "SECRET_ID": secret_id,
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


class ChildProcess:
    """A child `python -m localapi <command>` that prints `READY <port>` once it serves."""

    def __init__(self, name: str, args: list[str], env: dict[str, str] | None = None, echo_logs: bool = False) -> None:
        self.name = name
        self.echo_logs = echo_logs
        command = [sys.executable, "-m", "localapi", *args, "--parent-pid", str(os.getpid())]
        if env is None:
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        self._process = subprocess.Popen(  # noqa: S603 (our own module, no shell)
            command, env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, cwd=str(ROOT)
        )
        self.port = self._wait_ready()
        self.url = f"http://127.0.0.1:{self.port}"

    def _wait_ready(self) -> int:
        assert self._process.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        stdout = self._process.stdout

        def pump() -> None:
            ready = False
            for line in stdout:
                if ready:
                    if self.echo_logs:
                        sys.stdout.write(f"[{self.name}] {line}")
                    continue
                ready = line.startswith(READY)
                lines.put(line)
            lines.put("")

        threading.Thread(target=pump, name=f"{self.name}-stdout", daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line.startswith(READY):
                return int(line.split()[1])
            if line == "":
                break
            sys.stdout.write(f"[{self.name}] {line}")
        self.stop()
        raise RuntimeError(f"{self.name} did not start (exit code {self._process.poll()})")

    @property
    def alive(self) -> bool:
        """Whether the process runs."""
        return self._process.poll() is None

    def stop(self) -> None:
        """Terminate the process (SIGTERM, then SIGKILL after 5 s)."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
        if self._process.stdout is not None:
            self._process.stdout.close()


class RegionProcess(ChildProcess):
    """One region's gateway process."""

    def __init__(
        self,
        region: str,
        env: dict[str, str],
        cognito: CognitoSetup | None,
        api_dir: Path,
        extra_args: tuple[str, ...] = (),
        echo_logs: bool = False,
    ) -> None:
        self.region = region
        args = ["gateway", "--region", region, "--api-dir", str(api_dir)]
        if cognito is not None:
            args += ["--jwks-url", cognito.jwks_url, "--issuer", cognito.issuer]
        super().__init__(region, [*args, *extra_args], env, echo_logs)


def _watch_parent(parent_pid: int, stop: threading.Event) -> None:
    while not stop.wait(1.0):
        if os.getppid() != parent_pid:
            os._exit(0)


def serve_region(argv: list[str]) -> int:
    """Child entry point: `python -m localapi gateway --region R ...` (started by RegionProcess)."""
    from localapi import document
    from localapi.cognito import Verifier
    from localapi.gateway import Gateway
    from localapi.server import Server

    parser = argparse.ArgumentParser(prog="python -m localapi gateway")
    parser.add_argument("--region", required=True)
    parser.add_argument("--api-dir", type=Path, default=document.API_DIR)
    parser.add_argument("--jwks-url")
    parser.add_argument("--issuer")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--parent-pid", type=int, default=0)
    parser.add_argument("--handler-prefix", default="", help="import handlers from this package instead (tests)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format=f"[{args.region}] %(levelname)s %(name)s: %(message)s")
    api = document.load(args.api_dir)
    verifier = Verifier(args.jwks_url, args.issuer) if args.jwks_url and args.issuer else None
    resolve: Any = None
    if args.handler_prefix:
        from localapi.gateway import _import_handler

        prefix = args.handler_prefix

        def resolve(dotted: str) -> Any:
            return _import_handler(prefix + "." + dotted.split(".")[-2] + ".handler")

    gateway = Gateway(api, verifier, args.region, resolve=resolve)
    server = Server(gateway, args.port, name=f"localapi-{args.region}").start()
    stop = threading.Event()
    if args.parent_pid:
        threading.Thread(target=_watch_parent, args=(args.parent_pid, stop), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"{READY} {server.port}", flush=True)
    stop.wait()
    server.stop()
    return 0
