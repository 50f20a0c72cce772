"""lambdas.runtime.operation: an operation its contract_types does not know is one line naming the fix at import."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lambdas.runtime.operation import operation


def test_operation_unknown_to_the_kit_names_the_form_another_api_writes() -> None:
    # GIVEN a team's handler written `@operation("get_book")` (the kit's form), without its own contract_types
    with pytest.raises(LookupError) as raised:
        operation("get_book")
    # THEN the error is one line that says to regenerate, or to pass the API's own contract_types
    message = str(raised.value)
    assert "\n" not in message
    assert "'get_book' is no operation of lambdas.contract_types: run `make swagger`" in message
    assert "`from .. import contract_types`, @operation('get_book', contract_types)" in message


def test_operation_unknown_to_the_given_contract_says_to_regenerate() -> None:
    contract = SimpleNamespace(INPUTS={}, SCOPES={}, SCOPE_GROUPS={})
    with pytest.raises(LookupError, match=r"^'get_book' is no operation of its contract: run `make swagger` \(API="):
        operation("get_book", contract)  # type: ignore[arg-type]
