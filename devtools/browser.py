"""The headless browser of the docs-page test, on a machine with only Python, make and Node.

Where it comes from, first found wins:
1. `CHROMIUM=/path/to/chrome` (any Chromium-based browser);
2. Linux x64: the Chromium that the npm package @sparticuz/chromium ships inside its tarball (pinned by
   devtools/chromium/package-lock.json, installed with `npm ci` from the npm registry like every node tool here),
   decompressed once into build/browser/ with the package's own `inflate` (brotli). It carries its fonts,
   SwiftShader and the NSS libraries it links (the `al2023` set), so no system package is needed;
3. an installed Google Chrome, Chromium or Microsoft Edge, where macOS and Linux install them.

None found: `BrowserNotFoundError` names the fix. Nothing is downloaded from a browser vendor's CDN.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
PACKAGE_DIR: Final = ROOT / "devtools" / "chromium"
PACKAGE: Final = "@sparticuz/chromium"
CACHE_DIR: Final = ROOT / "build" / "browser"
MAC_APPS: Final = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
)
LINUX_NAMES: Final = ("google-chrome", "google-chrome-stable", "chromium", "chromium-browser", "microsoft-edge")
# The package's archives and where its inflate() puts them under TMPDIR (build/index.js executablePath).
ARCHIVES: Final = ("chromium.br", "fonts.tar.br", "swiftshader.tar.br", "al2023.tar.br")
INFLATE_SCRIPT: Final = """
import { inflate } from "@sparticuz/chromium";
import { join } from "node:path";
const bin = join("node_modules", "@sparticuz", "chromium", "bin");
for (const name of process.argv.slice(1)) await inflate(join(bin, name));
"""


class BrowserNotFoundError(Exception):
    """No browser to drive, with the way to get one."""


@dataclass(frozen=True)
class Browser:
    """A Chromium executable and what it needs to start."""

    executable: Path
    env: dict[str, str] = field(default_factory=dict)
    source: str = ""


def _package_version() -> str:
    manifest = json.loads((PACKAGE_DIR / "package.json").read_text(encoding="utf-8"))
    return str(manifest["dependencies"][PACKAGE])


def _npm_install() -> None:
    if shutil.which("npm") is None:
        raise BrowserNotFoundError(
            "no browser for the docs-page test: install Node.js with npm (its package @sparticuz/chromium ships "
            "one for Linux x64), or install Google Chrome or Chromium, or set CHROMIUM=/path/to/chrome"
        )
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=PACKAGE_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _fontconfig(target: Path) -> Path:
    # The package's fonts.conf names /tmp/fonts (Lambda's layout): ours names where we put them, plus the system's.
    directory = target / "fontconfig"
    directory.mkdir(exist_ok=True)
    (directory / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{target / 'fonts'}</dir>\n  <cachedir>{target / 'fonts-cache'}</cachedir>\n"
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n</fontconfig>\n',
        encoding="utf-8",
    )
    return directory


def packaged() -> Browser:
    """The Chromium of the pinned npm package (Linux x64), decompressed into build/browser/ on first use."""
    target = CACHE_DIR / f"chromium-{_package_version()}"
    executable = target / "chromium"
    if not executable.exists():
        installed = PACKAGE_DIR / "node_modules" / "@sparticuz" / "chromium" / "package.json"
        if not installed.exists() or json.loads(installed.read_text())["version"] != _package_version():
            _npm_install()
        # inflate() writes beside os.tmpdir(), which Node takes from TMPDIR; an interrupted run leaves no `chromium`.
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        subprocess.run(
            ["node", "--input-type=module", "-e", INFLATE_SCRIPT, *ARCHIVES],
            cwd=PACKAGE_DIR,
            env={**os.environ, "TMPDIR": str(partial)},
            check=True,
        )
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    env = {
        "FONTCONFIG_PATH": str(_fontconfig(target)),
        "LD_LIBRARY_PATH": os.pathsep.join(
            filter(None, [str(target / "al2023" / "lib"), os.environ.get("LD_LIBRARY_PATH")])
        ),
    }
    return Browser(executable, env, f"npm {PACKAGE}@{_package_version()}")


def installed() -> Browser | None:
    """An installed Chrome, Chromium or Edge, where macOS and Linux put them."""
    candidates = [Path(app) for app in MAC_APPS] if sys.platform == "darwin" else []
    candidates += [Path(found) for name in LINUX_NAMES if (found := shutil.which(name))]
    return next((Browser(path, source="installed") for path in candidates if path.exists()), None)


def find() -> Browser:
    """The browser to drive: CHROMIUM, else the npm package's (Linux x64), else an installed one."""
    if override := os.environ.get("CHROMIUM"):
        path = Path(shutil.which(override) or override)
        if not path.exists():
            raise BrowserNotFoundError(f"CHROMIUM={override} does not exist: unset it or name a Chrome/Chromium binary")
        return Browser(path, source="CHROMIUM")
    if sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64"):
        return packaged()
    found = installed()
    if found is None:
        raise BrowserNotFoundError(
            "no browser for the docs-page test on this machine: install Google Chrome, Chromium or Microsoft Edge "
            "(macOS: into /Applications), or set CHROMIUM=/path/to/chrome"
        )
    return found


def main() -> int:
    """Print the browser the docs-page test will use (installing the packaged one if needed)."""
    try:
        browser = find()
    except BrowserNotFoundError as error:
        print(f"browser: {error}", file=sys.stderr)
        return 1
    print(f"{browser.executable}   ({browser.source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
