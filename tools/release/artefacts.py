"""A release directory: what one region needs to serve a release, content-addressed and kept.

`build/releases/<id>/` holds the deployable document (openapi.aws.json), the route manifest
(routes.json) and every zip (lambdas/*.zip); <id> is the first 12 hex digits of the SHA-256 over the
files' names and bytes, so the same tree always gives the same id and a region that still serves an
older release still has exactly what it was deployed from (Terraform reads it: modules/api
`release.regions`). The zips are deterministic (tools/package.py), so a rebuild does not change the id.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]
RELEASES_DIR: Final = ROOT / "build" / "releases"
DOCUMENT: Final = "openapi.aws.json"
MANIFEST: Final = "routes.json"
CODE: Final = "lambdas"


class ReleaseError(Exception):
    """A release cannot be built or found; the message says what to do."""


@dataclass(frozen=True)
class Release:
    """One release directory."""

    id: str
    path: Path

    @property
    def zips(self) -> list[Path]:
        """The release's function zips, sorted."""
        return sorted((self.path / CODE).glob("*.zip"))


def _files(api_dir: Path, package_dir: Path) -> dict[str, Path]:
    """A release's files by their name in its directory: the document, the manifest and every zip (the one list
    that building a release and checking a kept one both read)."""
    zips = sorted(package_dir.glob("*.zip")) if package_dir.is_dir() else []
    return {
        DOCUMENT: api_dir / DOCUMENT,
        MANIFEST: api_dir / MANIFEST,
        **{f"{CODE}/{path.name}": path for path in zips},
    }


def _missing(files: dict[str, Path]) -> list[str]:
    return [str(path) for path in files.values() if not path.is_file()]


def release_id(files: dict[str, Path]) -> str:
    """The content address of a set of files: names and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name].read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:12]


def build(api_dir: Path, package_dir: Path, releases_dir: Path = RELEASES_DIR) -> Release:
    """Copy the tree's document, manifest and zips into releases_dir/<id> (nothing to do if it exists)."""
    files = _files(api_dir, package_dir)
    if _missing(files):
        raise ReleaseError(f"{', '.join(_missing(files))} missing: run `make swagger` first")
    if len(files) == 2:
        raise ReleaseError(f"no zip in {package_dir}: run `make package` first")
    rid = release_id(files)
    target = releases_dir / rid
    if not target.is_dir():
        staging = releases_dir / f".{rid}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        for name, source in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / name)
        staging.rename(target)
    return Release(rid, target)


def find(rid: str, releases_dir: Path = RELEASES_DIR) -> Release:
    """The kept release `rid`, checked against its content address."""
    path = releases_dir / rid
    if not path.is_dir():
        raise ReleaseError(
            f"release {rid} is not in {releases_dir}: restore the releases directory"
            " (make release keeps every release a region serves)"
        )
    files = _files(path, path / CODE)
    if _missing(files) or release_id(files) != rid:
        raise ReleaseError(
            f"release {rid} in {path} does not match its content address: it was changed; rebuild it with make release"
        )
    return Release(rid, path)
