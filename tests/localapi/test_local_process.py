"""localapi/process.py: the child-process plumbing every `python -m localapi` command shares."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from localapi.process import ROOT

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
