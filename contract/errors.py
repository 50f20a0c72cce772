"""Errors raised while turning the contract into documents, and the one line a person reads for any of them."""

from __future__ import annotations

import importlib.util
import traceback
from pathlib import Path
from typing import Final

CONTRACT_DIR: Final = Path(__file__).resolve().parent
ROOT: Final = CONTRACT_DIR.parent


class ContractError(Exception):
    """The contract cannot be turned into a document API Gateway imports; the message says where and why."""


def _declarations(api_module: str) -> tuple[Path, Path]:
    """The API module's file and the folder of its declarations: the kit's own contract keeps its models in
    contract/models/ beside its code; a team's contract package (examples/orders/contract) is all declarations."""
    try:
        spec = importlib.util.find_spec(api_module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return CONTRACT_DIR / "routes.py", CONTRACT_DIR / "models"
    module = Path(spec.origin).resolve()
    return module, module.parent / "models" if module.parent == CONTRACT_DIR else module.parent


def one_line(error: BaseException, api_module: str = "contract.routes") -> str:
    """`contract error: ...` for any mistake in the contract: the message of a check (it names the operation, model or
    field and the fix), else the line of the declaration that failed (the API module `api_module` or its models)
    and what Python said."""
    message = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, ContractError | ValueError) and not isinstance(error, UnicodeError):
        return f"contract error: {message}"
    module, models = _declarations(api_module)
    declared = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve() == module or models in Path(frame.filename).resolve().parents
    ]
    if not declared:
        return f"contract error: {type(error).__name__}: {message} (not in the declarations: a bug of the kit?)"
    frame = declared[-1]
    path = Path(frame.filename).resolve()
    where = f"{path.relative_to(ROOT) if ROOT in path.parents else path}:{frame.lineno}"
    return f"contract error: {where}: {type(error).__name__}: {message}"
