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
import requests

from lambdas import contract_types
from tests.conftest import REGION, create_secret, create_table, kit_environment, read_event
from tools.package import CONTRACT_MODULE, MAX_BYTES, _without_docstrings, closure, package

ROOT = Path(__file__).parents[2]
MANIFEST = json.loads((ROOT / "api" / "routes.json").read_text())
ROUTES = MANIFEST["operations"]
UNITS = {**ROUTES, **{f"triggers.{name}": trigger for name, trigger in MANIFEST["triggers"].items()}}
"""Every function: the operations and the user pool's triggers."""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("zips")
    return out, package(out)


def test_package_one_zip_per_operation_and_trigger(built):
    out, sizes = built

    assert sorted(sizes) == sorted(unit["package"] for unit in UNITS.values())
    assert "triggers.pre_token_generation.zip" in sizes
    assert sorted(path.name for path in out.iterdir()) == sorted(sizes)


def test_package_zips_are_within_the_budget(built):
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


COMPACTED = '''"""Module docstring."""
from __future__ import annotations
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
if TYPE_CHECKING:
    from collections.abc import Mapping
LIMIT: Final[int] = 3  # a comment
pending: list[int]


@dataclass(frozen=True)
class Point:
    """A point."""
    x: int
    y: int = 0


def move(point: Point, by: Mapping[str, int] | None = None, *rest: int, **more: int) -> Point:
    """Move."""
    step: int = LIMIT
    return Point(point.x + step, point.y)
'''


def test_package_sources_lose_what_only_readers_and_type_checkers_use():
    compact = _without_docstrings(COMPACTED)
    names: dict[str, object] = {}
    exec(compile(compact, "compacted.py", "exec"), names)

    assert [
        word for word in ("docstring", "comment", "Mapping", "-> Point", "step: int", "Final[") if word in compact
    ] == []
    assert "x: int" in compact and "y: int = 0" in compact  # dataclass fields are annotations
    assert names["move"](names["Point"](1)) == names["Point"](4, 0)  # type: ignore[operator]


def test_package_holds_only_what_the_handler_imports():
    health = set(closure("lambdas.handlers.get_health"))
    items = set(closure("lambdas.handlers.list_items"))

    assert "lambdas/services/health.py" in health
    assert "lambdas/services/items.py" not in health
    assert "lambdas/handlers/get_item.py" not in items
    assert {"lambdas/services/cursors.py", "lambdas/services/items.py", "lambdas/contract_types.py"} <= items
    assert {"lambdas/__init__.py", "lambdas/handlers/__init__.py", "lambdas/runtime/__init__.py"} <= items
    assert not any(name.startswith(("tests/", "contract/", "bench/")) for name in health | items)


def test_package_trigger_holds_no_aws_client():
    trigger = set(closure("lambdas.triggers.pre_token_generation"))

    assert {"lambdas/triggers/pre_token_generation.py", "lambdas/contract_types.py"} <= trigger
    assert not trigger & {"lambdas/aws.py", "lambdas/awsclient.py"}
    assert not any(name.startswith(("lambdas/handlers/", "lambdas/services/")) for name in trigger)


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
        str(value) for route in UNITS.values() for value in (out / route["package"], route["handler"].rsplit(".", 1)[0])
    ]
    env = {"PATH": os.environ.get("PATH", ""), **kit_environment(), "AWS_REGION": "us-east-1"}

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


def zipped_contract(out: Path, operation_id: str) -> tuple[str, dict[str, object]]:
    """The source text and the names of lambdas/contract_types.py in the operation's zip."""
    with zipfile.ZipFile(out / ROUTES[operation_id]["package"]) as archive:
        text = archive.read(CONTRACT_MODULE).decode()
    names: dict[str, object] = {}
    exec(compile(text, CONTRACT_MODULE, "exec"), names)
    return text, {name: value for name, value in names.items() if not name.startswith("__")}


@pytest.mark.parametrize("operation_id", sorted(ROUTES))
def test_package_zip_holds_only_its_own_operation_rules(built, operation_id):
    out, _ = built
    text, names = zipped_contract(out, operation_id)
    scopes = contract_types.SCOPES[operation_id]

    assert names == {
        "API_VERSION": contract_types.API_VERSION,
        "INPUTS": {operation_id: contract_types.INPUTS[operation_id]},
        "SCOPES": {operation_id: scopes},
        "SCOPE_GROUPS": {s: g for s, g in contract_types.SCOPE_GROUPS.items() if s in scopes},
    }
    assert [other for other in ROUTES if other != operation_id and f"'{other}'" in text] == []
    assert "TypedDict" not in text


RUN_EACH = """
import json, sys, types
purelib, events, *pairs = sys.argv[1:]
sys.path.append(purelib)
events = json.loads(events)
statuses = {}
for code, operation_id in zip(pairs[::2], pairs[1::2]):
    for name in [name for name in sys.modules if name == "lambdas" or name.startswith("lambdas.")]:
        del sys.modules[name]
    sys.path.insert(0, code)
    module = __import__("lambdas.handlers." + operation_id, fromlist=["handler"])
    assert module.__file__.startswith(code), module.__file__
    response = module.handler(events[operation_id], types.SimpleNamespace(aws_request_id="r-" + operation_id))
    statuses[operation_id] = response["statusCode"]
    sys.path.remove(code)
print(json.dumps(statuses))
"""


def run_each(code: dict[str, Path], moto_server: str) -> dict[str, int]:
    """Status of each operation's handler, imported from `code[operation_id]`, on its sample event, in one
    fresh process (no site, so no editable install of lambdas) against a freshly seeded moto server."""
    requests.post(moto_server + "/moto-api/reset", timeout=10).raise_for_status()
    create_table(REGION)
    create_secret(REGION)
    events = json.dumps({operation_id: read_event(operation_id) for operation_id in code})
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ENDPOINT_URL": moto_server,
        **{key: os.environ[key] for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")},
        "AWS_REGION": REGION,
        **kit_environment(REGION),
    }
    pairs = [str(value) for operation_id, path in sorted(code.items()) for value in (path, operation_id)]
    done = subprocess.run(
        [sys.executable, "-S", "-c", RUN_EACH, sysconfig.get_paths()["purelib"], events, *pairs],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_package_zipped_handlers_answer_as_the_source_tree_does(built, tmp_path, moto):
    # GIVEN each zip extracted on its own, as Lambda unpacks it into /var/task
    out, _ = built
    extracted = {}
    for operation_id, route in ROUTES.items():
        extracted[operation_id] = tmp_path / operation_id
        with zipfile.ZipFile(out / route["package"]) as archive:
            archive.extractall(extracted[operation_id])

    # WHEN every handler answers its sample event from its zip, then from the source tree, each run on a
    # freshly seeded table and secret
    from_zips = run_each(extracted, os.environ["AWS_ENDPOINT_URL"])
    from_source = run_each(dict.fromkeys(ROUTES, ROOT), os.environ["AWS_ENDPOINT_URL"])

    # THEN the answers are the same, and none is a 500 (a rule missing from a zip would be one)
    assert from_zips == from_source
    assert sorted(from_zips) == sorted(ROUTES)
    assert [operation_id for operation_id, status in from_zips.items() if status >= 500] == []


def test_package_refuses_a_run_time_import_the_zip_module_lacks(tmp_path):
    # GIVEN a handler that imports a TypedDict from contract_types outside TYPE_CHECKING
    for name, text in {
        "lambdas/__init__.py": "",
        "lambdas/contract_types.py": "class Account: ...\n",
        "lambdas/handlers/__init__.py": "",
        "lambdas/handlers/get_item.py": "from lambdas.contract_types import INPUTS, Account\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    manifest = json.loads((ROOT / "api" / "routes.json").read_text())
    manifest["operations"] = {"get_item": manifest["operations"]["get_item"]}
    routes = tmp_path / "routes.json"
    routes.write_text(json.dumps(manifest))

    with pytest.raises(SystemExit, match="get_item.py: imports Account from lambdas.contract_types at run time"):
        package(tmp_path / "zips", routes, tmp_path)


@pytest.mark.parametrize("key", ["handler", "package", "contract_types"])
def test_package_missing_manifest_entry_is_an_error_naming_the_operation(tmp_path, key):
    manifest = json.loads((ROOT / "api" / "routes.json").read_text())
    del manifest["operations"]["get_item"][key]
    routes = tmp_path / "routes.json"
    routes.write_text(json.dumps(manifest))

    with pytest.raises(SystemExit, match=f"operation get_item has no '{key}'"):
        package(tmp_path / "zips", routes)
    assert not (tmp_path / "zips" / "get_item.zip").exists()


def test_package_missing_trigger_entry_is_an_error_naming_the_trigger(tmp_path):
    manifest = json.loads((ROOT / "api" / "routes.json").read_text())
    del manifest["triggers"]["pre_token_generation"]["package"]
    routes = tmp_path / "routes.json"
    routes.write_text(json.dumps(manifest))

    with pytest.raises(SystemExit, match="trigger pre_token_generation has no 'package'"):
        package(tmp_path / "zips", routes)


def test_package_trigger_contract_types_holds_every_scope_and_group(built):
    # The pre token generation trigger decides among all scopes: its zip keeps them all, and no input rules.
    from lambdas import contract_types

    out, _ = built
    with zipfile.ZipFile(out / MANIFEST["triggers"]["pre_token_generation"]["package"]) as archive:
        namespace: dict = {}
        exec(archive.read("lambdas/contract_types.py").decode(), namespace)

    assert namespace["SCOPES"] == contract_types.SCOPES
    assert namespace["SCOPE_GROUPS"] == contract_types.SCOPE_GROUPS
    assert namespace["INPUTS"] == {}
