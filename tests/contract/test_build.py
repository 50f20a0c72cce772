"""`make swagger` and `make contract-check`: fresh files, stable output, nothing half-written."""

from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import pytest

from contract import build
from contract.build import PUBLIC, ROOT, generate, main, write_atomically
from contract.errors import ContractError

if TYPE_CHECKING:
    from pathlib import Path

    from contract.compiled import ApiDeclaration, CompiledApi
    from contract.openapi import DocumentPlugin


def test_committed_artefacts_are_fresh(artefacts: dict[Path, str], root: Path) -> None:
    stale = [str(path) for path, text in artefacts.items() if (root / path).read_text() != text]
    assert stale == [], "run `make swagger` and commit the result"


def test_generation_is_deterministic(artefacts: dict[Path, str]) -> None:
    assert generate() == artefacts


def test_second_run_writes_nothing(artefacts: dict[Path, str], tmp_path: Path) -> None:
    assert sorted(write_atomically(tmp_path, artefacts)) == sorted(artefacts)
    before = {path: (tmp_path / path).stat().st_mtime_ns for path in artefacts}
    assert write_atomically(tmp_path, artefacts) == []
    assert before == {path: (tmp_path / path).stat().st_mtime_ns for path in artefacts}


def test_a_contract_api_gateway_refuses_writes_nothing(
    artefacts: dict[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN committed artefacts and a contract whose deployable document breaks rule 7
    write_atomically(tmp_path, artefacts)
    original = build.render

    def broken(api: CompiledApi, plugin: DocumentPlugin) -> dict[str, Any]:
        document = original(api, plugin)
        document["paths"]["/ping"] = copy.deepcopy(document["paths"]["/health"])
        return document

    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.setattr(build, "render", broken)
    # WHEN make swagger runs
    assert main([]) == 1
    # THEN it names the rule and the path, and every file is as it was
    assert "rule 7: path /ping: reserved on custom domains" in capsys.readouterr().err
    assert all((tmp_path / path).read_text() == text for path, text in artefacts.items())


def test_check_fails_on_a_stale_file(
    artefacts: dict[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_atomically(tmp_path, artefacts)
    (tmp_path / "api/openapi.json").write_text("{}")
    monkeypatch.setattr(build, "ROOT", tmp_path)
    assert main(["--check"]) == 1
    assert "stale generated files (run `make swagger` and commit): api/openapi.json" in capsys.readouterr().err


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _repo_with_committed(tmp_path: Path, artefacts: dict[Path, str], committed: dict[str, Any]) -> None:
    write_atomically(tmp_path, {**artefacts, PUBLIC: json.dumps(committed)})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "baseline")
    write_atomically(tmp_path, artefacts)


@pytest.mark.parametrize(("version", "verdict"), [("3.0.0", 1), ("2.9.0", 0)])
def test_check_fails_on_unacknowledged_breaking_change(
    artefacts: dict[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    version: str,
    verdict: int,
) -> None:
    # GIVEN a committed contract that had one more operation, at `version`
    committed = json.loads(artefacts[PUBLIC])
    committed["info"]["version"] = version
    committed["paths"]["/v1/legacy"] = copy.deepcopy(committed["paths"]["/health"])
    _repo_with_committed(tmp_path, artefacts, committed)
    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.delenv("CONTRACT_BASE", raising=False)
    # WHEN the contract check runs THEN the removal is listed; it fails unless the major version grew
    assert main(["--check"]) == verdict
    out = capsys.readouterr().out
    assert "GET /v1/legacy: operation removed" in out
    assert ("NOT acknowledged" in out) == bool(verdict)


ORDERS_API = "examples.orders.contract.routes"


def test_no_handler_names_the_apis_own_handler_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN another API (examples/orders) with one operation more than it has handlers, checked from the kit's root
    orders = build.load_api(ORDERS_API)
    added = dataclasses.replace(orders.ROUTES[0], operation_id="list_widgets", path="/v1/widgets")
    monkeypatch.chdir(ROOT)
    with pytest.raises(ContractError) as raised:
        build.check_handlers(cast("ApiDeclaration", SimpleNamespace(__file__=orders.__file__, ROUTES=(added,))))
    # THEN the file to create is the one in that API's folder
    assert "no handler: create examples/orders/lambdas/handlers/list_widgets.py with" in str(raised.value)


def test_messages_of_another_api_name_its_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN examples/orders' artefacts committed with one operation more, at the same version
    files = generate(build.load_api(ORDERS_API))
    committed = json.loads(files[PUBLIC])
    committed["paths"]["/v1/legacy"] = copy.deepcopy(next(iter(committed["paths"].values())))
    _repo_with_committed(tmp_path / "examples" / "orders", files, committed)
    _git(tmp_path / "examples" / "orders", "checkout", "-q", "--", str(PUBLIC))  # as committed: this run writes it
    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.delenv("CONTRACT_BASE", raising=False)
    # WHEN `make swagger API=examples/orders` runs
    assert main(["--api", ORDERS_API, "--out", "examples/orders"]) == 0
    # THEN the baseline, the file to bump and the files written are that API's, as named from the kit's root
    out = capsys.readouterr().out
    assert "breaking changes against HEAD:examples/orders/api/openapi.json (NOT acknowledged)" in out
    assert "bump the major version of VERSION in examples/orders/contract/routes.py" in out
    assert "wrote     examples/orders/api/openapi.json" in out


def _api_with_handler(tmp_path: Path, module: str, decorator: str) -> ApiDeclaration:
    """An API `module` (under tmp_path) with one operation, get_book, whose handler is decorated `decorator`."""
    folder = tmp_path.joinpath(*module.split(".")[:-1])
    handlers = folder.parent / "lambdas" / "handlers"
    handlers.mkdir(parents=True)
    source = "from lambdas.runtime.operation import operation\n\n\n" + decorator + "\ndef handler(request):\n    ...\n"
    (handlers / "get_book.py").write_text(source, encoding="utf-8")
    orders = build.load_api(ORDERS_API)
    book = dataclasses.replace(orders.ROUTES[0], operation_id="get_book", path="/v1/books")
    return cast("ApiDeclaration", SimpleNamespace(__file__=str(folder / "routes.py"), __name__=module, ROUTES=(book,)))


def test_check_handlers_refuses_another_apis_handler_without_its_contract_types(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a team's API under examples/ whose handler copies the kit's form, without its contract_types
    api = _api_with_handler(tmp_path, "examples.shelf.contract.routes", '@operation("get_book")')
    monkeypatch.chdir(tmp_path)
    # WHEN make swagger checks the handlers THEN one line names the file, the line and the form to write
    with pytest.raises(ContractError) as raised:
        build.check_handlers(api)
    assert str(raised.value).endswith(
        "examples/shelf/lambdas/handlers/get_book.py:4: @operation('get_book'): write @operation('get_book', "
        "contract_types) after `from .. import contract_types` (its own contract, docs/shapes.md)"
    )


def test_check_handlers_refuses_a_handler_decorated_with_another_operation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = _api_with_handler(tmp_path, "contract.routes", '@operation("get_books")')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContractError, match=r"lambdas/handlers/get_book.py:4: @operation\('get_books'\): write "):
        build.check_handlers(api)


def test_check_handlers_accepts_each_api_in_its_form(tmp_path: Path) -> None:
    build.check_handlers(build.load_api(ORDERS_API))
    build.check_handlers(build.load_api())
    build.check_handlers(_api_with_handler(tmp_path, "contract.routes", '@operation("get_book")'))
