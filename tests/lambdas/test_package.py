"""`make package` (tools/package.py): one small, reproducible zip per operation, holding exactly what
its handler imports from lambdas/, and importable on its own."""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tools.package import MAX_BYTES, closure, package

ROOT = Path(__file__).parents[2]
ROUTES = json.loads((ROOT / "api" / "routes.json").read_text())["operations"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("zips")
    return out, package(out)


def test_package_one_zip_per_operation(built):
    out, sizes = built

    assert sorted(sizes) == sorted(route["package"] for route in ROUTES.values())
    assert sorted(path.name for path in out.iterdir()) == sorted(sizes)


def test_package_zips_are_at_most_20_kb(built):
    _, sizes = built

    assert {name: size for name, size in sizes.items() if size > MAX_BYTES} == {}


def test_package_same_sources_give_the_same_bytes(built, tmp_path):
    out, _ = built

    package(tmp_path)

    for path in out.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_package_entries_are_sorted_with_fixed_time_and_mode(built):
    out, _ = built

    with zipfile.ZipFile(out / "list_items.zip") as archive:
        infos = archive.infolist()

    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_package_holds_only_what_the_handler_imports():
    health = set(closure("lambdas.handlers.get_health"))
    items = set(closure("lambdas.handlers.list_items"))

    assert "lambdas/services/health.py" in health
    assert "lambdas/services/items.py" not in health
    assert "lambdas/handlers/get_item.py" not in items
    assert {"lambdas/services/cursors.py", "lambdas/services/items.py", "lambdas/contract_types.py"} <= items
    assert {"lambdas/__init__.py", "lambdas/handlers/__init__.py", "lambdas/runtime/__init__.py"} <= items
    assert not any(name.startswith(("tests/", "contract/", "bench/")) for name in health | items)


IMPORT_EACH = """
import sys
purelib, *pairs = sys.argv[1:]
sys.path.append(purelib)
for archive, module in zip(pairs[::2], pairs[1::2]):
    for name in [name for name in sys.modules if name == "lambdas" or name.startswith("lambdas.")]:
        del sys.modules[name]
    sys.path.insert(0, archive)
    handler_module = __import__(module, fromlist=["handler"])
    assert callable(handler_module.handler), module
    assert handler_module.__file__.startswith(archive), handler_module.__file__
    sys.path.remove(archive)
assert "pydantic" not in sys.modules
print("ok")
"""


def test_package_each_zip_imports_on_its_own(built):
    # GIVEN only one zip and the runtime's libraries (botocore) on the path, no repository checkout
    out, _ = built
    pairs = [
        str(value)
        for route in ROUTES.values()
        for value in (out / route["package"], route["handler"].rsplit(".", 1)[0])
    ]
    env = {"PATH": os.environ.get("PATH", ""), "TABLE_NAME": "t", "SECRET_ID": "s", "AWS_REGION": "us-east-1"}

    # WHEN Python imports each handler from its zip (-S: no site, so no editable install of lambdas)
    done = subprocess.run(
        [sys.executable, "-S", "-c", IMPORT_EACH, sysconfig.get_paths()["purelib"], *pairs],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
    )

    # THEN every module each handler needs is in its zip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize("key", ["handler", "package"])
def test_package_missing_manifest_entry_is_an_error_naming_the_operation(tmp_path, key):
    manifest = json.loads((ROOT / "api" / "routes.json").read_text())
    del manifest["operations"]["get_item"][key]
    routes = tmp_path / "routes.json"
    routes.write_text(json.dumps(manifest))

    with pytest.raises(SystemExit, match=f"operation get_item has no '{key}'"):
        package(tmp_path / "zips", routes)
    assert not (tmp_path / "zips" / "get_item.zip").exists()
