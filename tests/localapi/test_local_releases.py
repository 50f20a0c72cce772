"""devtools/lab/releases.py: the region's 5xx-rate alarm as CloudWatch evaluates it, and each function of a
release run from its own zip."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devtools.lab.releases import Alarm, ReleaseCode

if TYPE_CHECKING:
    from pathlib import Path


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


def alarm_with(periods: list[tuple[int, int]]) -> Alarm:
    """An alarm as modules/regional declares it (5 %, 3 of 5 periods of 60 s) fed `periods` of (errors, total)."""
    clock = Clock()
    alarm = Alarm(threshold=0.05, period=60, evaluation_periods=5, datapoints_to_alarm=3, clock=clock)
    for index, (errors, total) in enumerate(periods):
        clock.now = index * 60 + 1
        for number in range(total):
            alarm.record(number < errors)
    clock.now = len(periods) * 60 + 1  # the last period is complete
    return alarm


def test_alarm_fires_when_three_of_the_last_five_periods_breach() -> None:
    assert alarm_with([(0, 100), (6, 100), (0, 100), (6, 100), (6, 100)]).state == "ALARM"


def test_alarm_stays_ok_with_two_breaching_periods_or_a_rate_at_the_threshold() -> None:
    assert alarm_with([(6, 100), (6, 100), (0, 100), (0, 100), (0, 100)]).state == "OK"
    assert alarm_with([(5, 100)] * 5).state == "OK"  # GreaterThanThreshold: 5 % is not above 5 %


def test_alarm_treats_periods_without_requests_as_not_breaching() -> None:
    assert alarm_with([(1, 1), (0, 0), (0, 0), (1, 1), (0, 0)]).state == "OK"


def test_alarm_reset_forgets_the_datapoints() -> None:
    alarm = alarm_with([(50, 100)] * 5)
    alarm.reset()
    assert alarm.state == "OK"


def _zip(path: Path, name: str) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("lambdas/__init__.py", "")
        archive.writestr("lambdas/contract_types.py", f"NAME = {name!r}\n")
        archive.writestr("lambdas/handlers/__init__.py", "")
        archive.writestr(
            f"lambdas/handlers/{name}.py",
            "from lambdas.contract_types import NAME\n\ndef handler(event, context):\n    return NAME\n",
        )


def test_release_code_runs_each_function_from_its_own_zip(tmp_path: Path) -> None:
    # GIVEN two zips whose lambdas/contract_types.py differ (each function's own, as tools/package.py writes them)
    (tmp_path / "lambdas").mkdir()
    for name in ("first", "second"):
        _zip(tmp_path / "lambdas" / f"{name}.zip", name)
    before = sys.modules.get("lambdas")
    code = ReleaseCode(tmp_path)
    # WHEN both handlers are loaded
    first = code.handler("lambdas.handlers.first.handler")
    second = code.handler("lambdas.handlers.second.handler")
    # THEN each sees its own zip's modules, and the process's own lambdas package is untouched
    assert (first({}, None), second({}, None)) == ("first", "second")
    assert sys.modules.get("lambdas") is before


_EXTRACT = """
import os, sys, time
from pathlib import Path
from devtools.lab.releases import ReleaseCode
go = Path(sys.argv[2])
(go.parent / f"ready-{os.getpid()}").touch()
while not go.exists():
    time.sleep(0.001)
print(ReleaseCode(Path(sys.argv[1]))._extract("list_items"))
"""


def test_release_code_extracts_one_zip_from_several_processes_at_once(tmp_path: Path) -> None:
    # GIVEN a function zip with nested folders (the race was on .../lambdas/services) and six region
    # processes of one release waiting to unpack it at the same instant
    (tmp_path / "lambdas").mkdir()
    with zipfile.ZipFile(tmp_path / "lambdas" / "list_items.zip", "w") as archive:
        for number in range(200):
            archive.writestr(f"lambdas/services/part{number}/module.py", f"N = {number}\n")
        archive.writestr("lambdas/handlers/list_items.py", "def handler(event, context):\n    return 1\n")
        names = sorted(archive.namelist())
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _EXTRACT, str(tmp_path), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    # every process has imported and waits (a fixed pause let a slow one start later, and the race go untested)
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < len(processes) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(list(tmp_path.glob("ready-*"))) == len(processes)
    # WHEN they all extract at once
    go.touch()
    results = [process.communicate(timeout=60) for process in processes]
    # THEN none fails, all use one folder holding the whole zip, and no staging folder is left behind
    target = tmp_path / ".code" / "list_items"
    assert [(process.returncode, err) for process, (_, err) in zip(processes, results, strict=True)] == [(0, "")] * 6
    assert {out.strip() for out, _ in results} == {str(target)}
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == names
    assert [p.name for p in (tmp_path / ".code").iterdir()] == ["list_items"]
