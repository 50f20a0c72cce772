"""Child processes of the local API: `python -m localapi <command>` that prints `READY <port>` once it serves.

A leaf module (stdlib only) shared by the parent side (ChildProcess) and the child side
(announce_ready, watch_parent): moto (motoserver.py) and each region's gateway (regional.py).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Final

READY: Final = "READY"
START_TIMEOUT_SECONDS: Final = 60.0
READER_DRAIN_SECONDS: Final = 30.0
"""How long `stop` waits for the output of an exited child to be read (only a grandchild holding the pipe is slower)."""
ROOT: Final = Path(__file__).resolve().parent.parent


def announce_ready(port: int) -> None:
    """Child side: tell the parent which port serves (the line ChildProcess waits for)."""
    print(f"{READY} {port}", flush=True)


def stop_on_signals() -> threading.Event:
    """An event that SIGINT (Ctrl-C) or SIGTERM sets; wait on it with `wait_for_stop`."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    return stop


def wait_for_stop(stop: threading.Event) -> None:
    """Block the main thread until `stop` is set, waking twice a second.

    The kernel hands a process-wide signal to any of its threads, and Python runs the handler in the main
    thread only once that thread runs bytecode again. A wait without a timeout is woken (EINTR) only when the
    signal lands on the main thread itself, so with server threads about, Ctrl-C was sometimes never handled
    (https://docs.python.org/3/library/signal.html#signals-and-threads).
    """
    while not stop.wait(0.5):
        pass


def watch_parent(parent_pid: int, stop: threading.Event) -> None:
    """Child side, in a daemon thread: set `stop` as soon as the parent process is gone."""

    def watch() -> None:
        while not stop.wait(1.0):
            if os.getppid() != parent_pid:
                stop.set()

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


class ChildProcess:
    """A child `python -m localapi <command>` that prints `READY <port>` once it serves."""

    def __init__(self, name: str, args: list[str], env: dict[str, str] | None = None, echo_logs: bool = False) -> None:
        self.name = name
        self.echo_logs = echo_logs
        command = [sys.executable, "-m", "localapi", *args, "--parent-pid", str(os.getpid())]
        if env is None:
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        # Its own process group: a terminal's Ctrl-C signals the whole foreground group at once, and moto
        # stopping then would pull the table from under the replicator while it runs. The parent stops its
        # children itself, in order (LocalApi.stop), and watch_parent ends them if the parent dies.
        self._process = subprocess.Popen(  # our own module, no shell
            command,
            env=env,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=str(ROOT),
            process_group=0,
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

        self._reader = threading.Thread(target=pump, name=f"{self.name}-stdout", daemon=True)
        self._reader.start()
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
            # The reader thread reads to the end of the output first: a pipe closed under it raised in that thread
            # (I/O operation on closed file), which pytest reports as an error of whichever test is running.
            self._reader.join(READER_DRAIN_SECONDS)
            self._process.stdout.close()
