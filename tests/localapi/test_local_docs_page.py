"""The offline docs page (api/index.html) in headless Chromium with no network: every operation is listed.

Chromium comes from the system (Debian/Ubuntu: `sudo apt-get install -y chromium`; `.ci/run` installs it
in CI). Without it the test fails with that instruction: `make test` never installs system packages and
never skips silently. It saves a screenshot to build/localapi/docs-page.png.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from localapi.process import ROOT

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow
PAGE = ROOT / "api" / "index.html"
SCREENSHOT = ROOT / "build" / "localapi" / "docs-page.png"
OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # No network: names resolve nowhere and any request would go to a closed local port.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
)


def chromium() -> str:
    found = shutil.which(os.environ.get("CHROMIUM", "chromium")) or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(
            "chromium is not installed (the docs-page test needs it): install it with your system's package "
            "manager, e.g. `sudo apt-get install -y chromium` on Debian/Ubuntu, or set CHROMIUM=/path/to/chrome"
        )
    return found


def run_chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium(), *OFFLINE_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=15000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


class Operations(HTMLParser):
    """Collects Swagger UI's operation blocks: id `operations-<tag>-<operationId>`, method and path."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.paths: set[str] = set()
        self.methods: list[str] = []
        self.errors = 0
        self._in_method = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if (attributes.get("id") or "").startswith("operations-"):
            self.ids.add(attributes["id"] or "")
        if attributes.get("data-path"):
            self.paths.add(attributes["data-path"] or "")
        classes = (attributes.get("class") or "").split()
        self._in_method = "opblock-summary-method" in classes
        self.errors += "errors-wrapper" in classes

    def handle_data(self, data: str) -> None:
        if self._in_method and data.strip():
            self.methods.append(data.strip())
            self._in_method = False


def test_docs_page_lists_every_operation_offline(tmp_path: Path) -> None:
    public = json.loads((ROOT / "api" / "openapi.json").read_text(encoding="utf-8"))
    expected = {
        (method.upper(), path, spec["operationId"], spec["tags"][0])
        for path, item in public["paths"].items()
        for method, spec in item.items()
    }

    dump = run_chromium(tmp_path / "dom", "--dump-dom", PAGE.as_uri())
    assert dump.returncode == 0, dump.stderr[-2000:]
    page = Operations()
    page.feed(dump.stdout)

    missing = sorted(
        f"{method} {path}"
        for method, path, operation_id, tag in expected
        if f"operations-{tag}-{operation_id}" not in page.ids or path not in page.paths
    )
    assert not missing, f"the docs page does not list: {missing}"
    assert sorted(page.methods) == sorted(method for method, *_ in expected)
    assert page.errors == 0, "Swagger UI shows an error (the document did not load)"
    assert public["info"]["title"] in dump.stdout

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shot = run_chromium(tmp_path / "shot", f"--screenshot={SCREENSHOT}", "--window-size=1280,1800", PAGE.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert SCREENSHOT.stat().st_size > 10_000
