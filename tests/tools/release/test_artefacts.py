"""tools/release/artefacts.py: a release directory is content-addressed and checked when found again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tools.release import artefacts

if TYPE_CHECKING:
    from pathlib import Path


def tree(root: Path, code: bytes = b"zip") -> tuple[Path, Path]:
    api, package = root / "api", root / "lambdas"
    api.mkdir(parents=True, exist_ok=True)
    package.mkdir(exist_ok=True)
    (api / artefacts.DOCUMENT).write_text("{}")
    (api / artefacts.MANIFEST).write_text('{"operations": {}}')
    (package / "op.zip").write_bytes(code)
    return api, package


def test_build_gives_the_same_id_for_the_same_files_and_another_for_other_code(tmp_path: Path) -> None:
    api, package = tree(tmp_path / "a")
    first = artefacts.build(api, package, tmp_path / "releases")
    again = artefacts.build(api, package, tmp_path / "releases")
    other = artefacts.build(*tree(tmp_path / "b", b"other"), tmp_path / "releases")
    assert first == again
    assert other.id != first.id
    assert (first.path / "lambdas" / "op.zip").read_bytes() == b"zip"
    assert artefacts.find(first.id, tmp_path / "releases") == first


def test_find_refuses_a_release_whose_files_changed(tmp_path: Path) -> None:
    release = artefacts.build(*tree(tmp_path), tmp_path / "releases")
    (release.path / "lambdas" / "op.zip").write_bytes(b"patched")
    with pytest.raises(artefacts.ReleaseError, match="does not match its content address"):
        artefacts.find(release.id, tmp_path / "releases")


def test_build_names_the_missing_step(tmp_path: Path) -> None:
    with pytest.raises(artefacts.ReleaseError, match="run `make swagger` first"):
        artefacts.build(tmp_path / "api", tmp_path / "lambdas", tmp_path / "releases")


@pytest.mark.parametrize("lost", [artefacts.MANIFEST, artefacts.DOCUMENT])
def test_find_refuses_a_release_that_lost_a_file_in_one_line(tmp_path: Path, lost: str) -> None:
    # found again with the same file list build wrote it from: a lost file is a changed release, not a traceback
    release = artefacts.build(*tree(tmp_path), tmp_path / "releases")
    (release.path / lost).unlink()
    with pytest.raises(artefacts.ReleaseError, match="does not match its content address"):
        artefacts.find(release.id, tmp_path / "releases")
