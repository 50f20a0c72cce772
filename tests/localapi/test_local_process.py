"""localapi/process.py: the child-process plumbing every `python -m localapi` command shares."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from typing import TYPE_CHECKING

from localapi.process import ROOT, ChildProcess

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

# A signal sent to the process lands on whichever thread the kernel picks; here it is sent to a worker thread
# on purpose, the case in which a plain Event.wait() in the main thread never ran the handler (Ctrl-C hung).
SIGNAL_ON_A_WORKER_THREAD = textwrap.dedent(
    """
    import signal, threading, time
    from localapi.process import stop_on_signals, wait_for_stop

    def signal_this_thread():
        time.sleep(0.5)  # so the main thread is already waiting (sent earlier, its handler runs before the wait)
        signal.pthread_kill(threading.get_ident(), signal.{name})

    stop = stop_on_signals()
    threading.Thread(target=signal_this_thread).start()
    wait_for_stop(stop)
    print("stopped")
    """
)


def test_wait_for_stop_returns_when_another_thread_received_the_signal() -> None:
    for name in ("SIGINT", "SIGTERM"):
        # GIVEN a main thread waiting for the stop signal WHEN a worker thread receives it
        done = subprocess.run(
            [sys.executable, "-c", SIGNAL_ON_A_WORKER_THREAD.format(name=name)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        # THEN the main thread stops
        assert done.returncode == 0, done.stderr
        assert done.stdout == "stopped\n"


def test_child_process_stop_lets_its_reader_drain_the_output_before_closing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a child that announces READY, then on SIGTERM logs more than a pipe holds before it exits (a gateway
    # logging as it stops), echoed by ChildProcess's reader thread to a terminal slower than the child
    child = tmp_path / "python"
    child.write_text("#!/bin/sh\necho 'READY 1'\ntrap 'seq 1 20000; exit 0' TERM\nwhile :; do sleep 0.05; done\n")
    child.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(child))
    monkeypatch.setattr(sys, "stdout", SlowTerminal())
    failures: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", failures.append)
    started = ChildProcess("drained", [], env=dict(os.environ), echo_logs=True)
    assert started.port == 1
    # WHEN it is stopped
    started.stop()
    # THEN the reader read to the end: its pipe was not closed under it (ValueError: I/O operation on closed file)
    for thread in threading.enumerate():
        if thread.name == "drained-stdout":
            thread.join(60)
    assert [str(failure.exc_value) for failure in failures] == []


class SlowTerminal:
    def write(self, text: str) -> int:
        time.sleep(0.0002)
        return len(text)

    def flush(self) -> None:
        pass
