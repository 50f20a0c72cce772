"""contract/errors.py `one_line`: a mistake in a declaration is named by its file and line, for the kit's contract
and for a team's contract package anywhere (examples/orders/contract), never as a raw error."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from contract.errors import ROOT, one_line

if TYPE_CHECKING:
    from pathlib import Path


def _raised_in(path: Path, line: int) -> BaseException:
    """A TypeError raised at `line` of `path`, as Python raises one while importing a declaration there."""
    code = compile("\n" * (line - 1) + "len(1)", str(path), "exec")
    with pytest.raises(TypeError) as raised:
        exec(code, {})
    return raised.value


@pytest.mark.parametrize("name", ["routes.py", "models.py"])
def test_one_line_names_the_declaration_of_a_team_contract_package(name: str) -> None:
    error = _raised_in(ROOT / "examples" / "orders" / "contract" / name, 7)
    assert one_line(error, "examples.orders.contract.routes") == (
        f"contract error: examples/orders/contract/{name}:7: TypeError: object of type 'int' has no len()"
    )


def test_one_line_names_the_declaration_of_the_kit_contract() -> None:
    error = _raised_in(ROOT / "contract" / "models" / "items.py", 3)
    assert one_line(error).startswith("contract error: contract/models/items.py:3: TypeError:")


def test_one_line_does_not_take_the_kit_code_for_a_declaration() -> None:
    # contract/schema.py is the kit's, not a declaration: the line says so
    error = _raised_in(ROOT / "contract" / "schema.py", 3)
    assert one_line(error).endswith("(not in the declarations: a bug of the kit?)")
    assert one_line(error, "examples.orders.contract.routes").endswith("(not in the declarations: a bug of the kit?)")
